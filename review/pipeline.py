"""The review pipeline: read -> segment -> align -> check -> score -> write.

Each stage is a plain function over records so that later stages (checks,
reports) plug in without the CLI knowing about them.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from corpus.align import align_bitext
from corpus.allocator import release_free_memory
from glossary.align_hints import name_hints
from corpus.encoders import LeaveOut, load_encoder
from corpus.parallel import review_threads
from corpus.readers import Bitext, read_bitext
from corpus.records import Bead, Document
from review.config import DEFAULT_OUT_DIR, ReviewConfig
from review.jsonl import write_jsonl
from review.output import final_paths, prepare_out_dir, staged_run
from review.progress import ProgressFn, no_progress
from review.records import ReviewedPair
from review.report import write_reports


def sample_paths() -> tuple[Path, Path]:
    """The bundled Maisky sample: (English source, Korean translation)."""
    base = resources.files("review") / "data" / "sample"
    return Path(str(base / "maisky.en.txt")), Path(str(base / "maisky.ko.txt"))


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


def mark_no_source(bitext: Bitext, pairs: list[ReviewedPair]) -> list[ReviewedPair]:
    """Mark Korean that has no English because the source is incomplete (``no_source``), not an addition.

    That is every Korean-only pair when there is no English at all, those after
    the last pair that has English (the Korean runs on past the end of the
    source), and those in a Korean paragraph none of whose pairs has English.
    """
    if bitext.source is None:
        return [replace(p, no_source=True) for p in pairs]
    last_with_src = max((i for i, p in enumerate(pairs) if p.src_idx and p.tgt_idx), default=-1)
    paragraphs_with_src = {p.paragraph for p in pairs if p.src_idx and p.tgt_idx and p.paragraph is not None}
    out = []
    for i, p in enumerate(pairs):
        if not p.src_idx and p.tgt_idx and (i > last_with_src or p.paragraph not in paragraphs_with_src):
            p = replace(p, no_source=True)
        out.append(p)
    return out


def _paragraph_of(target: Document | None, pair: ReviewedPair,
                  texts: dict[int, str] | None = None) -> tuple[str, int]:
    """The Korean paragraph a pair sits in and the pair's offset in it (("", 0) when it spans paragraphs).

    ``texts`` caches each paragraph's text, so every pair of a paragraph shares one string: copying
    a 5 MB one-line paragraph once per sentence pair took tens of gigabytes.
    """
    if target is None or pair.paragraph is None or pair.tgt_start is None:
        return "", 0
    para = target.paragraphs[pair.paragraph]
    texts = {} if texts is None else texts
    text = texts.get(pair.paragraph)
    if text is None:
        text = texts.setdefault(pair.paragraph, target.text[para.start:para.end])
    offset = pair.tgt_start - para.start
    if not text.startswith(pair.tgt, offset):
        return "", 0
    return text, offset


def _codes_by_pair(doc: Document | None, spans: list[tuple[int | None, str]]) -> list[tuple]:
    """Each pair's share of the document's inline codes, at offsets in the pair's text: a code goes to the
    first pair whose text holds its offset (a closing code may sit at the pair's end, an opening one not)."""
    out: list[list] = [[] for _ in spans]
    if doc is None or not doc.inline_codes:
        return [()] * len(spans)
    ranges = sorted((start, start + len(text), k) for k, (start, text) in enumerate(spans)
                    if start is not None and text)
    starts = [r[0] for r in ranges]
    import bisect
    from dataclasses import replace as _replace
    for code in doc.inline_codes:
        i = bisect.bisect_right(starts, code.offset) - 1
        candidates = [r for r in ranges[max(0, i - 1):i + 2] if r[0] <= code.offset <= r[1]]
        if code.kind == "close":
            fit = [r for r in candidates if r[0] < code.offset] or candidates
        else:
            fit = [r for r in candidates if code.offset < r[1]] or candidates
        if fit:
            start, _, k = fit[0]
            out[k].append(_replace(code, offset=code.offset - start))
    return [tuple(c) for c in out]


def check_pairs(pairs: list[ReviewedPair], config: ReviewConfig, providers=(),
                target: Document | None = None, terms=None, source: Document | None = None,
                progress: ProgressFn | None = None, left_out=None) -> list[ReviewedPair]:
    """Run the checks and scores over one document's pairs and attach them to the records.

    ``target`` (the Korean document) lets checks see past a pair's edges: quotations over several
    sentences, sentences glued to the next.  ``terms`` (:class:`review.checks.TermContext`) feeds
    the glossary checks.
    """
    from review.assess import assess_pairs
    from review.checks import CheckPair

    paragraphs: dict[int, str] = {}
    src_codes = _codes_by_pair(source, [(p.src_start, p.src) for p in pairs])
    tgt_codes = _codes_by_pair(target, [(p.tgt_start, p.tgt) for p in pairs])
    check_input = [CheckPair(p.id, p.src, p.tgt, i, p.no_source, *_paragraph_of(target, p, paragraphs),
                             src_codes=src_codes[i], tgt_codes=tgt_codes[i])
                   for i, p in enumerate(pairs)]
    results = assess_pairs(check_input, enable=config.checks, disable=config.disabled_checks,
                           use_models=config.use_models, encoder=config.encoder, providers=providers,
                           terms=terms, qe=config.qe, policy=config.policy(), progress=progress,
                           left_out=left_out)
    return [replace(p, score=a.score, quality=a.quality, qe=a.qe, penalty=a.penalty, priority=a.priority,
                    findings=a.findings)
            for p, a in zip(pairs, results)]


def load_termbase(path: str):
    """A term base from a TBX file, or from CSV/TSV by its suffix."""
    if Path(path).suffix.lower() in (".csv", ".tsv"):
        from glossary.csvio import read_table
        return read_table(path)
    from glossary.tbx import read_tbx
    return read_tbx(path)


def name_checks(bitext: Bitext, config: ReviewConfig):
    """What the glossary checks read (the term base and the document's names) and the name proposals.

    Discovery runs once per document.
    """
    from glossary.discovery import discover
    from review.checks import TermContext

    termbase = load_termbase(config.glossary) if config.glossary else None
    # with --no-names the glossary's own terms are still checked, but nothing is discovered
    found = discover(bitext.target.text, en_text=bitext.source.text if bitext.source else None,
                     glossary=termbase) if config.names else []
    return TermContext.from_proposals(found, termbase), [p.to_json() for p in found]


def write_names(out_dir: Path, header: dict[str, Any], doc_id: str,
                proposals: list[dict[str, Any]] | None) -> dict[str, Path]:
    """``names.jsonl``: a header, then the glossary proposals of name discovery, one per line with its ``id``
    (the key decisions on it are stored under).  Removed when the run made no proposals (names off)."""
    from review.decisions import proposal_keys

    path = out_dir / "names.jsonl"
    if proposals is None:
        if path.is_file():  # from an earlier run: it no longer describes this output
            path.unlink()
        return {}
    names_header = {"mtreview": header.get("mtreview"), "doc_id": doc_id,
                    "glossary": header.get("config", {}).get("glossary"), "proposals": len(proposals)}
    write_jsonl(path, ({"id": key, **p} for key, p in zip(proposal_keys(proposals), proposals)),
                header=names_header)
    return {"names": path}


def review_bitext(bitext: Bitext, config: ReviewConfig, providers=(),
                  progress: ProgressFn | None = None) -> ReviewResult:
    """Align, check, score and write one document's review into ``config.out_dir``.

    ``providers`` are extra findings sources beside the registered checks.
    ``progress`` is told how far each stage has got (see :mod:`review.progress`).
    """
    from review.checks import select_checks
    from review.scoring import document_penalty

    report = progress or no_progress
    encoder = load_encoder(config.encoder)
    # Name discovery needs no alignment and Kiwi's analysis of the Korean sentences none either: they run
    # beside the alignment, on the second core (the encoder's matrix products and Kiwi release the GIL), and
    # the checks wait for the names only once the pairs' signals are computed.  Same results.
    # (with one thread, review_threads() == 1, the side work runs when its result is asked for, in this thread)
    with ThreadPoolExecutor(max_workers=1) if review_threads() > 1 else _InThisThread() as beside:
        names = beside.submit(name_checks, bitext, config) if config.names or config.glossary else None
        waits = []
        if config.use_models and review_threads() > 1 and names is None:
            # (with names the checks analyse the pairs beside the encoder: discovery is the longer side task)
            from review.checks.context import prefetch_lm
            waits.append(beside.submit(prefetch_lm, [s.text for s in bitext.target.iter_segments()]))
        # the omission check's leave-words-out embeddings of each English sentence, made while the alignment
        # embeds it (the same token features) rather than in a second pass over the English
        from review.checks.coverage import english_windows
        left_out = LeaveOut(english_windows) if config.use_models else None
        beads = align_bitext(bitext, encoder, hints=name_hints, progress=progress, leave_out=left_out)
        pairs = mark_no_source(bitext, pairs_from_beads(bitext, beads))
        release_free_memory()   # the alignment's matrices: freed, now returned (corpus/allocator.py)
        for future in waits:
            future.result()
        terms = _NamesResult(names, report) if names is not None else None
        if terms is not None and review_threads() < 2:
            # in one thread, discovery first: its batch analysis of the document's words leaves their Kiwi
            # scores for the language-model signals (corpus.kiwi.known_scores), which then score only the rest
            terms.result()
        pairs = check_pairs(pairs, config, providers, target=bitext.target, terms=terms, source=bitext.source,
                            progress=progress, left_out=left_out)
        del left_out
        release_free_memory()
        proposals: list[dict[str, Any]] | None = terms.proposals() if terms is not None else None
    report("writing", 0, 1)
    out_dir = Path(config.out_dir)
    header = config.header()
    header["models"]["encoder"] = encoder.name  # the model actually used, not just the option given
    header["checks"] = [c.name for c in select_checks(config.checks, config.disabled_checks)]
    header["document"] = {"doc_id": bitext.doc_id, **document_penalty((p.src, p.tgt, p.penalty) for p in pairs)}
    # every file is written into a staging folder first and switched in as a whole (review/output.py);
    # decisions stay in the output folder
    with staged_run(out_dir) as staging:
        segments_path = staging / "segments.jsonl"
        write_jsonl(segments_path, (p.to_dict() for p in pairs), header=header)
        files = {"segments": segments_path, **write_reports(
            staging, header, pairs, target=bitext.target, source=bitext.source, glossary_proposals=proposals,
            reference_path=config.reference, encoding=config.encoding, decisions_dir=out_dir)}
        files.update(write_names(staging, header, bitext.doc_id, proposals))
        if config.xliff or config.xlsx:
            from review.decisions import load_decisions
        if config.xliff:
            from review.exchange import write_xliff
            files["xliff"] = write_xliff(staging / "review.xlf", header, pairs, decisions=load_decisions(out_dir))
        if config.xlsx:
            from review.report.excel import write_xlsx
            files["xlsx"] = write_xlsx(staging / "review.xlsx", pairs, load_decisions(out_dir), header)
        files = final_paths(files, staging, out_dir)
    report("writing", 1, 1)
    return ReviewResult(bitext.doc_id, tuple(pairs), out_dir, files,
                        len(bitext.source.segments) if bitext.source else 0, len(bitext.target.segments))


class _NamesResult:
    """The term context of a document's name discovery, waited for when the checks first need it."""

    def __init__(self, future, report: ProgressFn):
        self._future, self._report, self._done = future, report, None

    def _get(self):
        if self._done is None:
            self._report("names", 0, 1)
            self._done = self._future.result()
            self._report("names", 1, 1)
        return self._done

    def result(self):
        return self._get()[0]

    def proposals(self) -> list[dict[str, Any]]:
        return self._get()[1]


class _InThisThread:
    """An executor that runs what is submitted when its result is asked for, in the asking thread."""

    def __enter__(self) -> "_InThisThread":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def submit(self, fn, *args, **kwargs) -> "_Later":
        return _Later(fn, args, kwargs)


class _Later:
    def __init__(self, fn, args, kwargs):
        self._call = (fn, args, kwargs)

    def result(self):
        fn, args, kwargs = self._call
        return fn(*args, **kwargs)


def run_review(config: ReviewConfig, progress: ProgressFn | None = None) -> ReviewResult:
    """Read the input named by ``config`` (the bundled sample by default) and review it.

    ``progress`` is told how far each stage has got (:class:`review.progress.StageBars` draws bars).
    """
    source, target = config.source, config.target
    if source is None and target is None:
        source, target = (str(p) for p in sample_paths())
        if config.glossary is None:  # the sample comes with its reviewed demo glossary
            config = replace(config, glossary=str(sample_paths()[1].with_name("maisky.glossary.tbx")))
    prepare_out_dir(config.out_dir)  # an unusable --out is said before the work, not after it
    if review_threads() < 2:
        return review_bitext(read_bitext(source, target, config.encoding, config.doc_id), config, progress=progress)
    # the encoder loads (numpy reading its weights) while the documents are read and segmented (Kiwi)
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(load_encoder, config.encoder)
        bitext = read_bitext(source, target, config.encoding, config.doc_id)
        loading.result()
    return review_bitext(bitext, config, progress=progress)
