"""A small review output for the serve tests: the first paragraphs of the bundled Korean sample alone,
reviewed with the rule-based checks (``--no-models``) against a writable copy of the demo glossary."""
from __future__ import annotations

import shutil
from pathlib import Path

from review.cli import main
from review.pipeline import sample_paths

N_PARAGRAPHS = 10


def korean_excerpt() -> str:
    text = sample_paths()[1].read_text(encoding="utf-8")
    return "\n\n".join(text.split("\n\n")[:N_PARAGRAPHS]) + "\n"


def make_review(base: Path, korean: str | None = None) -> tuple[Path, Path, Path]:
    """(Korean file, glossary copy, output folder) under ``base``, reviewed once."""
    base.mkdir(parents=True, exist_ok=True)
    ko = base / "excerpt.ko.txt"
    ko.write_text(korean or korean_excerpt(), encoding="utf-8")
    glossary = base / "names.tbx"
    shutil.copyfile(sample_paths()[1].with_name("maisky.glossary.tbx"), glossary)
    out = base / "out"
    rerun(ko, glossary, out)
    return ko, glossary, out


def rerun(ko: Path, glossary: Path, out: Path) -> None:
    assert main(["review", str(ko), "--out", str(out), "--quiet", "--no-models", "--glossary", str(glossary)]) == 0
