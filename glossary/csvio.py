"""CSV/TSV import and export of the term base: one row per term.

Columns (header required, order free): ``id, type, lang, term, status`` and the
optional ``part_of_speech, note, entry_note, provenance``.  Rows with the same
``id`` form one entry; its ``type``, ``entry_note`` and ``provenance`` must agree
across those rows.  A ``.tsv`` file is tab-separated, anything else comma-separated.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from corpus.atomic import atomic_write
from corpus.errors import InputError
from corpus.textio import read_input_bytes
from glossary.termbase import Entry, EntryType, LANGS, Status, Term, TermBase

REQUIRED = ("id", "type", "lang", "term", "status")
OPTIONAL = ("part_of_speech", "note", "entry_note", "provenance")
COLUMNS = REQUIRED + OPTIONAL


def _delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def read_table(path: str | Path) -> TermBase:
    path = Path(path)
    data = read_input_bytes(path)  # a directory, device or missing file is an InputError naming it
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 ({e.reason})", offset=e.start) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "empty file: expected a header row with " + ", ".join(REQUIRED), line=1) from None
    except csv.Error as e:
        raise InputError(path, f"bad CSV: {e}", line=1) from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(path, f"header lacks column(s) {', '.join(missing)}", line=1)
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(path, f"unknown column(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})", line=1)
    groups: dict[str, dict] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(path, f"{len(row)} fields, header has {len(header)}", line=line)
            rec = dict(zip(header, (c.strip() for c in row)))
            for col in REQUIRED:
                if not rec[col]:
                    raise InputError(path, f"empty {col!r}", line=line)
            try:
                etype = EntryType(rec["type"])
            except ValueError:
                raise InputError(path, f"unknown type {rec['type']!r} (expected one of "
                                       f"{', '.join(t.value for t in EntryType)})", line=line) from None
            try:
                status = Status(rec["status"])
            except ValueError:
                raise InputError(path, f"unknown status {rec['status']!r} (expected one of "
                                       f"{', '.join(s.value for s in Status)})", line=line) from None
            if rec["lang"] not in LANGS:
                raise InputError(path, f"unknown lang {rec['lang']!r} (expected one of {', '.join(LANGS)})", line=line)
            try:
                term = Term(rec["term"], rec["lang"], status, rec.get("part_of_speech") or "properNoun",
                            rec.get("note", ""))
            except ValueError as e:
                raise InputError(path, str(e), line=line) from None
            g = groups.get(rec["id"])
            meta = (etype, rec.get("entry_note", ""), rec.get("provenance", ""))
            if g is None:
                groups[rec["id"]] = {"meta": meta, "terms": [term], "line": line}
            else:
                if g["meta"] != meta:
                    raise InputError(path, f"entry {rec['id']}: type/entry_note/provenance differ from its "
                                           f"first row (line {g['line']})", line=line)
                g["terms"].append(term)
    except csv.Error as e:
        raise InputError(path, f"bad CSV: {e}", line=reader.line_num) from None
    entries = []
    for eid, g in groups.items():
        etype, note, prov = g["meta"]
        try:
            entry = Entry(eid, etype, tuple(t for t in g["terms"] if t.lang == "en"),
                          tuple(t for t in g["terms"] if t.lang == "ko"), note, prov)
        except ValueError as e:
            raise InputError(path, str(e), line=g["line"]) from None
        problems = entry.problems()
        if problems:
            raise InputError(path, "; ".join(problems), line=g["line"])
        entries.append(entry)
    return TermBase(entries)


def table_string(tb: TermBase, delimiter: str = ",") -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(COLUMNS)
    for e in tb:
        for t in e.terms:
            w.writerow([e.id, e.type.value, t.lang, t.text, t.status.value, t.part_of_speech, t.note,
                        e.note, e.provenance])
    return buf.getvalue()


def write_table(tb: TermBase, path: str | Path) -> None:
    path = Path(path)
    text = table_string(tb, _delimiter(path))
    with atomic_write(path, backup=True) as fh:
        fh.write(text)
