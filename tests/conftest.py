"""Shared fixtures: paths to the bundled sample and small helpers for writing input files."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The training recipes (training/ at the project root) are not in the installed package.  The root goes at the
# end of sys.path: ``training`` is found there, while corpus, glossary and review still come from wherever they
# are installed (CI tests the installed package).
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

from review.pipeline import sample_paths  # noqa: E402


@pytest.fixture(scope="session")
def sample_en() -> Path:
    return sample_paths()[0]


@pytest.fixture(scope="session")
def sample_ko() -> Path:
    return sample_paths()[1]
