"""The term base: concept entries with English and Korean terms, each with a status.

A concept entry is one person, place, organisation or term.  It has one or more
English terms and Korean terms; every Korean term is *preferred* (exactly one per
entry that has Korean terms), *admitted* (acceptable) or *deprecated* (seen, but to
be replaced by the preferred form).  Entries are frozen records; :class:`TermBase`
is the ordered, validated collection that commands change and save.

The canonical file is TBX (:mod:`glossary.tbx`); CSV/TSV are import/export
formats (:mod:`glossary.csvio`).  Saving is atomic and keeps a ``~`` backup.
"""
from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator

from corpus.errors import MtreviewError


class GlossaryError(MtreviewError):
    """A change that would break the term base (unknown entry, two preferred forms...)."""


class Status(str, Enum):
    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"


class EntryType(str, Enum):
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    TERM = "term"


LANGS = ("en", "ko")
# Characters XML 1.0 cannot carry (tab, newline and carriage return are fine).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (command-line arguments, file names).
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Term:
    """One written form of a concept in one language."""

    text: str
    lang: str
    status: Status = Status.PREFERRED
    part_of_speech: str = "properNoun"
    note: str = ""

    def __post_init__(self) -> None:
        if not self.text or self.text != self.text.strip():
            raise ValueError(f"term {self.text!r}: empty or padded with spaces")
        for label, value in (("term", self.text), ("note", self.note)):
            if _XML_ILLEGAL.search(value):
                raise ValueError(f"{label} {value!r}: contains a control character TBX cannot hold")
            if _SURROGATE.search(value):
                raise ValueError(f"{label} {value!r}: is not valid UTF-8 text (typed in another encoding?)")
        if self.lang not in LANGS:
            raise ValueError(f"term {self.text!r}: language {self.lang!r} is not one of {LANGS}")
        if not isinstance(self.status, Status):
            object.__setattr__(self, "status", Status(self.status))


@dataclass(frozen=True)
class Entry:
    """A concept: its id, type, English and Korean terms, a note and where it came from."""

    id: str
    type: EntryType
    english: tuple[Term, ...] = ()
    korean: tuple[Term, ...] = ()
    note: str = ""
    provenance: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.type, EntryType):
            object.__setattr__(self, "type", EntryType(self.type))
        for label, value in (("note", self.note), ("provenance", self.provenance)):
            if _XML_ILLEGAL.search(value):
                raise ValueError(f"entry {self.id}: {label} contains a control character TBX cannot hold")
            if _SURROGATE.search(value):
                raise ValueError(f"entry {self.id}: {label} is not valid UTF-8 text (typed in another encoding?)")
        if not re.fullmatch(r"[A-Za-z_][\w.-]*", self.id):
            raise ValueError(f"entry id {self.id!r} is not a valid XML id (a letter or _ first, then letters, "
                             "digits, _ . -)")

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.english + self.korean

    @property
    def preferred_korean(self) -> Term | None:
        return next((t for t in self.korean if t.status is Status.PREFERRED), None)

    @property
    def preferred_english(self) -> Term | None:
        return next((t for t in self.english if t.status is Status.PREFERRED), self.english[0] if self.english else None)

    @property
    def accepted_korean(self) -> tuple[Term, ...]:
        return tuple(t for t in self.korean if t.status is not Status.DEPRECATED)

    @property
    def deprecated_korean(self) -> tuple[Term, ...]:
        return tuple(t for t in self.korean if t.status is Status.DEPRECATED)

    @property
    def label(self) -> str:
        en = self.preferred_english
        ko = self.preferred_korean
        return f"{en.text if en else '?'} / {ko.text if ko else '?'}"

    def problems(self) -> list[str]:
        """What makes this entry invalid (empty when it is fine)."""
        out = []
        if not self.english and not self.korean:
            out.append(f"entry {self.id}: has no terms")
        preferred = [t.text for t in self.korean if t.status is Status.PREFERRED]
        if self.korean and len(preferred) != 1:
            out.append(f"entry {self.id}: needs exactly one preferred Korean term, has {len(preferred)}"
                       + (f" ({', '.join(preferred)})" if preferred else ""))
        for lang, terms in (("en", self.english), ("ko", self.korean)):
            texts = [t.text for t in terms]
            dupes = sorted({t for t in texts if texts.count(t) > 1})
            if dupes:
                out.append(f"entry {self.id}: {lang} term(s) listed twice: {', '.join(dupes)}")
            if any(t.lang != lang for t in terms):
                out.append(f"entry {self.id}: a term filed under the wrong language")
        return out


