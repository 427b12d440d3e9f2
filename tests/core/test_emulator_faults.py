"""Fault injection: latency, 429 with Retry-After, 500/503, dropped connections."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests
from test_emulator_helpers import call

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture
def store():
    with EmulatedStore(generate_store(seed=31, orders=3)) as running:
        yield running


def test_latency_delays_the_counted_requests(store):
    store.faults.latency(0.2, count=1)
    started = time.monotonic()
    assert call(store, "GET", "/orders").status_code == 200
    assert time.monotonic() - started >= 0.2
    started = time.monotonic()
    call(store, "GET", "/orders")
    assert time.monotonic() - started < 0.2


def test_429_with_retry_after_comes_before_auth(store):
    store.faults.fail(429, count=2, retry_after=7)
    for _ in range(2):
        answer = requests.get(store.api_url + "/orders")  # unsigned: faults come first
        assert answer.status_code == 429 and answer.headers["Retry-After"] == "7"
        assert answer.json()["data"]["status"] == 429
    assert requests.get(store.api_url + "/orders").status_code == 401


def test_500_and_503_bodies(store):
    store.faults.fail(500).fail(503, retry_after=60)
    error = call(store, "GET", "/orders")
    assert error.status_code == 500 and error.json()["code"] == "internal_server_error"
    unavailable = call(store, "GET", "/orders")
    assert unavailable.status_code == 503 and "maintenance" in unavailable.text
    assert unavailable.headers["Retry-After"] == "60"
    store.faults.fail(418)
    assert call(store, "GET", "/orders").status_code == 418


def test_drop_closes_the_connection_without_an_answer(store):
    store.faults.drop(count=1, path="/orders")
    with pytest.raises(requests.ConnectionError):
        call(store, "GET", "/orders")
    assert call(store, "GET", "/orders").status_code == 200
    assert store.request_log[-2].status == 0


def test_path_filter_order_and_clear(store):
    store.faults.fail(500, count=None, path="orders/batch")
    assert call(store, "GET", "/orders").status_code == 200
    assert call(store, "POST", "/orders/batch", {"create": []}).status_code == 500
    assert len(store.faults.pending) == 1
    store.faults.clear()
    assert call(store, "POST", "/orders/batch", {"create": []}).status_code == 200


def test_request_log_has_no_oauth_params(store):
    call(store, "GET", "/orders", per_page=3)
    entry = store.request_log[-1]
    assert entry.method == "GET" and entry.params == {"per_page": "3"} and entry.status == 200


def test_cli_serves_and_writes_the_keys_file(tmp_path):
    keys_file = tmp_path / "keys.json"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    process = subprocess.Popen([sys.executable, "-m", "wc_emulator", "serve", "--port", "0",
                                "--keys-file", str(keys_file), "--orders", "4", "--seed", "3",
                                "--deliver-every", "0"],
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 20
        while not keys_file.exists() and time.time() < deadline:
            time.sleep(0.05)
        keys = json.loads(keys_file.read_text())
        assert set(keys) == {"url", "consumer_key", "consumer_secret", "webhook_secret"}

        class Store:
            api_url = keys["url"] + "/wp-json/wc/v3"
            consumer_key, consumer_secret = keys["consumer_key"], keys["consumer_secret"]

        answer = call(Store, "GET", "/orders", per_page=2)
        assert answer.status_code == 200 and answer.headers["X-WP-Total"]
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "GET /wp-json/wc/v3/orders?per_page=2 -> 200" in output
    assert "oauth_" not in output
