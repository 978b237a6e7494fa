"""Progress of one long review: the stages the pipeline reports, and the bars drawn only on a terminal."""
from __future__ import annotations

import io
import zlib

import numpy as np

from corpus.encoders import CachedEncoder
from corpus.readers import read_bitext
from review.pipeline import ReviewConfig, review_bitext
from review.progress import StageBars


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _HashEncoder:
    """Deterministic vectors from the text's words (no model), with window embeddings by pooling."""

    name = "hash"

    def encode(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.split():
                out[i, zlib.crc32(word.encode()) % 64] += 1.0
            out[i, 0] += 0.1
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def encode_windows(self, texts, widths=(2, 3), chunk=256, on_chunk=None):
        singles = self.encode(texts)
        for start in range(0, len(texts), 2):  # small chunks, so progress is reported more than once
            if on_chunk is not None:
                on_chunk(min(len(texts), start + 2))
        runs = {w: self.encode([" ".join(texts[k:k + w]) for k in range(len(texts) - w + 1)]) for w in widths}
        return singles, runs


def _bitext(tmp_path):
    en = "\n\n".join(f"Paragraph {k} is about the city number {k}. It has {k} rivers." for k in range(6))
    ko = "\n\n".join(f"{k}번째 문단은 {k}번 도시에 관한 것이다. 강이 {k}개 있다." for k in range(6))
    (tmp_path / "doc.en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "doc.ko.txt").write_text(ko, encoding="utf-8")
    return read_bitext(str(tmp_path / "doc.en.txt"), str(tmp_path / "doc.ko.txt"))


def test_review_reports_every_stage_in_order_with_growing_counts(tmp_path, monkeypatch):
    monkeypatch.setattr("review.pipeline.load_encoder", lambda name: CachedEncoder(_HashEncoder()))
    calls = []
    config = ReviewConfig(out_dir=str(tmp_path / "out"), use_models=False, names=False)
    result = review_bitext(_bitext(tmp_path), config, progress=lambda *call: calls.append(call))
    assert (result.n_source_segments, result.n_target_segments) == (12, 12)
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["embedding", "alignment", "checks", "writing"]
    for stage in stages:
        seen = [(done, total) for s, done, total in calls if s == stage]
        assert [d for d, _ in seen] == sorted(d for d, _ in seen), stage  # never goes back
        assert seen[-1][0] == seen[-1][1], stage  # and ends complete
    assert sum(1 for s, _, _ in calls if s == "embedding") > 2
    assert [c for c in calls if c[0] == "embedding"][-1] == ("embedding", 24, 24)  # 12 segments a side
    assert [c for c in calls if c[0] == "checks"][-1] == ("checks", len(result.pairs), len(result.pairs))


def test_stage_bars_draw_on_a_terminal_and_stay_quiet_otherwise():
    terminal = _Terminal()
    with StageBars(stream=terminal, mininterval=0) as bars:
        bars("embedding", 10, 40)
        bars("embedding", 40, 40)
        bars("checks", 5, 20)
    shown = terminal.getvalue()
    assert "embedding" in shown and "40/40" in shown and "segments" in shown
    assert "checks" in shown and "5/20" in shown and "pairs" in shown

    log = io.StringIO()
    with StageBars(stream=log) as bars:  # not a terminal: a log or a pipe
        bars("embedding", 10, 40)
        bars("checks", 20, 20)
    assert log.getvalue() == ""
    muted = _Terminal()
    with StageBars(stream=muted, enabled=False) as bars:  # --quiet / --json
        bars("checks", 1, 2)
    assert muted.getvalue() == ""
