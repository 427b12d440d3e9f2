"""Fault injection: make the store slow, failing or silent on purpose.

Faults are checked before authentication, in the order they were added, and
each counts down as it is applied. `path` limits a fault to requests whose
path contains that text (e.g. "orders/batch").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    """One planned fault: kind is "latency", "fail" or "drop"."""

    kind: str
    remaining: int | None  # None: for ever
    path: str | None = None
    seconds: float = 0.0
    status: int = 0
    retry_after: int | None = None

    def matches(self, path):
        return self.path is None or self.path in path


class FaultPlan:
    """The faults the store will inject into the next requests."""

    def __init__(self):
        self._faults = []
        self._lock = threading.Lock()

    def latency(self, seconds, count=None, path=None):
        """Delay the next `count` requests (all, if None) by `seconds`."""
        return self._add(Fault("latency", count, path, seconds=seconds))

    def fail(self, status, count=1, retry_after=None, path=None):
        """Answer the next `count` requests with `status` (429, 500, 503...)."""
        return self._add(Fault("fail", count, path, status=status, retry_after=retry_after))

    def drop(self, count=1, path=None):
        """Close the connection of the next `count` requests without answering."""
        return self._add(Fault("drop", count, path))

    def clear(self):
        """Remove every planned fault."""
        with self._lock:
            self._faults.clear()

    @property
    def pending(self):
        """The faults still planned (copies)."""
        with self._lock:
            return list(self._faults)

    def _add(self, fault):
        with self._lock:
            self._faults.append(fault)
        return self

    def take(self, path):
        """The faults to apply to a request to `path`, counted down.

        Latencies add up; the first fail or drop ends the list.
        """
        taken = []
        with self._lock:
            for fault in list(self._faults):
                if not fault.matches(path):
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                taken.append(fault)
                if fault.kind != "latency":
                    break
        return taken
