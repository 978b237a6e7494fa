"""Shared fixtures: paths to the bundled sample and small helpers for writing input files."""
from __future__ import annotations

from pathlib import Path

import pytest

from review.pipeline import sample_paths


@pytest.fixture(scope="session")
def sample_en() -> Path:
    return sample_paths()[0]


@pytest.fixture(scope="session")
def sample_ko() -> Path:
    return sample_paths()[1]
