"""Faults the tests inject: slow answers (held for their seconds, or until the fault changes), dropped
answers, blanket declines.

A fault applies to requests that move money (authorisations, credit transfers); reversals, network
checks and the HTTP side's other routes are always answered, or a reversal could never be
acknowledged.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    NONE = "none"
    SLOW = "slow"
    DROP = "drop"
    DECLINE = "decline"


@dataclass(frozen=True, slots=True)
class Fault:
    mode: Mode = Mode.NONE
    seconds: float = 0.0


class Faults:
    """The fault now in force, changed at any time from another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._current = Fault()

    def set(self, mode: Mode, seconds: float = 0.0) -> Fault:
        with self._changed:
            self._current = Fault(mode, max(0.0, seconds))
            self._changed.notify_all()
            return self._current

    @property
    def current(self) -> Fault:
        with self._lock:
            return self._current

    def hold(self, fault: Fault) -> None:
        """Hold a slow answer for the fault's seconds, or until another fault is set: a test that has
        done what it needed while the answer was late lets it go then, instead of sleeping."""
        with self._changed:
            self._changed.wait_for(lambda: self._current is not fault, timeout=fault.seconds)
