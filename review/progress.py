"""Progress of one long review on stderr: one tqdm bar per stage (embedding, alignment, names, checks...).

The library layers report through a plain callable ``report(stage, done, total)`` (see
:data:`ProgressFn`) and know nothing of terminals; :class:`StageBars` turns those calls into
bars.  Bars show only on a terminal: piped or logged runs stay quiet.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, TextIO

# stage name, units done so far in the stage, units in the stage
ProgressFn = Callable[[str, int, int], None]

# What a stage counts, for the bar's unit.
UNITS = {"embedding": "segments", "alignment": "segments", "names": "steps", "context": "pairs",
         "checks": "pairs", "writing": "files"}


def no_progress(stage: str, done: int, total: int) -> None:
    """A :data:`ProgressFn` that reports nothing."""


class StageBars:
    """A :data:`ProgressFn` drawing one tqdm bar per stage; a new stage closes the previous bar.

    ``enabled=None`` shows bars only when ``stream`` is a terminal; ``mininterval`` is tqdm's
    shortest time between redraws (seconds).
    """

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, mininterval: float = 0.1):
        self.stream = stream or sys.stderr
        self.mininterval = mininterval
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self._stage: str | None = None
        self._bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self._stage or self._bar is None:
            self.close()
            from tqdm import tqdm

            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, unit=UNITS.get(stage, "items"), file=self.stream,
                             leave=False, dynamic_ncols=True, mininterval=self.mininterval)
        if total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar, self._stage = None, None

    def __enter__(self) -> "StageBars":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
