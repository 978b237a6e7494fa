"""The review pipeline: read -> segment -> align -> check -> score -> write.

Each stage is a plain function over records so that later stages (checks,
reports) plug in without the CLI knowing about them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from corpus.align import align_bitext
from corpus.encoders import load_encoder
from corpus.readers import Bitext, read_bitext
from corpus.records import Bead, Document
from review import __version__
from review.jsonl import write_jsonl
from review.records import ReviewedPair

DEFAULT_OUT_DIR = "mtreview-out"


def sample_paths() -> tuple[Path, Path]:
    """The bundled Maisky sample: (English source, Korean translation)."""
    base = resources.files("review") / "data" / "sample"
    return Path(str(base / "maisky.en.txt")), Path(str(base / "maisky.ko.txt"))


@dataclass(frozen=True)
class ReviewConfig:
    """Everything that decides what a review run does; recorded in the output header."""

    source: str | None = None
    target: str | None = None
    out_dir: str = DEFAULT_OUT_DIR
    encoding: str | None = None
    doc_id: str | None = None
    encoder: str = "use"
    checks: tuple[str, ...] | None = None  # None: every registered check

    def header(self) -> dict[str, Any]:
        return {"mtreview": __version__, "config": asdict(self), "models": {"encoder": self.encoder}}


@dataclass(frozen=True)
class ReviewResult:
    """What a run produced: the pairs and where they were written."""

    doc_id: str
    pairs: tuple[ReviewedPair, ...]
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    n_source_segments: int = 0
    n_target_segments: int = 0


def _covered_text(doc: Document | None, indices: tuple[int, ...]) -> tuple[str, int | None]:
    """The original text covering the given (consecutive) segments, and its start offset."""
    if doc is None or not indices:
        return "", None
    segs = doc.segments
    first, last = segs[min(indices)], segs[max(indices)]
    if first.paragraph == last.paragraph:
        return doc.text[first.start:last.end], first.start
    # A bead across paragraphs: join the segments, keeping the first offset for reference.
    return " ".join(segs[i].text for i in sorted(indices)), first.start


def pairs_from_beads(bitext: Bitext, beads: list[Bead]) -> list[ReviewedPair]:
    """One :class:`ReviewedPair` per bead, texts taken from the original documents."""
    pairs = []
    tgt_segments = bitext.target.segments
    for position, bead in enumerate(beads):
        src_text, src_start = _covered_text(bitext.source, bead.src)
        tgt_text, tgt_start = _covered_text(bitext.target, bead.tgt)
        paragraph = tgt_segments[bead.tgt[0]].paragraph if bead.tgt else None
        pairs.append(ReviewedPair(
            id=f"{bitext.doc_id}:{position}", doc_id=bitext.doc_id, position=position,
            src_idx=bead.src, tgt_idx=bead.tgt, src=src_text, tgt=tgt_text,
            src_start=src_start, tgt_start=tgt_start, paragraph=paragraph,
            align_score=round(float(bead.score), 4),
            no_source=bitext.source is None))
    return pairs


def review_bitext(bitext: Bitext, config: ReviewConfig) -> ReviewResult:
    """Align, check and write one document's review into ``config.out_dir``."""
    encoder = load_encoder(config.encoder)
    beads = align_bitext(bitext, encoder)
    pairs = pairs_from_beads(bitext, beads)
    out_dir = Path(config.out_dir)
    segments_path = out_dir / "segments.jsonl"
    header = config.header()
    header["models"]["encoder"] = encoder.name  # the model actually used, not just the option given
    write_jsonl(segments_path, (p.to_dict() for p in pairs), header=header)
    return ReviewResult(bitext.doc_id, tuple(pairs), out_dir, {"segments": segments_path},
                        len(bitext.source.segments) if bitext.source else 0, len(bitext.target.segments))


def run_review(config: ReviewConfig) -> ReviewResult:
    """Read the input named by ``config`` (the bundled sample by default) and review it."""
    source, target = config.source, config.target
    if source is None and target is None:
        source, target = (str(p) for p in sample_paths())
    bitext = read_bitext(source, target, config.encoding, config.doc_id)
    return review_bitext(bitext, config)
