"""The review layer's records: findings and reviewed pairs (one line of ``segments.jsonl``).

Spans inside a finding are offsets into the pair's own ``tgt`` / ``src`` text;
``ReviewedPair.tgt_start`` / ``src_start`` turn them into offsets into the
original documents.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from corpus.records import Span, _check_keys


class Severity(str, enum.Enum):
    """MQM severities; the value is what JSONL and reports show."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def weight(self) -> int:
        """MQM penalty weight: minor 1, major 5, critical 25."""
        return {"minor": 1, "major": 5, "critical": 25}[self.value]


class Category(str, enum.Enum):
    """MQM-style top-level error categories (plus ``garbled`` for broken output)."""

    ACCURACY = "accuracy"
    TERMINOLOGY = "terminology"
    FLUENCY = "fluency"
    STYLE = "style"
    LOCALE = "locale"
    GARBLED = "garbled"


@dataclass(frozen=True)
class Finding:
    """One problem found by one check in one aligned pair."""

    check: str
    category: Category
    severity: Severity
    message: str
    tgt_spans: tuple[Span, ...] = ()
    src_spans: tuple[Span, ...] = ()
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "category": self.category.value, "severity": self.severity.value,
                "message": self.message, "tgt_spans": [s.to_dict() for s in self.tgt_spans],
                "src_spans": [s.to_dict() for s in self.src_spans], "suggestion": self.suggestion}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        _check_keys(cls, data, optional=frozenset({"tgt_spans", "src_spans", "suggestion"}))
        return cls(str(data["check"]), Category(data["category"]), Severity(data["severity"]),
                   str(data["message"]),
                   tuple(Span.from_dict(s) for s in data.get("tgt_spans", ())),
                   tuple(Span.from_dict(s) for s in data.get("src_spans", ())),
                   data.get("suggestion"))


@dataclass(frozen=True)
class ReviewedPair:
    """One aligned pair of a document with its findings and scores.

    ``src_idx`` / ``tgt_idx`` are the segment indices of the bead (either may be
    empty); ``src`` / ``tgt`` the texts they cover; ``no_source`` marks Korean
    whose English was never available (not an addition).
    """

    id: str
    doc_id: str
    position: int
    src_idx: tuple[int, ...]
    tgt_idx: tuple[int, ...]
    src: str
    tgt: str
    src_start: int | None = None
    tgt_start: int | None = None
    paragraph: int | None = None
    align_score: float | None = None
    no_source: bool = False
    score: float | None = None
    quality: float | None = None   # learned quality estimate in [0, 1], higher = better
    qe: float | None = None        # the user's neural QE model's score (--qe), higher = better
    penalty: float = 0.0
    priority: float = 0.0
    findings: tuple[Finding, ...] = ()

    _OPTIONAL = frozenset({"src_start", "tgt_start", "paragraph", "align_score", "no_source",
                           "score", "quality", "qe", "penalty", "priority", "findings"})

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "doc_id": self.doc_id, "position": self.position,
                "src_idx": list(self.src_idx), "tgt_idx": list(self.tgt_idx),
                "src": self.src, "tgt": self.tgt, "src_start": self.src_start, "tgt_start": self.tgt_start,
                "paragraph": self.paragraph, "align_score": self.align_score, "no_source": self.no_source,
                "score": self.score, "quality": self.quality, "qe": self.qe, "penalty": self.penalty, "priority": self.priority,
                "findings": [f.to_dict() for f in self.findings]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ReviewedPair":
        _check_keys(cls, data, optional=cls._OPTIONAL)
        return cls(
            id=str(data["id"]), doc_id=str(data["doc_id"]), position=int(data["position"]),
            src_idx=tuple(int(i) for i in data["src_idx"]), tgt_idx=tuple(int(i) for i in data["tgt_idx"]),
            src=str(data["src"]), tgt=str(data["tgt"]),
            src_start=data.get("src_start"), tgt_start=data.get("tgt_start"),
            paragraph=data.get("paragraph"), align_score=data.get("align_score"),
            no_source=bool(data.get("no_source", False)), score=data.get("score"),
            quality=data.get("quality"), qe=data.get("qe"),
            penalty=float(data.get("penalty", 0.0)), priority=float(data.get("priority", 0.0)),
            findings=tuple(Finding.from_dict(f) for f in data.get("findings", ())),
        )
