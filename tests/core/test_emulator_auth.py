"""Authentication answers exactly like the captured WooCommerce 8.9.1 store."""

import base64
import time

import pytest
import requests
from test_emulator_helpers import call, capture, signed
from woocommerce.oauth import OAuth

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store
from wc_emulator.oauth import parse_oauth_header, sign


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=3, orders=12)) as running:
        yield running


def test_signed_request_by_the_woocommerce_package_is_accepted(store):
    answer = call(store, "GET", "/orders", per_page=5, modified_after="2020-01-01T00:00:00",
                  dates_are_gmt="true", status="processing,completed,pending")
    assert answer.status_code == 200
    assert isinstance(answer.json(), list)


def test_no_auth_gives_the_captured_401(store):
    answer = requests.get(store.api_url + "/orders")
    assert answer.status_code == 401
    assert answer.json() == capture("error_401_no_auth.json")["body"]
    assert "Allow" not in answer.headers


def test_basic_auth_over_http_is_ignored(store):
    answer = requests.get(store.api_url + "/orders", auth=(store.consumer_key, store.consumer_secret))
    assert answer.status_code == 401
    assert answer.json() == capture("error_401_basic_over_http.json")["body"]


def test_querystring_keys_over_http_are_ignored(store):
    answer = requests.get(store.api_url + "/orders", params={
        "consumer_key": store.consumer_key, "consumer_secret": store.consumer_secret})
    assert answer.json() == capture("error_401_querystring_keys_over_http.json")["body"]


def test_unknown_key(store):
    answer = requests.get(signed(store, "/orders", key="ck_" + "0" * 40, per_page=1))
    assert answer.status_code == 401
    assert answer.json() == capture("error_401_oauth_unknown_key.json")["body"]


def test_wrong_secret(store):
    answer = requests.get(signed(store, "/orders", secret="cs_wrong", per_page=1))
    assert answer.json() == capture("error_401_oauth_wrong_secret.json")["body"]


def test_old_timestamp(store):
    url = OAuth(store.api_url + "/orders?per_page=1", store.consumer_key, store.consumer_secret,
                version="wc/v3", method="GET", oauth_timestamp=int(time.time()) - 16 * 60).get_oauth_url()
    answer = requests.get(url)
    assert answer.json() == capture("error_401_oauth_old_timestamp.json")["body"]


def test_reused_nonce(store):
    url = signed(store, "/orders", per_page=1)
    assert requests.get(url).status_code == 200
    answer = requests.get(url)
    assert answer.status_code == 401
    assert answer.json() == capture("error_401_oauth_nonce_reused.json")["body"]


def test_readonly_key_cannot_write(store):
    url = signed(store, "/orders", "POST", key=store.readonly_key, secret=store.readonly_secret)
    answer = requests.post(url, json={"status": "pending"})
    assert answer.status_code == 401
    assert answer.json() == capture("error_401_readonly_key_write.json")["body"]
    read = requests.get(signed(store, "/orders", key=store.readonly_key, secret=store.readonly_secret))
    assert read.status_code == 200


def test_authorization_header_with_hmac_sha1(store):
    params = {"oauth_consumer_key": store.consumer_key, "oauth_timestamp": str(int(time.time())),
              "oauth_nonce": "headernonce1", "oauth_signature_method": "HMAC-SHA1", "per_page": "2"}
    params["oauth_signature"] = sign("GET", store.api_url + "/orders", params,
                                     store.consumer_secret, "HMAC-SHA1")
    header = "OAuth " + ", ".join(f'{k}="{v}"' for k, v in params.items() if k.startswith("oauth_"))
    answer = requests.get(store.api_url + "/orders?per_page=2", headers={"Authorization": header})
    assert answer.status_code == 200
    assert len(answer.json()) == 2
    assert parse_oauth_header("Basic abc") == {}


def test_unknown_signature_method(store):
    params = {"oauth_consumer_key": store.consumer_key, "oauth_timestamp": str(int(time.time())),
              "oauth_nonce": "n-md5", "oauth_signature_method": "HMAC-MD5", "oauth_signature": "x"}
    answer = requests.get(store.api_url + "/orders", params=params)
    assert answer.json()["message"] == "Invalid signature - signature method is invalid."


def test_anonymous_write_is_refused_with_the_create_message(store):
    answer = requests.post(store.api_url + "/orders", json={})
    assert answer.status_code == 401
    assert answer.json()["code"] == "woocommerce_rest_cannot_create"


def test_https_basic_auth_and_query_keys_work():
    with EmulatedStore(generate_store(seed=2, orders=3), https=True) as store:
        assert store.url.startswith("https://127.0.0.1:")
        ok = requests.get(store.api_url + "/orders", auth=(store.consumer_key, store.consumer_secret),
                          verify=store.cert_path)
        assert ok.status_code == 200
        assert ok.headers["X-WP-Total"] == str(len([o for o in store.data.orders.values()
                                                     if o["status"] not in ("trash", "checkout-draft")]))
        query = requests.get(store.api_url + "/orders", verify=store.cert_path, params={
            "consumer_key": store.consumer_key, "consumer_secret": store.consumer_secret})
        assert query.status_code == 200
        wrong = requests.get(store.api_url + "/orders", params={"per_page": 1},
                             auth=(store.consumer_key, "cs_nope"), verify=store.cert_path)
        assert wrong.status_code == 401
        assert wrong.json() == capture("error_401_basic_https_wrong_secret.json")["body"]
        unknown = requests.get(store.api_url + "/orders", auth=("ck_x", "cs_y"), verify=store.cert_path)
        assert unknown.json()["message"] == "Consumer key is invalid."
        token = base64.b64encode(b"not-base64-pair").decode()
        odd = requests.get(store.api_url + "/orders", headers={"Authorization": "Basic " + token},
                           verify=store.cert_path)
        assert odd.status_code == 401
