"""Gettext PO files as review input: one message = one paragraph on both sides (``msgid`` | ``msgstr``).

Read with polib.  The header entry and obsolete (``#~``) entries are left out.
``msgctxt`` is part of the unit id (``context|message``), never of the text: two
messages with the same English in different contexts are two units.  A plural
message gives one unit per Korean form (``id[0]``, ``id[1]``...); Korean has one
plural form (``nplurals=1``), which translates the plural English (``msgid_plural``,
the form most counts take); with several forms, form 0 pairs with ``msgid``
and the others with ``msgid_plural``.  An untranslated message becomes an empty
Korean paragraph (the checks report it).  Fuzzy messages are reviewed like the
others (a fuzzy flag says a human has not confirmed them yet).  A ``Language``
header other than Korean is refused, as is a file that does not parse (with the
line polib names).
"""
from __future__ import annotations

import re
from pathlib import Path

from corpus.errors import InputError
from corpus.readers import Bitext, doc_id_for, rows_to_bitext
from corpus.textio import read_text

PO_SUFFIXES = (".po", ".pot")
_LINE = re.compile(r"line (\d+)")


def read_po_units(path: str | Path, encoding: str | None = None) -> list[tuple[str, str, str]]:
    """``(unit_id, english, korean)`` for every message of a PO file, in file order."""
    import polib

    text, _ = read_text(path, encoding)
    try:
        po = polib.pofile(text if "\n" in text else text + "\n", check_for_duplicates=False)
    except (OSError, ValueError) as e:
        line = _LINE.search(str(e))
        raise InputError(str(path), f"not a valid PO file: {e}", line=int(line.group(1)) if line else None) from None
    language = (po.metadata.get("Language") or "").strip()
    if language and not language.lower().replace("_", "-").startswith("ko"):
        raise InputError(str(path), f"Language: {language!r} in the PO header: mtreview reviews Korean translations")
    rows: list[tuple[str, str, str]] = []
    for n, entry in enumerate((e for e in po if not e.obsolete and e.msgid), start=1):
        base = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        base = f"{entry.linenum}:{base}" if entry.linenum else f"{n}:{base}"
        if entry.msgid_plural:
            forms = entry.msgstr_plural or {0: ""}
            for k in sorted(forms):
                english = entry.msgid if k == 0 and len(forms) > 1 else entry.msgid_plural
                rows.append((f"{base}[{k}]", english, forms[k]))
        else:
            rows.append((base, entry.msgid, entry.msgstr))
    return rows


def read_po_bitext(path: str | Path, encoding: str | None = None, doc_id: str | None = None) -> Bitext:
    """A PO file as a bitext whose paragraphs correspond one to one (one per message or plural form)."""
    rows = [(uid, " ".join(src.split("\n")).strip(), " ".join(tgt.split("\n")).strip())
            for uid, src, tgt in read_po_units(path, encoding)]
    if not rows:
        raise InputError(str(path), "no messages in this PO file")
    if not any(tgt for _, _, tgt in rows):
        raise InputError(str(path), f"none of its {len(rows)} messages has a Korean translation (msgstr)")
    return rows_to_bitext(str(path), rows, "utf-8", doc_id or doc_id_for(path))
