"""House style: what a project accepts on purpose, so that the checks do not report it as an error.

Translators make some choices deliberately: a name kept in Latin letters as the English writes it,
a gloss after its Korean form (``코무치(Komuch)``), an acronym Korean writes in Latin (``EU``, ``FBI``).
A :class:`Policy` says how the checks treat such choices; the defaults follow common Korean
practice and a project profile (:mod:`review.profile`) changes them.

The policy travels with the document's :class:`~review.checks.context.DocumentContext`, so a check
reads ``ctx.policy`` rather than a global.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping
from functools import cached_property, lru_cache
from importlib import resources

from review.records import Severity

# How a deliberate choice is reported: not at all, or as a finding of this severity.
IGNORE = "ignore"
NOTE = "note"  # shown as an informational finding (no penalty, not queued, not a false alarm)
CHOICES = (IGNORE, NOTE, Severity.MINOR.value, Severity.MAJOR.value, Severity.CRITICAL.value)
NOTE_SETTINGS = ("glosses", "short_translations")  # the settings a "note" can be given to (a check shows it)
OFF = "off"  # a check's severity set to this switches the check off

# Thresholds a profile may set: name -> (default, what it decides).  The checks read them through
# Policy.threshold, so the defaults here are the checks' own.
THRESHOLDS: dict[str, tuple[float, str]] = {
    "drift-cosine": (0.15, "semantic-drift: cross-lingual cosine below which a pair has drifted "
                           "(0.30 also reports free renderings, minor)"),
    "fluency-gain": (5.5, "fluency: LM gain per word below which the word order is implausible"),
    "omission-share": (0.45, "omission: Korean below this share of the expected length is an omission"),
    "kept-name-pairs": (2, "untranslated: pairs a Latin name recurs in to count as the document's style"),
}


@lru_cache(maxsize=1)
def shipped_acronyms() -> frozenset[str]:
    """Acronyms Korean commonly writes in Latin letters (``review/data/acronyms.txt``)."""
    text = (resources.files("review") / "data" / "acronyms.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.lstrip().startswith("#") for w in line.split())


def _key(text: str) -> str:
    """Comparison key for allow-list entries: case and the spacing of initials ignored ("H.G." = "H. G.")."""
    return re.sub(r"\s+", " ", re.sub(r"\.\s*", ".", text.strip())).casefold().rstrip(".")


@dataclass(frozen=True)
class Policy:
    """What the checks accept as house style (defaults: common Korean practice).

    ``latin_names``: a name that the English writes the same way, kept in Latin letters in the
    Korean (``Francis Galton의 이론``).  A style choice; the same name written in Hangul elsewhere in
    the document is an inconsistency that ``name-inconsistent`` reports whatever this says.
    ``glosses``: Latin letters in brackets right after their Korean form (``코무치(Komuch)``), at the
    first mention, as Korean style guides ask, giving the English's own term or the original of a name the
    Hangul transliterates: the standard convention, by default shown as an informational note
    (``untranslated-gloss``: no penalty, never queued).  A gloss that is neither is minor whatever this says.
    ``repeated_glosses``: the same gloss again later.
    ``short_translations``: a Korean short for its English (below 0.7 of the document's usual length) with
    nothing else pointing at a missing part, as concise human translations are: by default an informational
    note (``possible-omission``); "minor" makes it an ``omission`` finding.  A larger shortfall, a Korean cut
    off, or a short Korean with an unrendered English part or word is an ``omission`` whatever this says.
    ``foreign_quotes``: text in another language than English kept as the English quotes it
    (``"Il faut bien le faire"``).
    ``acronyms`` and ``do_not_translate``: text left in Latin on purpose, matched without regard to
    case or the spacing of initials.  ``ignore_texts``: flagged text a reviewer dismissed everywhere.
    """

    latin_names: str = Severity.MINOR.value
    glosses: str = NOTE
    repeated_glosses: str = Severity.MINOR.value
    foreign_quotes: str = IGNORE
    short_translations: str = NOTE
    acronyms: frozenset[str] = field(default_factory=shipped_acronyms)
    do_not_translate: frozenset[str] = frozenset()
    ignore_texts: frozenset[str] = frozenset()
    severities: Mapping[str, str] = field(default_factory=dict)  # check -> minor/major/critical/off
    thresholds: Mapping[str, float] = field(default_factory=dict)  # THRESHOLDS name -> value

    def __post_init__(self) -> None:
        for name in ("latin_names", "glosses", "repeated_glosses", "foreign_quotes", "short_translations"):
            choices = CHOICES if name in NOTE_SETTINGS else tuple(c for c in CHOICES if c != NOTE)
            if getattr(self, name) not in choices:
                raise ValueError(f"policy {name}: {getattr(self, name)!r} is not one of {', '.join(choices)}")
        for name in self.thresholds:
            if name not in THRESHOLDS:
                raise ValueError(f"policy: unknown threshold {name!r} (known: {', '.join(THRESHOLDS)})")

    def threshold(self, name: str) -> float:
        """A threshold's value: the profile's, else the check's default."""
        return float(self.thresholds.get(name, THRESHOLDS[name][0]))

    @property
    def disabled_checks(self) -> frozenset[str]:
        """Checks the profile switches off."""
        return frozenset(n for n, v in self.severities.items() if v == OFF)

    def apply(self, findings):
        """The findings under this house style: the profile's severity per check (checks set to "off"
        dropped), and none on a text a reviewer dismissed everywhere."""
        from dataclasses import replace
        out = []
        for f in findings:
            value = self.severities.get(f.check)
            if value == OFF or (self.ignore_texts and f.tgt_spans and self.ignores(f.tgt_spans[0].text)):
                continue
            out.append(replace(f, severity=Severity(value)) if value and value != f.severity.value else f)
        return out

    @cached_property
    def _allowed_keys(self) -> frozenset[str]:
        return frozenset(_key(t) for t in (*self.acronyms, *self.do_not_translate))

    def allows_latin(self, text: str) -> bool:
        """``text`` (Latin letters in the Korean) is on an allow-list: an acronym or a do-not-translate term."""
        key = _key(text)
        if key in self._allowed_keys:
            return True
        # a plural or possessive of an allowed acronym ("NGOs", "CEO's"), or a run of allowed words ("EU NATO")
        if re.fullmatch(r"[a-z0-9&.\-]+(?:'?s)", key) and re.sub(r"'?s$", "", key) in self._allowed_keys:
            return True
        words = key.split()
        return len(words) > 1 and all(w in self._allowed_keys for w in words)

    def ignores(self, text: str) -> bool:
        """A reviewer dismissed findings on this exact text everywhere."""
        return text.strip() in self.ignore_texts

    @staticmethod
    def severity(choice: str) -> Severity | None:
        """The severity a choice setting stands for (``None``: not reported as an error; a "note" is shown by
        an informational check instead)."""
        return None if choice in (IGNORE, NOTE) else Severity(choice)


DEFAULT_POLICY = Policy()
