"""The corpus layer's records: documents, their paragraphs and segments, and alignment beads.

All records are small frozen dataclasses.  ``to_dict`` gives plain JSON-ready
data; ``from_dict`` rebuilds the record and rejects unknown or missing keys,
so a typo in a JSONL file is an error rather than silently dropped data.

Offsets are character offsets (Python ``str`` indices) into ``Document.text``,
the decoded text of the original file, so ``doc.text[seg.start:seg.end] ==
seg.text`` always holds and any span shown later points at real text.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import Any, Iterator


def _check_keys(cls: type, data: dict[str, Any], optional: frozenset[str] = frozenset()) -> None:
    """Reject unknown keys and missing required keys with a message naming them."""
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown key(s) {sorted(unknown)}")
    missing = names - set(data) - optional
    if missing:
        raise ValueError(f"{cls.__name__}: missing key(s) {sorted(missing)}")


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in some text, with the text it covers."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Span: bad range {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"Span: text {self.text!r} does not fit range {self.start}..{self.end}")

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """The span ``[start, end)`` of ``text``."""
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Span":
        _check_keys(cls, data)
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading) of a document.

    ``index`` is the 0-based position among all segments of the document (the
    index alignment beads use); ``start``/``end`` are offsets into the document text.
    """

    index: int
    paragraph: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "paragraph": self.paragraph, "start": self.start,
                "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Segment":
        _check_keys(cls, data)
        return cls(int(data["index"]), int(data["paragraph"]), int(data["start"]),
                   int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Paragraph:
    """A block of text: a body paragraph, a heading or a caption, made of segments."""

    index: int
    start: int
    end: int
    segments: tuple[Segment, ...]
    heading: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "end": self.end, "heading": self.heading,
                "segments": [s.to_dict() for s in self.segments]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Paragraph":
        _check_keys(cls, data, optional=frozenset({"heading"}))
        return cls(int(data["index"]), int(data["start"]), int(data["end"]),
                   tuple(Segment.from_dict(s) for s in data["segments"]), bool(data.get("heading", False)))


@dataclass(frozen=True)
class InlineCode:
    """One inline code of a CAT file (XLIFF ``<g>``/``<x/>``/``<ph>``/``<pc>``/``<sc/>``..., TMX
    ``<bpt>``/``<ept>``/``<ph>``...) at ``offset`` in the flattened text: ``kind`` is ``open``, ``close`` or
    ``standalone``; ``id`` pairs an opening code with its closing one and a source code with its target."""

    kind: str
    id: str
    offset: int
    name: str = ""  # the element it came from (g, x, ph, bpt...)

    def label(self) -> str:
        return {"open": f"<{self.id}>", "close": f"</{self.id}>"}.get(self.kind, f"<{self.id}/>")


@dataclass(frozen=True)
class Document:
    """A decoded file (or one record of a bitext) split into paragraphs and segments.

    ``text`` is the full decoded text that every offset points into; ``path`` is
    where it came from (for messages), ``lang`` an ISO 639-1 code (``en``, ``ko``).
    """

    doc_id: str
    lang: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    path: str = ""
    encoding: str = "utf-8"
    inline_codes: tuple["InlineCode", ...] = ()
    """Inline codes (tags, placeholders) the input file had in this text, at their offsets in ``text``
    (XLIFF and TMX input; the text itself holds only what a reader sees)."""

    @functools.cached_property
    def segments(self) -> tuple[Segment, ...]:
        # built once: callers index it per aligned pair, and rebuilding it each time is quadratic
        return tuple(s for p in self.paragraphs for s in p.segments)

    def iter_segments(self) -> Iterator[Segment]:
        for p in self.paragraphs:
            yield from p.segments

    def to_dict(self) -> dict[str, Any]:
        d = {"doc_id": self.doc_id, "lang": self.lang, "text": self.text, "path": self.path,
             "encoding": self.encoding, "paragraphs": [p.to_dict() for p in self.paragraphs]}
        if self.inline_codes:
            d["inline_codes"] = [[c.kind, c.id, c.offset, c.name] for c in self.inline_codes]
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        _check_keys(cls, data, optional=frozenset({"path", "encoding", "inline_codes"}))
        return cls(str(data["doc_id"]), str(data["lang"]), str(data["text"]),
                   tuple(Paragraph.from_dict(p) for p in data["paragraphs"]),
                   str(data.get("path", "")), str(data.get("encoding", "utf-8")),
                   tuple(InlineCode(str(k), str(i), int(o), str(n)) for k, i, o, n in data.get("inline_codes") or ()))


@dataclass(frozen=True)
class Bead:
    """One alignment bead: source segment indices, target segment indices, a score.

    Either side may be empty: ``src=()`` is a 0-1 bead (Korean with no English:
    an addition), ``tgt=()`` a 1-0 bead (English with no Korean: an omission).
    The score is the aligner's confidence in [0, 1]; higher is better.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"`` and so on."""
        return f"{len(self.src)}-{len(self.tgt)}"

    def to_list(self) -> list[Any]:
        """The benchmark/Vecalign-style list form ``[[src], [tgt], score]``."""
        return [list(self.src), list(self.tgt), round(float(self.score), 4)]

    def to_dict(self) -> dict[str, Any]:
        return {"src": list(self.src), "tgt": list(self.tgt), "score": round(float(self.score), 4)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Bead":
        _check_keys(cls, data, optional=frozenset({"score"}))
        return cls(tuple(int(i) for i in data["src"]), tuple(int(i) for i in data["tgt"]),
                   float(data.get("score", 0.0)))

    def vecalign(self) -> str:
        """Vecalign's text form: ``[0, 1]:[0]:0.873``."""
        return f"{list(self.src)}:{list(self.tgt)}:{self.score:.3f}"
