"""The check registry: every check is one function declared with everything known about it.

A check is registered with :func:`check` under a stable kebab-case name (the
name appears in JSONL and reports).  The decorator's arguments make its
:class:`CheckSpec`, the single place that says what the check is: its MQM
category and default severity, what it needs to say anything, how scoring
weighs it (informational or not, its garble-feature group, its priority
share), which generic checks it supersedes and where it is exempt.  Scoring,
the report statistics and the CLI read the specs; nothing else keeps tables of
check names.  Its docstring's first line is the title reports show.

A check takes one :class:`~review.checks.context.CheckPair` and the document's
:class:`~review.checks.context.DocumentContext` and returns findings (an
iterable, a single finding, or ``None``).  Adding a check is one decorated
function plus its golden test (tests/review/test_checks.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from corpus.errors import MtreviewError
from review.records import Category, Finding, Severity

if TYPE_CHECKING:
    from review.checks.context import CheckPair, DocumentContext

CheckFunc = Callable[["CheckPair", "DocumentContext"], "Finding | Iterable[Finding] | None"]

NEEDS = {
    "source": "the English source (without it the check is silent)",
    "models": "Kiwi's language model or the sentence encoder (silent with --no-models)",
    "glossary": "a term base (--glossary)",
    "names": "name discovery over the whole document (silent with --no-names)",
}
"""What a check may need to say anything, with what it means for the user."""

GARBLE_GROUPS = ("untranslated", "encoding", "repetition", "number", "structure", "fluency", "drift")
"""The garble model's finding features, in the order of its shipped weights (review/scoring.py)."""

EXEMPT_PLACES = {
    "references": "the references / bibliography section (after its heading), where titles and cited "
                  "names keep their original language",
}
"""Parts of a document where an exempt check does not run."""


@dataclass(frozen=True)
class CheckSpec:
    """Everything about one registered check.

    ``garble_group`` is the garble-model feature its findings count towards (``None``: the check does
    not feed the garble score, a choice every check states).  ``informational`` findings describe the
    input rather than an error: no penalty, never queued.  ``priority_share`` scales what a minor or
    major finding adds to the review priority.  ``supersedes`` names generic checks whose finding on
    the same Korean text this more specific one replaces.  ``exempt`` names places where it does not run.
    """

    name: str
    category: Category
    severity: Severity
    func: CheckFunc
    garble_group: str | None
    needs: frozenset[str] = frozenset()
    informational: bool = False
    priority_share: float = 1.0
    supersedes: frozenset[str] = frozenset()
    exempt: frozenset[str] = frozenset()

    @property
    def title(self) -> str:
        """The first line of the check's docstring: what reports show."""
        doc = (self.func.__doc__ or "").strip()
        return doc.splitlines()[0].strip() if doc else ""

    def finding(self, message: str, tgt_spans=(), src_spans=(), suggestion: str | None = None,
                severity: Severity | None = None) -> Finding:
        """A finding of this check (default severity unless ``severity`` overrides it)."""
        return Finding(self.name, self.category, severity or self.severity, message,
                       tuple(tgt_spans), tuple(src_spans), suggestion)


CHECKS: dict[str, CheckSpec] = {}


class CheckError(MtreviewError):
    """A check crashed on a pair; names the check and the pair so the crash can be reproduced."""

    def __init__(self, check: str, pair_id: str, src: str, tgt: str, error: Exception):
        self.check, self.pair_id = check, pair_id
        super().__init__(f"check {check!r} failed on pair {pair_id}: {type(error).__name__}: {error} "
                         f"(src={src[:60]!r}, tgt={tgt[:60]!r})")


_UNSET = object()


def check(name: str, *, category: Category, severity: Severity, garble_group: str | None = _UNSET,  # type: ignore[assignment]
          needs: Iterable[str] = (), informational: bool = False, priority_share: float = 1.0,
          supersedes: Iterable[str] = (), exempt: Iterable[str] = ()) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as the check ``name`` (see :class:`CheckSpec` for the arguments).

    ``garble_group`` must be given, ``None`` included: a check that does not feed the garble score
    says so.
    """
    def register(func: CheckFunc) -> CheckFunc:
        if name in CHECKS:
            raise ValueError(f"duplicate check {name!r}")
        if name != name.lower() or not name.replace("-", "").isalnum():
            raise ValueError(f"check name {name!r} must be kebab-case")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"check {name!r} needs a docstring (its first line is the title)")
        if garble_group is _UNSET:
            raise ValueError(f"check {name!r} must state its garble_group (None when it does not feed the score)")
        if garble_group is not None and garble_group not in GARBLE_GROUPS:
            raise ValueError(f"check {name!r}: unknown garble_group {garble_group!r} (known: {', '.join(GARBLE_GROUPS)})")
        for label, given, known in (("needs", needs, NEEDS), ("exempt", exempt, EXEMPT_PLACES)):
            unknown = set(given) - set(known)
            if unknown:
                raise ValueError(f"check {name!r}: unknown {label} {sorted(unknown)} (known: {', '.join(known)})")
        if not 0.0 <= priority_share <= 1.0:
            raise ValueError(f"check {name!r}: priority_share must lie in [0, 1]")
        CHECKS[name] = CheckSpec(name, Category(category), Severity(severity), func, garble_group,
                                 frozenset(needs), informational, float(priority_share), frozenset(supersedes),
                                 frozenset(exempt))
        return func
    return register


def spec(name: str) -> CheckSpec:
    """The registered check ``name`` (a clear error for an unknown name)."""
    try:
        return CHECKS[name]
    except KeyError:
        raise MtreviewError(f"unknown check {name!r} (known: {', '.join(sorted(CHECKS))})") from None


def validate_names(names: Iterable[str]) -> None:
    """Raise a clear error for any name that is not a registered check (cheap: no model is loaded)."""
    for n in names:
        spec(n)


def select_checks(enable: Iterable[str] | None = None, disable: Iterable[str] = ()) -> tuple[CheckSpec, ...]:
    """The checks to run: ``enable`` (all when ``None``) minus ``disable``, validated by name."""
    names = list(CHECKS) if enable is None else list(enable)
    off = set(disable)
    validate_names([*names, *off])
    return tuple(CHECKS[n] for n in names if n not in off)


def checks_where(flag: Callable[[CheckSpec], bool]) -> frozenset[str]:
    """Names of the registered checks whose spec satisfies ``flag``."""
    return frozenset(n for n, s in CHECKS.items() if flag(s))


def is_informational(check_name: str) -> bool:
    """Whether findings of ``check_name`` describe the input rather than an error (False for unknown names)."""
    s = CHECKS.get(check_name)
    return s is not None and s.informational


def run_check(check_spec: CheckSpec, pair: "CheckPair", ctx: "DocumentContext") -> list[Finding]:
    """Run one check on one pair; a crash is re-raised as :class:`CheckError` naming both."""
    if "references" in check_spec.exempt and ctx.in_references(pair):
        return []
    try:
        result = check_spec.func(pair, ctx)
    except Exception as e:  # noqa: BLE001 - wrapped with context, never swallowed
        raise CheckError(check_spec.name, pair.id, pair.src, pair.tgt, e) from e
    if result is None:
        return []
    if isinstance(result, Finding):
        return [result]
    return list(result)
