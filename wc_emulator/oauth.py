"""How the store authenticates a request, as WooCommerce 8.9.1 does it.

Over http only OAuth 1.0a one-legged works (parameters in the query string or
an `Authorization: OAuth` header); Basic auth and `consumer_key=` query
parameters are ignored there. Over https Basic auth and query-string keys
work and OAuth is not looked at. The signature follows
class-wc-rest-authentication.php: the base URI is the home URL plus the
request path, parameters are sorted by key, each key and value is
RFC 3986-encoded, each "key=value" string is encoded again, and the pairs
are joined with "%26".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, unquote

TIMESTAMP_WINDOW = 15 * 60
OAUTH_PARAMS = ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
                "oauth_signature", "oauth_signature_method")
ALGORITHMS = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}


@dataclass(frozen=True)
class ApiKey:
    """A REST API key: `permissions` is "read", "write" or "read_write"."""

    consumer_key: str
    consumer_secret: str
    permissions: str = "read_write"
    user_id: int = 1

    def can(self, method):
        """Whether this key may use the HTTP `method` (the store's check_permissions)."""
        if method in ("GET", "HEAD", "OPTIONS"):
            return self.permissions in ("read", "read_write")
        return self.permissions in ("write", "read_write")


class AuthFailure(Exception):
    """Authentication failed with the store's error message (status 401)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def rfc3986(value):
    """PHP's rawurlencode (what wc_rest_urlencode_rfc3986 does)."""
    return quote(str(value), safe="-_.~")


def string_to_sign(method, base_url, params):
    """The OAuth string to sign for `params` (dict of decoded str values)."""
    pairs = []
    for key in sorted(k for k in params if k != "oauth_signature"):
        pairs.append(rfc3986(rfc3986(key) + "=" + rfc3986(params[key])))
    return method.upper() + "&" + rfc3986(base_url) + "&" + "%26".join(pairs)


def sign(method, base_url, params, consumer_secret, signature_method="HMAC-SHA256"):
    """The base64 signature the store expects for this request."""
    digest = hmac.new((consumer_secret + "&").encode(),
                      string_to_sign(method, base_url, params).encode(),
                      ALGORITHMS[signature_method]).digest()
    return base64.b64encode(digest).decode()


def parse_oauth_header(header):
    """oauth_* parameters from an `Authorization: OAuth k="v", ...` header."""
    if not header or not header.startswith("OAuth "):
        return {}
    params = {}
    for part in header[6:].split(","):
        key, _, value = part.strip().partition("=")
        if key.startswith("oauth_"):
            params[key] = unquote(value.strip().strip('"'))
    return params


class NonceRegistry:
    """Nonces used per consumer key within the timestamp window."""

    def __init__(self):
        self._used = {}
        self._lock = threading.Lock()

    def use(self, consumer_key, nonce, timestamp, now):
        """Record a nonce; False if this key already used it."""
        with self._lock:
            used = self._used.setdefault(consumer_key, {})
            for old, stamp in list(used.items()):
                if stamp < now - TIMESTAMP_WINDOW:
                    del used[old]
            if nonce in used:
                return False
            used[nonce] = timestamp
            return True


class Authenticator:
    """Decides who is calling: an ApiKey, None (anonymous) or AuthFailure."""

    def __init__(self, keys, home_url, https=False):
        self.keys = {key.consumer_key: key for key in keys}
        self.home_url = home_url
        self.https = https
        self.nonces = NonceRegistry()

    def authenticate(self, method, path, query, form, headers):
        """The ApiKey for the request, None when it carries no usable credentials.

        `query` and `form` are dicts of decoded str values. Raises AuthFailure
        with the store's message when credentials are present but wrong.
        """
        if self.https:
            return self._basic(query, headers)
        return self._oauth(method, path, query, form, headers)

    def _basic(self, query, headers):
        key, secret = query.get("consumer_key"), query.get("consumer_secret")
        auth = headers.get("Authorization") or ""
        if not (key and secret) and auth.startswith("Basic "):
            try:
                decoded = base64.b64decode(auth[6:].strip()).decode()
            except (ValueError, UnicodeDecodeError):
                return None
            key, _, secret = decoded.partition(":")
        if not key or not secret:
            return None
        api_key = self.keys.get(key)
        if api_key is None:
            raise AuthFailure("Consumer key is invalid.")
        if not hmac.compare_digest(api_key.consumer_secret.encode(), secret.encode()):
            raise AuthFailure("Consumer secret is invalid.")
        return api_key

    def _oauth(self, method, path, query, form, headers):
        params = dict(query)
        params.update(form)
        params.update(parse_oauth_header(headers.get("Authorization")))
        if any(not params.get(name) for name in OAUTH_PARAMS):
            return None
        api_key = self.keys.get(params["oauth_consumer_key"])
        if api_key is None:
            raise AuthFailure("Consumer key is invalid.")
        signature_method = params["oauth_signature_method"]
        if signature_method not in ALGORITHMS:
            raise AuthFailure("Invalid signature - signature method is invalid.")
        # PHP decodes '+' to a space in $_GET; the store puts it back.
        provided = params["oauth_signature"].replace(" ", "+")
        expected = sign(method, self.home_url + path, params,
                        api_key.consumer_secret, signature_method)
        if not hmac.compare_digest(expected.encode(), provided.encode()):
            raise AuthFailure("Invalid signature - provided signature does not match.")
        now = int(time.time())
        try:
            timestamp = int(params["oauth_timestamp"])
        except ValueError:
            raise AuthFailure("Invalid timestamp.") from None
        if abs(timestamp - now) > TIMESTAMP_WINDOW:
            raise AuthFailure("Invalid timestamp.")
        if not self.nonces.use(api_key.consumer_key, params["oauth_nonce"], timestamp, now):
            raise AuthFailure("Invalid nonce - nonce has already been used.")
        return api_key