def slug(text: str) -> str:
    """An XML-id-safe slug of ``text`` (ASCII letters, digits, hyphens)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()
    return s if s and not s[0].isdigit() else f"c-{s}" if s else "c"


class TermBase:
    """An ordered, validated collection of :class:`Entry` records."""

    def __init__(self, entries: Iterable[Entry] = (), *, title: str = "mtreview glossary"):
        self.title = title
        self._entries: dict[str, Entry] = {}
        for e in entries:
            if e.id in self._entries:
                raise GlossaryError(f"entry id {e.id} used twice")
            self._entries[e.id] = e

    # --- reading -------------------------------------------------------------------
    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: str) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> Entry:
        try:
            return self._entries[entry_id]
        except KeyError:
            raise GlossaryError(f"no entry with id {entry_id!r}") from None

    def find(self, text: str) -> list[Entry]:
        """Entries with a term (either language, any status) equal to ``text`` (English case-insensitively)."""
        low = text.casefold()
        return [e for e in self if any(t.text == text or (t.lang == "en" and t.text.casefold() == low)
                                       for t in e.terms)]

    def resolve(self, key: str) -> Entry:
        """The entry named by id or by one of its terms; an error when none or several match."""
        if key in self._entries:
            return self._entries[key]
        found = self.find(key)
        if not found:
            raise GlossaryError(f"no entry with id or term {key!r}")
        if len(found) > 1:
            raise GlossaryError(f"{key!r} is a term of several entries: {', '.join(e.id for e in found)}; use an id")
        return found[0]

    def korean_index(self) -> dict[str, list[Entry]]:
        """Korean form -> entries that list it."""
        index: dict[str, list[Entry]] = {}
        for e in self:
            for t in e.korean:
                index.setdefault(t.text, []).append(e)
        return index

    # --- validation ----------------------------------------------------------------
    def errors(self) -> list[str]:
        return [p for e in self for p in e.problems()]

    def warnings(self) -> list[str]:
        """Korean forms claimed by two or more entries: allowed, but worth a look."""
        return [f"Korean term {form!r} is claimed by entries {', '.join(e.id for e in entries)}"
                for form, entries in self.korean_index().items() if len(entries) > 1]

    def validate(self) -> list[str]:
        """Raise :class:`GlossaryError` on errors; return the warnings."""
        errs = self.errors()
        if errs:
            raise GlossaryError("; ".join(errs))
        return self.warnings()

    # --- changing (each returns the warnings of the result) --------------------------
    def _commit(self, entry: Entry, *, replace_id: str | None = None) -> list[str]:
        problems = entry.problems()
        if problems:
            raise GlossaryError("; ".join(problems))
        if replace_id is None and entry.id in self._entries:
            raise GlossaryError(f"entry id {entry.id} already exists")
        self._entries[entry.id] = entry
        return self.warnings()

    def new_id(self, base: str) -> str:
        stem = slug(base)
        candidate, n = stem, 2
        while candidate in self._entries:
            candidate, n = f"{stem}-{n}", n + 1
        return candidate

    def add(self, english: Iterable[str], korean: Iterable[str], **kwargs) -> tuple[Entry, list[str]]:
        """Add a new entry; the first Korean form is the preferred one (see :meth:`_add`).

        An invalid term or id (empty, padded, a control character) is a :class:`GlossaryError`.
        """
        try:
            return self._add(english, korean, **kwargs)
        except ValueError as e:
            raise GlossaryError(str(e)) from None

    def _add(self, english: Iterable[str], korean: Iterable[str], *, type: EntryType | str = EntryType.PERSON,
            admitted: Iterable[str] = (), deprecated: Iterable[str] = (), note: str = "", provenance: str = "",
            entry_id: str | None = None) -> tuple[Entry, list[str]]:
        """Add a new entry; the first Korean form is the preferred one."""
        english, korean = list(english), list(korean)
        en_terms = tuple(Term(t, "en", Status.PREFERRED if i == 0 else Status.ADMITTED) for i, t in enumerate(english))
        ko_terms = tuple(Term(t, "ko", Status.PREFERRED if i == 0 else Status.ADMITTED) for i, t in enumerate(korean))
        ko_terms += tuple(Term(t, "ko", Status.ADMITTED) for t in admitted)
        ko_terms += tuple(Term(t, "ko", Status.DEPRECATED) for t in deprecated)
        if not en_terms and not ko_terms:
            raise GlossaryError("an entry needs at least one English or Korean term")
        eid = entry_id or self.new_id(english[0] if english else "c")
        entry = Entry(eid, EntryType(type), en_terms, ko_terms, note, provenance)
        return entry, self._commit(entry)

    def put(self, entry: Entry) -> list[str]:
        """Add or replace ``entry`` whole (import, apply)."""
        return self._commit(entry, replace_id=entry.id)

    def set_korean_status(self, key: str, form: str, status: Status) -> tuple[Entry, list[str]]:
        try:
            return self._set_korean_status(key, form, status)
        except ValueError as e:
            raise GlossaryError(str(e)) from None

    def _set_korean_status(self, key: str, form: str, status: Status) -> tuple[Entry, list[str]]:
        """Give ``form`` ``status`` in entry ``key`` (adding the form if new).

        Making a form preferred demotes the old preferred form to admitted.
        """
        entry = self.resolve(key)
        status = Status(status)
        terms = list(entry.korean)
        if not any(t.text == form for t in terms):
            terms.append(Term(form, "ko", status))
        new_terms = []
        for t in terms:
            if t.text == form:
                t = replace(t, status=status)
            elif status is Status.PREFERRED and t.status is Status.PREFERRED:
                t = replace(t, status=Status.ADMITTED)
            new_terms.append(t)
        if status is Status.DEPRECATED and not any(t.status is Status.PREFERRED for t in new_terms):
            raise GlossaryError(f"entry {entry.id}: {form!r} is its preferred Korean form; "
                                "prefer another form first")
        updated = replace(entry, korean=tuple(new_terms))
        return updated, self._commit(updated, replace_id=entry.id)

    def remove(self, key: str, form: str | None = None) -> Entry | None:
        """Remove entry ``key`` (returns None) or just its term ``form`` (returns the changed entry)."""
        entry = self.resolve(key)
        if form is None:
            del self._entries[entry.id]
            return None
        if not any(t.text == form for t in entry.terms):
            raise GlossaryError(f"entry {entry.id} has no term {form!r}")
        updated = replace(entry, english=tuple(t for t in entry.english if t.text != form),
                          korean=tuple(t for t in entry.korean if t.text != form))
        self._commit(updated, replace_id=entry.id)
        return updated

    def merge(self, keep_key: str, other_key: str) -> tuple[Entry, list[str]]:
        """Fold entry ``other_key`` into ``keep_key``: its terms join, its preferred form becomes admitted."""
        keep, other = self.resolve(keep_key), self.resolve(other_key)
        if keep.id == other.id:
            raise GlossaryError(f"cannot merge entry {keep.id} with itself")
        english = list(keep.english)
        for t in other.english:
            if all(t.text != e.text for e in english):
                english.append(replace(t, status=Status.ADMITTED))
        korean = list(keep.korean)
        for t in other.korean:
            if all(t.text != k.text for k in korean):
                status = Status.ADMITTED if t.status is Status.PREFERRED and keep.preferred_korean else t.status
                korean.append(replace(t, status=status))
        note = "; ".join(n for n in (keep.note, other.note) if n)
        provenance = "; ".join(p for p in (keep.provenance, other.provenance) if p)
        merged = replace(keep, english=tuple(english), korean=tuple(korean), note=note, provenance=provenance)
        problems = merged.problems()
        if problems:
            raise GlossaryError("; ".join(problems))
        del self._entries[other.id]
        self._entries[keep.id] = merged
        return merged, self.warnings()

    # --- files -----------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> "TermBase":
        """Read a TBX, CSV or TSV glossary (by extension)."""
        from glossary import csvio, tbx
        p = Path(path)
        if p.suffix.lower() in (".csv", ".tsv"):
            return csvio.read_table(p)
        return tbx.read_tbx(p)

    def save(self, path: str | Path) -> None:
        """Write atomically (previous file kept as ``path~``) as TBX, CSV or TSV by extension."""
        from glossary import csvio, tbx
        self.validate()
        p = Path(path)
        if p.suffix.lower() in (".csv", ".tsv"):
            csvio.write_table(self, p)
        else:
            tbx.write_tbx(self, p)


GLOSSARY_LOCK_TIMEOUT = 60.0
"""Seconds a change waits for another process's change of the same glossary before giving up."""


@contextlib.contextmanager
def glossary_lock(path: str | Path, timeout: float = GLOSSARY_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``PATH.lock`` while reading, changing and saving the glossary at ``path``.

    Each change is read-modify-write of the whole file; without the lock two concurrent
    ``mtreview glossary add`` (or an Accept in ``mtreview serve``) both read the old file and the
    last one to save drops the other's entry.  The lock file stays beside the glossary (removing it
    would race with a process about to lock it).
    """
    from filelock import FileLock, Timeout

    lock_path = Path(str(path) + ".lock")
    try:
        with FileLock(str(lock_path), timeout=timeout):
            yield
    except Timeout:
        raise GlossaryError(f"{path}: another process is changing this glossary (waited {timeout:.0f} s "
                            f"for {lock_path})") from None


__all__ = ["Entry", "EntryType", "GlossaryError", "Status", "Term", "TermBase", "glossary_lock", "slug", "field"]
