"""How a request to the store is authenticated.

Over plain http the real store accepts only OAuth 1.0a one-legged signatures
(Basic auth and ``consumer_key=`` query parameters are silently ignored and
answer 401). The signature covers the method, the URL and every query
parameter, and carries a timestamp and a single-use nonce, so every request,
every page of a listing and every retry is signed afresh. The signing itself
is done by the PyPI ``woocommerce`` package.

The ``oauth_*`` parameters travel in an ``Authorization: OAuth`` header, which
the store reads like the query string, rather than in the URL: URLs end up in
places we do not control (urllib3's debug log, proxies' and the store's
access logs, exception texts), headers do not.

Over https the store accepts HTTP Basic auth with the consumer key and secret.
"""

from collections import OrderedDict
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from requests.auth import AuthBase, HTTPBasicAuth
from woocommerce.oauth import OAuth

#: The WooCommerce REST API version the signatures are made for.
API_VERSION = "wc/v3"


class _StoreOAuth(OAuth):
    """The package's signer, with "/" in parameters encoded as the store does.

    The store encodes every parameter with PHP's ``rawurlencode``, which turns
    "/" into %2F; the package's ``quote`` leaves "/" alone, so a SKU such as
    "AB/12" in the query would fail the signature check.
    """

    @staticmethod
    def normalize_parameters(params):
        normalized = OAuth.normalize_parameters(params)
        return OrderedDict(
            (key.replace("/", "%252F"), value.replace("/", "%252F")) for key, value in normalized.items()
        )


class OAuthHeader(AuthBase):
    """Puts already-signed ``oauth_*`` parameters into the Authorization header."""

    def __init__(self, oauth_params):
        self._value = "OAuth " + ", ".join(f'{key}="{quote(value, safe="")}"' for key, value in oauth_params)

    def __call__(self, prepared):
        prepared.headers["Authorization"] = self._value
        return prepared

    def __repr__(self):
        return "OAuthHeader(...)"


class StoreAuth:
    """Authenticates requests to one store with its consumer key and secret."""

    def __init__(self, store_url, consumer_key, consumer_secret):
        self._key = consumer_key
        self._secret = consumer_secret
        self.uses_oauth = urlsplit(store_url).scheme.lower() != "https"

    def __repr__(self):
        return f"StoreAuth({'oauth1' if self.uses_oauth else 'basic'})"

    def sign(self, method, url):
        """Return ``(url_to_send, requests_auth)`` for one request.

        ``url`` is the full request URL with its query string already in it.
        Over http the auth is a fresh OAuth 1.0a signature (new timestamp and
        nonce) in the Authorization header; over https it is Basic auth. The
        returned URL never carries credentials.
        """
        if not self.uses_oauth:
            return url, HTTPBasicAuth(self._key, self._secret)
        signed = _StoreOAuth(url, self._key, self._secret, version=API_VERSION, method=method.upper())
        base, _, query = signed.get_oauth_url().partition("?")
        pairs = parse_qsl(query, keep_blank_values=True)
        params = [(key, value) for key, value in pairs if not key.startswith("oauth_")]
        oauth_params = [(key, value) for key, value in pairs if key.startswith("oauth_")]
        return (f"{base}?{urlencode(params)}" if params else base), OAuthHeader(oauth_params)
