"""`StoreClient`: the one place that talks HTTP to a WooCommerce store.

Every call goes through `StoreClient.request`, which builds the URL, signs it
(`auth.py`), sends it on the client's single keep-alive `requests.Session`,
turns the answer into data or into one of the `errors` types, logs method,
path, status and duration, and retries what may be retried (`retry.py`).

Nothing here ever logs or raises a URL that was sent, a query string, a key
or a secret: credentials travel only in the Authorization header (`auth.py`),
``requests``' own exceptions quote the URL and are never passed on, and the
store's ``Link`` header, which repeats the previous request's signed query,
is dropped from the headers we hand out.

Usage::

    with StoreClient(StoreConfig(url, key, secret)) as client:
        info = client.store_info()
        for order in client.iter_records("orders", {"status": "any"}):
            ...
        result = client.batch("products", update=[{"id": 12, "stock_quantity": 3}])
"""

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from .auth import API_VERSION, StoreAuth
from .errors import (
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    NotWooCommerceError,
    PayloadTooLargeError,
    RateLimitedError,
    StoreSSLError,
    StoreUnavailableError,
    WooCommerceError,
)
from .payloads.dates import to_store_text
from .retry import RetryPolicy

_logger = logging.getLogger(__name__)

#: The most items the store takes in one page or one batch request.
MAX_PER_PAGE = 100
MAX_BATCH_ITEMS = 100

#: The batch actions, in the order the store applies them.
BATCH_ACTIONS = ("create", "update", "delete")

API_ROOT = f"/wp-json/{API_VERSION}"
USER_AGENT = "woocommerce-connector-odoo/18.0 (python-requests)"

#: Error type for each HTTP status the store answers with an error body.
ERROR_BY_STATUS = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: AuthenticationError,  # a key without the needed permission
    404: NotFoundError,
    413: PayloadTooLargeError,
    429: RateLimitedError,
}

#: The store's code for "no such route": on the API root it means there is
#: no WooCommerce REST API at this address.
NO_ROUTE_CODE = "rest_no_route"


@dataclass(frozen=True)
class StoreConfig:
    """How to reach one store. The key and secret never appear in its repr."""

    url: str
    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    #: Check the store's certificate: True, False (test stores), or a CA bundle path.
    verify_ssl: Any = True
    #: Seconds to wait for the store (a number, or a (connect, read) pair).
    timeout: Any = 30
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self):
        parts = urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "The store URL must be a full address starting with http:// or https://, "
                "for example https://shop.example.com."
            )


@dataclass(frozen=True)
class Response:
    """The store's answer: decoded JSON ``data``, HTTP ``status`` and ``headers``."""

    data: Any
    status: int
    headers: dict


@dataclass(frozen=True)
class Page:
    """One page of a listing: its records, its number (1-based) and the totals."""

    records: list
    number: int
    total: int
    total_pages: int


@dataclass(frozen=True)
class ItemResult:
    """What became of one item of a batch.

    ``record`` is the store's answer for the item (the saved record, or
    ``{"id": ..., "error": {...}}``); when the store never answered for the
    item (its chunk failed as a whole) it is the item we sent. ``error`` is a
    `WooCommerceError` when ``ok`` is false.
    """

    action: str
    ok: bool
    record: Any
    error: WooCommerceError = None


@dataclass(frozen=True)
class BatchResult:
    """Every item's result, in the order the items were given per action."""

    items: tuple = ()

    @property
    def ok(self):
        """True when every item succeeded."""
        return all(item.ok for item in self.items)

    @property
    def failed(self):
        """The items that did not succeed."""
        return [item for item in self.items if not item.ok]

    def of(self, action):
        """The results of one action ("create", "update" or "delete")."""
        return [item for item in self.items if item.action == action]


@dataclass(frozen=True)
class StoreInfo:
    """What "Test connection" shows: the store's name, URL, WooCommerce version, currency."""

    name: str
    url: str
    wc_version: str
    currency: str


