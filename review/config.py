"""What a review run does: :class:`ReviewConfig`, validated when it is built.

Kept apart from :mod:`review.pipeline` so that building (and validating) a configuration loads
no model, reads no input and imports no aligner: a misspelt ``--disable`` name fails at once.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from review import __version__

DEFAULT_OUT_DIR = "mtreview-out"


@dataclass(frozen=True)
class ReviewConfig:
    """Everything that decides what a review run does; recorded in the output header."""

    source: str | None = None
    target: str | None = None
    out_dir: str = DEFAULT_OUT_DIR
    encoding: str | None = None
    doc_id: str | None = None
    encoder: str = "use"
    checks: tuple[str, ...] | None = None  # None: every registered check
    xliff: bool = False  # also write review.xlf (XLIFF 2.1, findings as notes)
    xlsx: bool = False  # also write review.xlsx (the Excel QA report, one row per finding)
    reference: str | None = None  # a reference or post-edited Korean file to score against
    disabled_checks: tuple[str, ...] = ()
    use_models: bool = True  # Kiwi LM and sentence embeddings; False runs the rule-based checks only
    glossary: str | None = None  # a TBX (or CSV/TSV) term base to check names and terms against
    names: bool = True  # discover names and check their spellings across the document
    qe: str | None = None  # a neural QE model the user has: comet:PATH or hf:PATH (review.neural_qe)
    profile: str | None = None  # a house-style profile (TOML: severities, allow-lists, thresholds; review.profile)

    def __post_init__(self) -> None:
        # a misspelt check name fails here, before any model loads or alignment runs
        from review.checks.registry import validate_names
        validate_names([*(self.checks or ()), *self.disabled_checks])
        if self.qe is not None and self.qe.partition(":")[0] not in ("comet", "hf"):
            from corpus.errors import MtreviewError
            raise MtreviewError(f"unknown --qe {self.qe!r} (use comet:/path/to/checkpoint or hf:/path/to/model)")
        if self.profile is not None:
            self.policy()  # a broken profile fails here too, naming the file and the problem

    def policy(self):
        """The house style this run applies: the profile's, else the default (:mod:`review.policy`)."""
        from review.policy import DEFAULT_POLICY
        if self.profile is None:
            return DEFAULT_POLICY
        from review.profile import load_profile
        return load_profile(self.profile)

    def header(self) -> dict[str, Any]:
        out = {"mtreview": __version__, "config": asdict(self), "models": {"encoder": self.encoder}}
        if self.profile is not None:
            from review.profile import profile_summary
            out["profile"] = profile_summary(self.policy())
        return out
