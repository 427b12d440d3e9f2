"""Shared helpers for the emulator tests: signing, captures (the webhook inbox is ``wc_emulator.inbox``).

Requests are signed with the PyPI `woocommerce` package, as our client does.
"""

import json
import os

import requests
from woocommerce.oauth import OAuth

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "fixtures", "woocommerce")


def capture(name):
    """A capture file ({"request", "status", "headers", "body"})."""
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return json.load(handle)


def reverse_capture(name):
    """A capture of what the store does when an ERP writes to it (tests/fixtures/woocommerce_reverse/)."""
    with open(os.path.join(FIXTURES, "..", "woocommerce_reverse", name), encoding="utf-8") as handle:
        return json.load(handle)


def signed(store, path, method="GET", key=None, secret=None, **params):
    """An OAuth-signed URL for `path` below /wp-json/wc/v3."""
    url = store.api_url + path
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return OAuth(url, key or store.consumer_key, secret or store.consumer_secret,
                 version="wc/v3", method=method).get_oauth_url()


def call(store, method, path, json_body=None, session=None, **params):
    """One signed request; the requests.Response."""
    http = session or requests
    return http.request(method, signed(store, path, method, **params), json=json_body, timeout=10)
