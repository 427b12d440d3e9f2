"""The retry policy on its own: which methods, which errors, how long."""

import pytest

from wc_connector.errors import (
    AuthenticationError,
    InvalidRequestError,
    RateLimitedError,
    StoreSSLError,
    StoreUnavailableError,
)
from wc_connector.retry import RetryPolicy


@pytest.mark.parametrize("method", ["GET", "get", "PUT", "DELETE", "HEAD"])
def test_reads_and_idempotent_writes_may_be_retried(method):
    assert RetryPolicy().may_retry(method)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_creates_are_never_retried(method):
    policy = RetryPolicy()
    assert not policy.may_retry(method)
    assert policy.delay_before_retry(method, 1, StoreUnavailableError(code="timeout")) is None


@pytest.mark.parametrize(
    "error", [AuthenticationError(), InvalidRequestError(), StoreSSLError(), ValueError("not ours")]
)
def test_errors_that_will_not_go_away_are_not_retried(error):
    assert RetryPolicy().delay_before_retry("GET", 1, error) is None


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    policy = RetryPolicy(attempts=10, base_delay=1.0, max_delay=5.0)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)]:
        waits = {policy.backoff(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)
        assert len(waits) > 1  # jitter: not all workers wait the same


def test_the_last_attempt_is_not_followed_by_a_wait():
    policy = RetryPolicy(attempts=3)
    error = StoreUnavailableError(code="http_503", status=503)
    assert policy.delay_before_retry("GET", 2, error) is not None
    assert policy.delay_before_retry("GET", 3, error) is None


def test_retry_after_replaces_the_backoff():
    policy = RetryPolicy(base_delay=0.01)
    assert policy.delay_before_retry("GET", 1, RateLimitedError(status=429, retry_after=7)) == 7


def test_a_retry_after_longer_than_we_may_block_is_left_to_the_caller():
    policy = RetryPolicy(max_retry_after=10)
    assert policy.delay_before_retry("GET", 1, RateLimitedError(status=429, retry_after=11)) is None


def test_a_429_without_retry_after_backs_off_normally():
    policy = RetryPolicy(base_delay=2.0)
    assert 1.0 <= policy.delay_before_retry("GET", 1, RateLimitedError(status=429)) <= 2.0