class StoreClient:
    """A connection to one store's REST API (wc/v3); see the module docstring.

    A client holds one ``requests.Session``, which is not meant to be shared
    between threads: use one client per thread (per job), and close it.
    """

    def __init__(self, config):
        self.config = config
        self._base = config.url.rstrip("/")
        self._auth = StoreAuth(config.url, config.consumer_key, config.consumer_secret)
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def __repr__(self):
        return f"StoreClient({self._base!r})"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Close the kept-alive connections."""
        self._session.close()

    # -- single requests -------------------------------------------------

    def request(self, method, endpoint, params=None, json=None):
        """Send one API request and return its `Response`; raise a `WooCommerceError`.

        ``endpoint`` is relative to the API root, e.g. ``"orders/57"``. GET, PUT
        and DELETE are retried on transient errors according to the config's
        `RetryPolicy`; POST never is.
        """
        return self._call(method.upper(), self._api_path(endpoint), params, json)

    def get(self, endpoint, params=None):
        """GET an endpoint and return its decoded data."""
        return self.request("GET", endpoint, params=params).data

    # -- listings ----------------------------------------------------------

    def iter_pages(self, endpoint, params=None, per_page=MAX_PER_PAGE):
        """Yield every page of a listing as a `Page`, first to last.

        Each page's URL is built and signed here; the store's ``Link`` header
        is never followed (it repeats the previous request's nonce). Paging
        stops at ``X-WP-TotalPages`` as the store reports it on each page, or
        at the first empty page.
        """
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        number = 1
        while True:
            query = dict(params or {}, page=number, per_page=per_page)
            answer = self.request("GET", endpoint, params=query)
            records = answer.data if isinstance(answer.data, list) else []
            total = _int_header(answer.headers, "X-WP-Total", len(records))
            total_pages = _int_header(answer.headers, "X-WP-TotalPages", number)
            yield Page(records=records, number=number, total=total, total_pages=total_pages)
            if not records or number >= total_pages:
                return
            number += 1

    def iter_records(self, endpoint, params=None):
        """Yield every record of a listing, page by page."""
        for page in self.iter_pages(endpoint, params):
            yield from page.records

    # -- writing -----------------------------------------------------------

    def batch(self, endpoint, create=(), update=(), delete=()):
        """Create, update and delete any number of records via ``<endpoint>/batch``.

        Items are sent in chunks of at most 100 (creates first, then updates,
        then deletes, as given). The store answers 200 even when single items
        fail; each failed item's ``error`` object becomes a `WooCommerceError`
        on its `ItemResult`. If a whole chunk fails (store unreachable, 413...)
        its items and those of the chunks not yet sent fail with that error;
        batches are POSTs and are never retried here.
        """
        work = [(action, item) for action, items in zip(BATCH_ACTIONS, (create, update, delete)) for item in items]
        results = []
        chunk_error = None
        for start in range(0, len(work), MAX_BATCH_ITEMS):
            chunk = work[start:start + MAX_BATCH_ITEMS]
            if chunk_error is None:
                try:
                    answer = self.request("POST", f"{endpoint.strip('/')}/batch", json=_batch_body(chunk))
                except WooCommerceError as error:
                    chunk_error = error
                else:
                    results.extend(_batch_results(chunk, answer.data))
                    continue
            results.extend(ItemResult(action, False, item, chunk_error) for action, item in chunk)
        return BatchResult(tuple(results))

    # -- the store itself ----------------------------------------------------

    def store_info(self):
        """Check the connection and return the store's `StoreInfo`.

        Raises the error that says what is wrong: `AuthenticationError` (wrong
        key), `StoreUnavailableError` (not reachable), `NotWooCommerceError`,
        `StoreSSLError`.
        """
        try:
            status = self.get("system_status")
        except NotFoundError as error:
            # WordPress without WooCommerce (or with its REST API off) has no such route.
            raise NotWooCommerceError(error.message, code=error.code, status=error.status) from None
        if not isinstance(status, dict) or not isinstance(status.get("environment"), dict):
            raise NotWooCommerceError(code="unexpected_answer", status=200)
        environment = status["environment"]
        url = environment.get("home_url") or self._base
        return StoreInfo(
            name=self._site_name() or urlsplit(url).netloc,
            url=url,
            wc_version=str(environment.get("version") or ""),
            currency=str((status.get("settings") or {}).get("currency") or ""),
        )

    def _site_name(self):
        """The site title from WordPress' REST index (``/wp-json/``), or "" if it has none."""
        try:
            index = self._call("GET", "/wp-json/", None, None).data
        except WooCommerceError:
            return ""  # the name is a nicety; the connection itself was proven
        return str(index.get("name") or "") if isinstance(index, dict) else ""

    # -- internals -----------------------------------------------------------

    def _api_path(self, endpoint):
        endpoint = (endpoint or "").strip("/")
        return f"{API_ROOT}/{endpoint}" if endpoint else API_ROOT

    def _call(self, method, path, params, body):
        """Send, and retry as the policy allows; return a `Response` or raise."""
        policy = self.config.retry
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send(method, path, params, body)
            except WooCommerceError as error:
                delay = policy.delay_before_retry(method, attempt, error)
                if delay is None:
                    raise
                _logger.warning(
                    "%s %s failed (%s), try %d of %d; retrying in %.1f s",
                    method, path, error.code or error.status, attempt, policy.attempts, delay,
                )
                policy.sleep(delay)

    def _send(self, method, path, params, body):
        """Send one request once; return a `Response` or raise a `WooCommerceError`."""
        url = self._base + path
        query = _encode_query(params)
        url, auth = self._auth.sign(method, f"{url}?{query}" if query else url)
        data, headers = None, None
        if body is not None:
            data = json.dumps(body, default=_json_default, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json; charset=utf-8"}
        started = time.monotonic()
        try:
            answer = self._session.request(
                method, url, data=data, headers=headers, auth=auth,
                timeout=self.config.timeout, verify=self.config.verify_ssl, allow_redirects=False,
            )
        except requests.RequestException as exc:
            # Never pass `exc` on: its text quotes the URL and query we sent.
            error = _transport_error(exc)
        else:
            error = None
        elapsed = time.monotonic() - started
        if error is not None:
            _logger.info("%s %s -> %s after %.3f s", method, path, error.code, elapsed)
            raise error
        level = logging.DEBUG if answer.status_code < 400 else logging.INFO
        _logger.log(level, "%s %s -> %d in %.3f s", method, path, answer.status_code, elapsed)
        return _decode(answer, path)


# -- requests in ------------------------------------------------------------


def _encode_query(params):
    """Encode query parameters the way the store reads them (lists comma-joined)."""
    pairs = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple, set, frozenset)):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, datetime):
            value = to_store_text(value)
        pairs.append((key, str(value)))
    return urlencode(pairs)


