"""Addresses that answer HTTP but are not (working) WooCommerce stores.

A tiny real HTTP server on 127.0.0.1 plays a web server, a WordPress without
WooCommerce, a proxy in trouble: answers the emulator never gives.
"""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wc_connector.client import StoreClient, StoreConfig
from wc_connector.errors import (
    NotFoundError,
    NotWooCommerceError,
    RateLimitedError,
    StoreUnavailableError,
    WooCommerceError,
)
from wc_connector.retry import RetryPolicy

KEY, SECRET = "ck_not_a_store_key_0001", "cs_not_a_store_secret_0001"
HTML = b"<!doctype html><html><body>Hello</body></html>"


class FakeSite:
    """A real HTTP server whose answers are set per path: (status, headers, body)."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        self.authorizations = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(self.path)
                site.authorizations.append(self.headers.get("Authorization") or "")
                path = self.path.split("?")[0]
                status, headers, body = site.answers.get(path, (404, {"Content-Type": "text/html"}, HTML))
                if callable(body):
                    status, headers, body = body()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_PUT = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def json(self, path, status, body, **headers):
        self.answers[path] = (status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode())


@pytest.fixture(scope="module")
def running_site():
    fake = FakeSite()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def site(running_site):
    running_site.answers.clear()
    running_site.requests.clear()
    running_site.authorizations.clear()
    return running_site


@pytest.fixture
def waits():
    return []


@pytest.fixture
def client(site, waits):
    config = StoreConfig(site.url, KEY, SECRET, timeout=5, retry=RetryPolicy(attempts=3, sleep=waits.append))
    with StoreClient(config) as store:
        yield store


def assert_no_secret(text):
    for secret in (KEY, SECRET, "oauth_signature", "oauth_nonce"):
        assert secret not in text


def test_a_plain_web_page_is_not_a_woocommerce_store(client, site):
    site.answers["/wp-json/wc/v3/system_status"] = (200, {"Content-Type": "text/html"}, HTML)
    with pytest.raises(NotWooCommerceError) as caught:
        client.store_info()
    assert caught.value.code == "not_json"
    assert "not like a WooCommerce store" in str(caught.value)


def test_an_html_404_is_not_a_woocommerce_store(client):
    with pytest.raises(NotWooCommerceError) as caught:
        client.get("orders")
    assert caught.value.status == 404


def test_wordpress_without_woocommerce_is_not_a_woocommerce_store(client, site):
    no_route = {"code": "rest_no_route", "message": "No route was found matching the URL and request method.",
                "data": {"status": 404}}
    site.json("/wp-json/wc/v3/system_status", 404, no_route)
    site.json("/wp-json/wc/v3", 404, no_route)
    with pytest.raises(NotWooCommerceError) as caught:
        client.store_info()
    assert caught.value.code == "rest_no_route"
    with pytest.raises(NotWooCommerceError):
        client.get("")


def test_a_missing_route_below_the_api_root_is_just_not_found(client, site):
    site.json("/wp-json/wc/v3/refunds", 404, {"code": "rest_no_route", "message": "No route.", "data": {"status": 404}})
    with pytest.raises(NotFoundError):
        client.get("refunds")


def test_a_json_answer_without_the_store_shape_is_not_a_woocommerce_store(client, site):
    site.json("/wp-json/wc/v3/system_status", 200, ["something", "else"])
    with pytest.raises(NotWooCommerceError):
        client.store_info()
    site.json("/wp-json/wc/v3/orders", 403, {"error": "forbidden"})
    with pytest.raises(NotWooCommerceError):
        client.get("orders")


def test_a_redirect_is_not_followed_and_names_the_new_address_without_its_query(client, site):
    location = "https://shop.example.com/wp-json/wc/v3/orders?oauth_signature=abc&oauth_consumer_key=" + KEY
    site.answers["/wp-json/wc/v3/orders"] = (301, {"Location": location}, b"")
    with pytest.raises(NotWooCommerceError) as caught:
        client.request("POST", "orders", json={"status": "pending"})
    assert caught.value.code == "redirect"
    assert caught.value.data == {"location": "https://shop.example.com/wp-json/wc/v3/orders"}
    assert len(site.requests) == 1


def test_a_proxy_error_page_is_store_unavailable_and_retried_for_reads(client, site, waits):
    answers = iter([(502, {"Content-Type": "text/html"}, HTML), (200, {"Content-Type": "application/json"}, b"[]")])
    site.answers["/wp-json/wc/v3/orders"] = (0, {}, lambda: next(answers))
    assert client.get("orders") == []
    assert len(site.requests) == 2 and len(waits) == 1


def test_a_proxy_error_page_ends_as_store_unavailable(client, site, waits):
    site.answers["/wp-json/wc/v3/orders"] = (502, {"Content-Type": "text/html"}, HTML)
    with pytest.raises(StoreUnavailableError) as caught:
        client.get("orders")
    assert (caught.value.status, caught.value.code) == (502, "http_502")
    assert len(site.requests) == 3 and len(waits) == 2


def test_retry_after_as_an_http_date_is_understood(client, site, waits):
    answers = iter([
        (429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, b""),  # in the past: retry at once
        (200, {"Content-Type": "application/json"}, b"{}"),
    ])
    site.answers["/wp-json/wc/v3/orders/1"] = (0, {}, lambda: next(answers))
    assert client.get("orders/1") == {}
    assert waits == [0.0]


def test_an_unreadable_retry_after_falls_back_to_backoff(client, site, waits):
    site.answers["/wp-json/wc/v3/orders/1"] = (429, {"Retry-After": "soon"}, b"")
    with pytest.raises(RateLimitedError) as caught:
        client.get("orders/1")
    assert caught.value.retry_after is None
    assert len(waits) == 2 and all(0 < wait <= 1 for wait in waits)


def test_an_unexpected_status_with_a_store_body_is_a_plain_store_error(client, site):
    site.json("/wp-json/wc/v3/orders/1", 409, {"code": "conflict", "message": "Busy.", "data": {"status": 409}})
    with pytest.raises(WooCommerceError) as caught:
        client.get("orders/1")
    assert type(caught.value) is WooCommerceError
    assert (caught.value.code, caught.value.message, caught.value.status) == ("conflict", "Busy.", 409)
    assert "Busy." in str(caught.value)


def test_the_store_name_falls_back_to_the_host_when_wordpress_hides_it(client, site, caplog):
    site.json("/wp-json/wc/v3/system_status", 200,
              {"environment": {"home_url": "http://shop.example.com", "version": "8.9.1"}, "settings": {"currency": "EUR"}})
    caplog.set_level(logging.DEBUG, logger="wc_connector")
    info = client.store_info()
    assert (info.name, info.url, info.wc_version, info.currency) == ("shop.example.com", "http://shop.example.com", "8.9.1", "EUR")
    assert_no_secret(caplog.text)


def test_the_store_name_comes_from_the_wordpress_index(client, site):
    site.json("/wp-json/wc/v3/system_status", 200, {"environment": {"version": "8.9.1"}, "settings": {"currency": "IRR"}})
    site.json("/wp-json/", 200, {"name": "فروشگاه آزمایشی", "namespaces": ["wp/v2", "wc/v3"]})
    info = client.store_info()
    assert (info.name, info.url, info.currency) == ("فروشگاه آزمایشی", site.url, "IRR")


def test_every_request_is_signed_and_no_secret_leaks_into_logs_or_errors(client, site, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3's debug log included
    for call in (lambda: client.get("orders"), lambda: client.store_info()):
        with pytest.raises(WooCommerceError) as caught:
            call()
        assert_no_secret(str(caught.value) + repr(caught.value) + repr(caught.value.data))
    assert len(site.authorizations) == 2
    assert all(sent.startswith("OAuth ") and "oauth_signature=" in sent for sent in site.authorizations)
    assert len(set(site.authorizations)) == 2  # a fresh nonce and signature each time
    assert not any("oauth" in sent for sent in site.requests)
    assert "GET /wp-json/wc/v3/orders -> 404" in caplog.text
    assert_no_secret(caplog.text + repr(client) + repr(client.config))


def test_a_short_or_failing_batch_answer_fails_the_items_it_does_not_confirm(client, site):
    site.json("/wp-json/wc/v3/orders/batch", 200, {
        "update": [{"id": 1, "error": {"code": "db_error", "message": "Database went away.", "data": {"status": 500}}}],
    })
    result = client.batch("orders", update=[{"id": 1}, {"id": 2}], delete=[3])
    first, second, third = result.items
    assert isinstance(first.error, StoreUnavailableError) and first.error.message == "Database went away."
    assert [second.error.code, third.error.code] == ["missing_batch_item", "missing_batch_item"]
    assert (second.record, third.record) == ({"id": 2}, 3)
