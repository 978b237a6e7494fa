"""Alignment as a job on files: a JSONL benchmark of segment lists, or two text files.

``align_jsonl`` reads records ``{"id", "src": [...], "tgt": [...]}`` (the format of
``make_align_bench.py``) and writes ``{"id", "alignment": [[src], [tgt], score], ...}`` for
each, after a header record.  A bad record never stops the run: it gets an ``error`` and an
alignment that leaves whatever segments it has unaligned (1-0 and 0-1 beads), and its
problem is reported with its line number.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import limits
from corpus.align import AlignParams, DEFAULT_PARAMS, align_bitext, align_segments
from corpus.encoders import DEFAULT_ENCODER, load_encoder
from corpus.errors import InputError
from corpus.readers import read_text_pair
from corpus.records import Bead
from corpus.textio import read_text
from glossary.align_hints import name_hints
from review import __version__
from review.jsonl import write_jsonl


@dataclass(frozen=True)
class AlignFileResult:
    """What an ``align_jsonl`` run did: records written and the problems met on the way."""

    output: Path
    n_records: int
    encoder: str
    problems: tuple[str, ...] = field(default_factory=tuple)


def _segment_list(rec: dict[str, Any], key: str) -> tuple[list[str], str | None]:
    """The record's ``key`` list and a problem, if any (a missing or malformed list is treated as empty)."""
    if key not in rec:
        return [], f"no {key!r} list"
    value = rec[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [], f"{key!r} must be a list of strings, got {type(value).__name__}"
    if not value:
        return [], f"{key!r} is empty"
    return value, None


def _unaligned(n_src: int, n_tgt: int) -> list[Bead]:
    return [Bead((k,), (), 0.0) for k in range(n_src)] + [Bead((), (k,), 0.0) for k in range(n_tgt)]


def align_jsonl(input_path: str | Path, output_path: str | Path, encoder_name: str = DEFAULT_ENCODER,
                params: AlignParams = DEFAULT_PARAMS) -> AlignFileResult:
    """Align every record of a JSONL benchmark file; the output is written atomically."""
    text, _ = read_text(input_path)
    encoder = load_encoder(encoder_name)
    problems: list[str] = []
    records: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{input_path}:{line_no}"
        try:
            rec = limits.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: invalid JSON ({e.msg}, column {e.colno}); record skipped")
            continue
        except limits.LimitError as e:
            problems.append(f"{where}: {e}; record skipped")
            continue
        if not isinstance(rec, dict):
            problems.append(f"{where}: expected a JSON object, got {type(rec).__name__}; record skipped")
            continue
        if "id" not in rec:
            if "src" in rec or "tgt" in rec:
                problems.append(f"{where}: record has no 'id'; skipped")
            continue  # a header record
        rec_id = rec["id"]
        if str(rec_id) in seen_ids:
            problems.append(f"{where}: duplicate id {rec_id!r}")
        seen_ids.add(str(rec_id))
        src, src_problem = _segment_list(rec, "src")
        tgt, tgt_problem = _segment_list(rec, "tgt")
        out: dict[str, Any] = {"id": rec_id}
        issues = [p for p in (src_problem, tgt_problem) if p]
        if issues:
            # what there is stays visible, unaligned, rather than the record vanishing
            beads = _unaligned(len(src), len(tgt))
            out["error"] = "; ".join(issues)
            problems.append(f"{where} (id {rec_id!r}): {out['error']}; left unaligned")
        else:
            try:
                beads = align_segments(src, tgt, encoder, params, name_hints)
            except (ValueError, FloatingPointError) as e:  # pragma: no cover - defensive: keep the other records
                beads = _unaligned(len(src), len(tgt))
                out["error"] = f"alignment failed: {e}"
                problems.append(f"{where} (id {rec_id!r}): {out['error']}")
        out["alignment"] = [b.to_list() for b in beads]
        records.append(out)
    if not records and not problems:
        raise InputError(str(input_path), "no records with an 'id'")
    header = {"mtreview": __version__, "command": "align", "models": {"encoder": encoder.name},
              "input": str(input_path)}
    write_jsonl(output_path, records, header=header)
    return AlignFileResult(Path(output_path), len(records), encoder.name, tuple(problems))


def align_text_files(source: str | Path, target: str | Path, encoder_name: str = DEFAULT_ENCODER,
                     encoding: str | None = None, params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Beads for an English text file and its Korean translation (segment indices over each file)."""
    bitext = read_text_pair(source, target, encoding)
    return align_bitext(bitext, load_encoder(encoder_name), params, name_hints)