def _json_default(value):
    """Money goes to the store as a string with its exact digits."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be sent to the store as JSON")


def _batch_body(chunk):
    body = {}
    for action, item in chunk:
        body.setdefault(action, []).append(item)
    return body


# -- answers out --------------------------------------------------------------


def _decode(answer, path):
    """Turn an HTTP answer into a `Response`, or raise the matching error."""
    status = answer.status_code
    headers = requests.structures.CaseInsensitiveDict(
        (k, v) for k, v in answer.headers.items() if k.lower() != "link"
    )
    try:
        data = answer.json() if answer.content else None
        is_json = True
    except ValueError:
        data, is_json = None, False
    if 200 <= status < 300 and is_json:
        return Response(data=data, status=status, headers=headers)
    raise _answer_error(status, data if is_json else None, is_json, headers, path)


def _answer_error(status, data, is_json, headers, path):
    """The error for an unsuccessful (or non-JSON) answer."""
    body = data if isinstance(data, dict) else {}
    code = str(body.get("code") or "")
    message = str(body.get("message") or "")
    error_data = body.get("data")
    if status == 429:
        return RateLimitedError(
            message, code=code or "rate_limited", status=status, data=error_data,
            retry_after=_retry_after(headers),
        )
    if status >= 500:
        return StoreUnavailableError(message, code=code or f"http_{status}", status=status, data=error_data)
    if 300 <= status < 400:
        # Usually http -> https or a moved site: the URL to configure differs.
        return NotWooCommerceError(code="redirect", status=status, data={"location": _safe_location(headers)})
    if not is_json or (status >= 400 and not code):
        return NotWooCommerceError(code="not_json" if not is_json else f"http_{status}", status=status)
    if status == 404 and code == NO_ROUTE_CODE and path.rstrip("/") == API_ROOT:
        return NotWooCommerceError(message, code=code, status=status, data=error_data)
    kind = ERROR_BY_STATUS.get(status, WooCommerceError)
    return kind(message, code=code, status=status, data=error_data)


def item_error(error_object):
    """The `WooCommerceError` for a batch item's ``error`` object."""
    body = error_object if isinstance(error_object, dict) else {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    status = data.get("status") or 400
    kind = ERROR_BY_STATUS.get(status, WooCommerceError)
    if status >= 500:
        kind = StoreUnavailableError
    return kind(str(body.get("message") or ""), code=str(body.get("code") or ""), status=status, data=data)


def _batch_results(chunk, answer):
    """Pair each item sent with the store's answer for it (same order per action)."""
    answer = answer if isinstance(answer, dict) else {}
    seen = {action: 0 for action in BATCH_ACTIONS}
    results = []
    for action, item in chunk:
        answers = answer.get(action) or []
        index = seen[action]
        seen[action] += 1
        if index >= len(answers):
            error = InvalidRequestError(code="missing_batch_item", status=200)
            results.append(ItemResult(action, False, item, error))
            continue
        record = answers[index]
        if isinstance(record, dict) and record.get("error"):
            results.append(ItemResult(action, False, record, item_error(record["error"])))
        else:
            results.append(ItemResult(action, True, record, None))
    return results


def _retry_after(headers):
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), or None."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


def _safe_location(headers):
    """Where a redirect points, without its query (which could carry a signature)."""
    location = headers.get("Location") or ""
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else parts.path


def _int_header(headers, name, default):
    try:
        return int(headers.get(name))
    except (TypeError, ValueError):
        return default


def _transport_error(exc):
    """The error for a request that got no HTTP answer. Never uses ``exc``'s text."""
    if isinstance(exc, requests.exceptions.SSLError):
        return StoreSSLError(code="ssl_error")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return StoreUnavailableError(code="connect_timeout")
    if isinstance(exc, requests.exceptions.Timeout):
        return StoreUnavailableError(code="timeout")
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, NewConnectionError):
            return StoreUnavailableError(code="connection_refused")
        return StoreUnavailableError(code="connection_failed")
    return StoreUnavailableError(code="request_failed")
