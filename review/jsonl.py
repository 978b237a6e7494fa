"""JSONL output through ``jsonlines``: an optional header record, then records with an ``id``.

Files are written atomically (temp file, then rename), so an interrupted run
never leaves a half-written review file behind.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import jsonlines

from corpus.atomic import atomic_write


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]], header: dict[str, Any] | None = None) -> int:
    """Write ``header`` (if any) and ``records`` to ``path`` atomically; returns the record count."""
    n = 0
    with atomic_write(path) as fh:
        writer = jsonlines.Writer(fh, dumps=_dumps)
        if header is not None:
            writer.write(header)
        for rec in records:
            writer.write(rec)
            n += 1
    return n


def read_jsonl(path: str | Path) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """Read a file written by :func:`write_jsonl`: ``(header or None, records)``."""
    header, records = None, []
    with jsonlines.open(path) as reader:
        for obj in reader:
            if isinstance(obj, dict) and "id" not in obj and not records and header is None:
                header = obj
            else:
                records.append(obj)
    return header, records


def _dumps(obj: Any) -> str:
    import json
    return json.dumps(obj, ensure_ascii=False)
