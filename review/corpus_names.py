"""Names across a whole corpus: one discovery over every document of a manifest.

A person spelled 마이스키 in one article and 메이스키 in another is one proposal, with each document's
spellings (:func:`glossary.discovery.discover_corpus`).  :func:`write_corpus_names` writes
``OUT/names.jsonl`` (every proposal, with ``documents``) and ``OUT/name-inconsistencies.csv`` (the
names spelled more than one way in more than one document: the corpus-wide inconsistencies), which
``mtreview worklist OUT`` shows beside the queue.  A rerun whose documents and settings are unchanged
finds the fingerprint in ``names.jsonl``'s header and keeps the file.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from corpus.errors import MtreviewError
from review.jsonl import read_jsonl, write_jsonl

NAMES_NAME = "names.jsonl"
INCONSISTENCIES_NAME = "name-inconsistencies.csv"
INCONSISTENCY_COLUMNS = ("name", "english", "spellings", "documents", "occurrences", "by_document")


def _read_document(entry, config) -> Any:
    from corpus.readers import read_bitext

    if entry.bitext:
        return read_bitext(entry.bitext, None, config.encoding, entry.doc_id)
    return read_bitext(entry.source, entry.target, config.encoding, entry.doc_id)


def discover_across(entries: Sequence, config) -> list[dict[str, Any]]:
    """Corpus-level proposals (as JSON dicts) over the manifest entries whose input can be read.

    Entries that cannot be read are left out (their document already failed with the reason).
    """
    from corpus.errors import InputError
    from glossary import discovery

    if not hasattr(discovery, "discover_corpus"):  # pragma: no cover - an older glossary layer
        raise MtreviewError("corpus-level name discovery needs glossary.discovery.discover_corpus")
    documents = []
    for entry in entries:
        try:
            bitext = _read_document(entry, config)
        except InputError:
            continue
        documents.append(discovery.CorpusDocument(entry.doc_id, bitext.target.text,
                                                  bitext.source.text if bitext.source else None))
    termbase = None
    if config.glossary:
        from review.pipeline import load_termbase
        termbase = load_termbase(config.glossary)
    return [p.to_json() for p in discovery.discover_corpus(documents, glossary=termbase)]


def inconsistencies(proposals: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per name spelled more than one way and used in more than one document, most used first."""
    rows = []
    for p in proposals:
        documents = p.get("documents") or {}
        variants = [v for v in p.get("variants", []) if v]
        if len(variants) < 2 or len(documents) < 2:
            continue
        by_spelling: dict[str, list[str]] = {}
        for doc_id, used in documents.items():
            for spelling, n in used.get("counts", {}).items():
                by_spelling.setdefault(spelling, []).append(f"{doc_id}: {n}")
        if len(by_spelling) < 2:
            continue
        rows.append({
            "name": p.get("canonical") or variants[0],
            "english": p.get("english") or "",
            "spellings": " | ".join(f"{s} ({', '.join(docs)})" for s, docs in by_spelling.items()),
            "documents": len(documents),
            "occurrences": sum(p.get("counts", {}).values()),
            "by_document": {doc_id: used.get("counts", {}) for doc_id, used in documents.items()},
        })
    rows.sort(key=lambda r: (-r["documents"], -r["occurrences"], r["name"]))
    return rows


def corpus_fingerprint(document_fingerprints: Iterable[str]) -> str:
    """A hash of the corpus's documents (their own fingerprints: inputs and settings), in manifest order."""
    return hashlib.sha256("\n".join(document_fingerprints).encode("utf-8")).hexdigest()


def write_corpus_names(out: Path, entries: Sequence, config, fingerprint: str) -> dict[str, Path]:
    """Discover across the corpus and write ``names.jsonl`` and ``name-inconsistencies.csv`` into ``out``
    (atomically); nothing is recomputed when ``names.jsonl`` already holds this ``fingerprint``."""
    from review.decisions import proposal_key

    names_path, rows_path = out / NAMES_NAME, out / INCONSISTENCIES_NAME
    try:
        header, _ = read_jsonl(names_path)
        if isinstance(header, dict) and header.get("fingerprint") == fingerprint and rows_path.is_file():
            return {"names": names_path, "name_inconsistencies": rows_path}
    except (OSError, ValueError, MtreviewError):  # none yet, or unreadable: discover again
        pass
    proposals = discover_across(entries, config)
    rows = inconsistencies(proposals)
    write_jsonl(names_path, ({"id": proposal_key(p), **p} for p in proposals),
                header={"corpus": True, "documents": len(entries), "proposals": len(proposals),
                        "inconsistencies": len(rows), "glossary": config.glossary, "fingerprint": fingerprint})
    write_inconsistencies(rows_path, rows)
    return {"names": names_path, "name_inconsistencies": rows_path}


def write_inconsistencies(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """The rows as CSV (as the worklists are written: BOM, spreadsheet-safe cells), ``by_document`` as JSON."""
    from review.report.worklist import write_rows

    flat = [{**r, "by_document": json.dumps(r["by_document"], ensure_ascii=False)} for r in rows]
    return write_rows(path, flat, INCONSISTENCY_COLUMNS)


def read_corpus_names(folder: str | Path) -> list[dict[str, Any]] | None:
    """The corpus-wide inconsistencies of a ``--manifest`` output folder (None when it has no corpus names)."""
    path = Path(folder) / NAMES_NAME
    if not path.is_file():
        return None
    header, records = read_jsonl(path)
    if not (isinstance(header, dict) and header.get("corpus")):
        return None  # one document's names.jsonl, not a corpus's
    return inconsistencies(records)
