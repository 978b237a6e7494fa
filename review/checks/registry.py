"""The check registry: every check is a small function declared with its metadata.

A check is registered with :func:`check` under a stable kebab-case name (the
name appears in JSONL and reports), an MQM category and a default severity.
Its docstring's first line is the title reports show.  A check takes one
:class:`~review.checks.context.CheckPair` and the document's
:class:`~review.checks.context.DocumentContext` and returns findings (an
iterable, a single finding, or ``None``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from corpus.errors import MtreviewError
from review.records import Category, Finding, Severity

if TYPE_CHECKING:
    from review.checks.context import CheckPair, DocumentContext

CheckFunc = Callable[["CheckPair", "DocumentContext"], "Finding | Iterable[Finding] | None"]


@dataclass(frozen=True)
class CheckSpec:
    """One registered check: its stable name, MQM category, default severity and function."""

    name: str
    category: Category
    severity: Severity
    func: CheckFunc

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


def check(name: str, *, category: Category, severity: Severity) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as the check ``name``."""
    def register(func: CheckFunc) -> CheckFunc:
        if name in CHECKS:
            raise ValueError(f"duplicate check {name!r}")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"check {name!r} needs a docstring (its first line is the title)")
        CHECKS[name] = CheckSpec(name, Category(category), Severity(severity), func)
        return func
    return register


def spec(name: str) -> CheckSpec:
    """The registered check ``name`` (a clear error for an unknown name)."""
    try:
        return CHECKS[name]
    except KeyError:
        raise MtreviewError(f"unknown check {name!r} (known: {', '.join(sorted(CHECKS))})") from None


def select_checks(enable: Iterable[str] | None = None, disable: Iterable[str] = ()) -> tuple[CheckSpec, ...]:
    """The checks to run: ``enable`` (all when ``None``) minus ``disable``, validated by name."""
    names = list(CHECKS) if enable is None else list(enable)
    off = set(disable)
    for n in [*names, *off]:
        spec(n)
    return tuple(CHECKS[n] for n in names if n not in off)


def run_check(check_spec: CheckSpec, pair: "CheckPair", ctx: "DocumentContext") -> list[Finding]:
    """Run one check on one pair; a crash is re-raised as :class:`CheckError` naming both."""
    try:
        result = check_spec.func(pair, ctx)
    except Exception as e:  # noqa: BLE001 - wrapped with context, never swallowed
        raise CheckError(check_spec.name, pair.id, pair.src, pair.tgt, e) from e
    if result is None:
        return []
    if isinstance(result, Finding):
        return [result]
    return list(result)
