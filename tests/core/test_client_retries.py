"""Retries: reads and idempotent writes again after transient failures, creates never."""

import logging

import pytest

from wc_connector.client import StoreClient, StoreConfig
from wc_connector.errors import RateLimitedError, StoreUnavailableError
from wc_connector.retry import RetryPolicy
from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=9, orders=10)) as running:
        yield running


@pytest.fixture
def waits():
    return []


@pytest.fixture
def client(store, waits):
    store.faults.clear()
    config = StoreConfig(store.url, store.consumer_key, store.consumer_secret, timeout=2,
                         retry=RetryPolicy(attempts=3, base_delay=0.2, max_retry_after=30, sleep=waits.append))
    with StoreClient(config) as connected:
        yield connected


@pytest.fixture
def order_id(store):
    return next(iter(store.data.orders))


def sent(store, mark, method=None):
    return [r for r in store.request_log[mark:] if method is None or r.method == method]


def test_a_503_then_success_is_retried_for_a_read(store, client, waits, order_id, caplog):
    caplog.set_level(logging.DEBUG)
    store.faults.fail(503, count=1)
    mark = len(store.request_log)
    assert client.get(f"orders/{order_id}")["id"] == order_id
    assert [r.status for r in sent(store, mark)] == [503, 200]
    assert len(waits) == 1 and 0.1 <= waits[0] <= 0.2
    assert f"GET /wp-json/wc/v3/orders/{order_id} failed (http_503), try 1 of 3" in caplog.text
    for secret in (store.consumer_key, store.consumer_secret, "oauth_signature"):
        assert secret not in caplog.text


def test_waits_grow_between_tries_and_the_last_error_is_raised(store, client, waits):
    store.faults.fail(500, count=3)
    with pytest.raises(StoreUnavailableError) as caught:
        client.get("orders")
    assert caught.value.status == 500 and "critical error" in caught.value.message
    assert len(waits) == 2 and 0.1 <= waits[0] <= 0.2 <= waits[1] <= 0.4


def test_a_429_waits_as_long_as_retry_after_says(store, client, waits, order_id):
    store.faults.fail(429, count=2, retry_after=3)
    assert client.get(f"orders/{order_id}")["id"] == order_id
    assert waits == [3.0, 3.0]


def test_a_429_asking_for_too_long_a_wait_is_handed_to_the_caller(store, client, waits):
    store.faults.fail(429, count=1, retry_after=120)
    with pytest.raises(RateLimitedError) as caught:
        client.get("orders")
    error = caught.value
    assert (error.status, error.retry_after, error.code) == (429, 120.0, "woocommerce_rest_too_many_requests")
    assert waits == [] and "try again shortly" in str(error)


def test_a_dropped_connection_is_retried_for_a_read(store, client, waits, order_id):
    store.faults.drop(count=1)
    mark = len(store.request_log)
    assert client.get(f"orders/{order_id}")["id"] == order_id
    assert [r.status for r in sent(store, mark)] == [0, 200] and len(waits) == 1


def test_a_timeout_is_retried_for_a_read(store, client, waits, order_id):
    store.faults.latency(0.4, count=1)
    with StoreClient(StoreConfig(store.url, store.consumer_key, store.consumer_secret, timeout=0.15,
                                 retry=RetryPolicy(attempts=2, sleep=waits.append))) as impatient:
        assert impatient.get(f"orders/{order_id}")["id"] == order_id
    assert len(waits) == 1


def test_an_update_is_idempotent_and_retried(store, client, waits, order_id):
    store.faults.fail(503, count=1)
    mark = len(store.request_log)
    answer = client.request("PUT", f"orders/{order_id}", json={"customer_note": "retried put"})
    assert answer.status == 200 and answer.data["customer_note"] == "retried put"
    assert [r.status for r in sent(store, mark, "PUT")] == [503, 200]


def test_a_delete_is_retried_after_a_dropped_connection(store, client, waits):
    created = client.request("POST", "products", json={"name": "To delete", "regular_price": "1.00"}).data
    store.faults.drop(count=1)
    mark = len(store.request_log)
    deleted = client.request("DELETE", f"products/{created['id']}", params={"force": True})
    assert deleted.data["id"] == created["id"]
    assert [r.status for r in sent(store, mark, "DELETE")] == [0, 200]
    assert sent(store, mark, "DELETE")[0].params == {"force": "true"}


@pytest.mark.parametrize("fault", ["fail-503", "fail-429", "drop"])
def test_a_create_is_never_sent_twice(store, client, waits, fault):
    if fault == "drop":
        store.faults.drop(count=1)
    else:
        store.faults.fail(int(fault[-3:]), count=1, retry_after=1)
    mark = len(store.request_log)
    before = len(store.data.orders)
    with pytest.raises((StoreUnavailableError, RateLimitedError)) as caught:
        client.request("POST", "orders", json={"status": "pending", "billing": {"email": "once@example.com"}})
    assert len(sent(store, mark, "POST")) == 1 and waits == []
    assert len(store.data.orders) == before
    assert caught.value.__context__ is None  # requests' exception (and its signed URL) is gone
