"""The retry policy: which requests may be sent again, and how long to wait.

Only reads and idempotent writes are retried (GET, HEAD, PUT, DELETE): sending
them twice leaves the store as sending them once. A POST (a create, a batch)
is never retried here, whatever went wrong: the real store can save an order
and still answer 400 or time out, so sending it again could duplicate the
order. Its error is still transient (``errors.is_transient``), so the caller
(a queued job) can decide to look the record up and try again later.

Waits grow exponentially with "equal jitter" (half fixed, half random) so that
many workers hitting the same store do not retry in lockstep. A 429's
``Retry-After`` replaces the computed wait; if the store asks for longer than
``max_retry_after`` we stop and let the caller reschedule instead of blocking
a worker for minutes.
"""

import random
import time
from dataclasses import dataclass, field
from typing import Callable

from .errors import RateLimitedError, is_transient

#: Methods whose repetition cannot create a second record.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a request is retried.

    ``attempts`` counts every try, the first included (1 means never retry).
    ``sleep`` is injectable so tests can record the waits instead of waiting.
    """

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    def may_retry(self, method):
        """Tell whether a request with this HTTP method may be sent again."""
        return method.upper() in IDEMPOTENT_METHODS

    def backoff(self, attempt):
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def delay_before_retry(self, method, attempt, error):
        """Seconds to wait before trying again, or None when we must not retry.

        ``attempt`` is the number of the try that just failed with ``error``.
        """
        if attempt >= self.attempts or not is_transient(error) or not self.may_retry(method):
            return None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            return error.retry_after
        return self.backoff(attempt)
