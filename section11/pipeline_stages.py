"""The stages of a sync that need only the core data, run at the same time.

After the core fetch, the history.json update, interval detail, terrain streams, route
downloads, athlete curves, DFA streams and comments each read the core data and their own
cached file, and none reads another's result. Run one after another, each waits for its
own slowest request before the next starts; run together, their requests overlap. Every
request still goes through the client's one token bucket and its in-flight cap (both
shared by every view of the client), so the run stays within the API's rate limit however
many stages are waiting.

What a run reports does not depend on which stage finishes first: each stage writes its
warnings to its own list, and ``Stages.run`` joins them in the order the stages were added
(the order of a one-after-another run). When stages raise, ``run`` waits for every stage to
end (no thread is left sending requests) and raises the error of the first failing stage in
that order, as a one-after-another run would have.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Run the stages at the same time. The tests turn it off to compare the overlapped run
#: with the one-after-another order (same requests, same files, same warnings).
OVERLAP = True

_UNSET: Any = object()


class Stage(Generic[T]):
    """One stage: ``fn`` gets the stage's own warning list and returns its result."""

    def __init__(self, name: str, fn: Callable[[list[str]], T]) -> None:
        self.name = name
        self.warnings: list[str] = []
        self._fn = fn
        self._value: T = _UNSET

    def _run(self) -> None:
        started = time.monotonic()
        self._value = self._fn(self.warnings)
        log.debug("stage %s: %.2f s", self.name, time.monotonic() - started)

    def result(self) -> T:
        """The stage's result; only after ``Stages.run`` returned."""
        if self._value is _UNSET:
            raise RuntimeError(f"stage {self.name} has not run")
        return self._value


class Stages:
    """Independent stages, added in the order a one-after-another run would take."""

    def __init__(self) -> None:
        self._stages: list[Stage[Any]] = []

    def add(self, name: str, fn: Callable[[list[str]], T]) -> Stage[T]:
        stage = Stage(name, fn)
        self._stages.append(stage)
        return stage

    def run(self) -> list[str]:
        """Run every stage; their warnings, in the order the stages were added."""
        if OVERLAP and len(self._stages) > 1:
            self._overlapped()
        else:
            for stage in self._stages:
                stage._run()
        return [warning for stage in self._stages for warning in stage.warnings]

    def _overlapped(self) -> None:
        pool = ThreadPoolExecutor(max_workers=len(self._stages), thread_name_prefix="stage")
        try:
            futures: list[Future[None]] = [pool.submit(stage._run) for stage in self._stages]
            wait(futures)
        finally:
            # Normally all done; on an interrupt, stop what has not started and wait for
            # the rest (their requests have timeouts), so no thread outlives the run.
            pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            error = future.exception()
            if error is not None:
                raise error
