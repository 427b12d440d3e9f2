"""EmulatedStore: a real HTTP server on 127.0.0.1 that answers like WooCommerce 8.9.1.

    with EmulatedStore(data) as store:
        requests.get(signed(store.api_url + "/orders"))

It serves /wp-json/wc/v3 from `store.data` (a StoreData), checks OAuth 1.0a
(http) or Basic auth (https), applies `store.faults` before anything else,
logs every request without its oauth_* parameters, and queues webhook
deliveries that `flush_webhooks()` (or the auto-deliver thread) sends.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import ssl
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .api import PERMISSION_ERRORS, WP_CACHE_CONTROL, WP_EXPIRES, ApiError, Request, Response, Router, error_body
from .data import StoreData
from .faults import FaultPlan
from .oauth import ApiKey, Authenticator, AuthFailure
from .resources import present, random_key, variation_as_product
from .routes_catalog import CatalogRoutes
from .routes_customers import CustomerRoutes
from .routes_orders import OrderRoutes
from .routes_store import StoreRoutes
from .versions import DEFAULT_VERSION, refund_type, show, store_version
from .webhooks import AutoDeliverer, WebhookDispatcher

logger = logging.getLogger("wc_emulator")

API_PREFIX = "/wp-json/wc/v3"
WP_500_MESSAGE = ("<p>There has been a critical error on this website.</p><p><a href=\"https://"
                  "wordpress.org/documentation/article/faq-troubleshooting/\">Learn more about "
                  "troubleshooting WordPress.</a></p>")
WP_503_BODY = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Maintenance</title>"
               "</head><body><h1>Briefly unavailable for scheduled maintenance. Check back in a "
               "minute.</h1></body></html>")


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the store saw it (oauth_* parameters removed)."""

    method: str
    path: str
    params: dict
    status: int
    body: object = None  # the JSON body the client sent (None without one), so tests assert exact writes


@dataclass(frozen=True)
class LoggedWrite:
    """One write the store applied (route path below /wc/v3, the JSON body sent, the answer's status)."""

    method: str
    path: str
    body: object
    status: int


def _default_data():
    try:
        from .generator import generate_store
    except ImportError:
        return StoreData()
    return generate_store()


class EmulatedStore:
    """A WooCommerce 8.9.1 store on 127.0.0.1 (see the module docstring); `wc_version="10.5"` makes it a
    10.5.0 one (see versions.py)."""

    def __init__(self, data=None, *, https=False, host="127.0.0.1", port=0,
                 auto_deliver=False, delivery_interval=1.0, quiet=True, wc_version=DEFAULT_VERSION):
        self.data = data if data is not None else _default_data()
        # Which WooCommerce the store behaves as: "8.9" (the default) or "10.5" (see versions.py).
        self.version = store_version(wc_version)
        self._request_state = threading.local()
        self.https = https
        self.host = host
        self.port = port
        self.quiet = quiet
        self.consumer_key = random_key("ck_")
        self.consumer_secret = random_key("cs_")
        self.readonly_key = random_key("ck_")
        self.readonly_secret = random_key("cs_")
        self.faults = FaultPlan()
        self.request_log = []
        #: Callables ``hook(method, path, query)`` run before each request is answered: a test's way to
        #: change the store between two requests of one job, as a shop does while a sync reads it.
        self.request_hooks = []
        self.writes = []  # every authenticated write and its body, like the reverse/ captures record them
        self.events = WebhookDispatcher(self)
        self.cert_path = None
        self.auto_deliver = auto_deliver
        self.delivery_interval = delivery_interval
        self._server = None
        self._thread = None
        self._deliverer = None
        self._lock = threading.RLock()
        self.orders = OrderRoutes(self)
        self.customers = CustomerRoutes(self)
        self.catalog = CatalogRoutes(self)
        self.router = Router()
        for routes in (self.orders, self.customers, self.catalog, StoreRoutes(self)):
            routes.register(self.router)
        self.auth = None

    # -- lifecycle -----------------------------------------------------
    def start(self):
        """Start serving in a background thread; returns self."""
        server = _Server((self.host, self.port), _Handler)
        server.store = self
        if self.https:
            self.cert_path = _make_certificate()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.cert_path)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.port = server.server_address[1]
        self.auth = Authenticator(
            [ApiKey(self.consumer_key, self.consumer_secret, "read_write"),
             ApiKey(self.readonly_key, self.readonly_secret, "read")],
            self.url, https=self.https)
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True,
                                        name="wc-emulator-http")
        self._thread.start()
        if self.auto_deliver:
            self._deliverer = AutoDeliverer(self.events, self.delivery_interval)
            self._deliverer.start()
        return self

    def stop(self):
        """Stop serving and release the port."""
        if self._deliverer is not None:
            self._deliverer.stop()
            self._deliverer = None
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self.cert_path and os.path.exists(self.cert_path):
            os.remove(self.cert_path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        """The store's home URL, e.g. http://127.0.0.1:PORT."""
        return f"{'https' if self.https else 'http'}://{self.host}:{self.port}"

    @property
    def api_url(self):
        return self.url + API_PREFIX

    # -- webhooks ------------------------------------------------------
    def flush_webhooks(self):
        """Send the queued webhook deliveries now; [(url, status or None)]."""
        return self.events.flush()

    def deliver(self, topic, resource_id, url, secret):
        """Send one signed delivery of a resource's current state to `url`; the status."""
        resource, _, event = topic.partition(".")
        # A deletion carries just the id, as the real store sends it (captured order.deleted/customer.deleted).
        payload = {"id": resource_id} if event == "deleted" else self.current_payload(resource, resource_id) or {"id": resource_id}
        webhook = {"id": 0, "delivery_url": url, "secret": secret, "topic": topic}
        return self.events.send(webhook, topic, resource_id, payload)

    def current_payload(self, resource, resource_id):
        """What a delivery for `resource` shows now (None if it is gone)."""
        if resource == "order" and resource_id in self.data.orders:
            return self.present("order", self.data.orders[resource_id])
        if resource == "customer" and resource_id in self.data.customers:
            return self.present("customer", self.data.customers[resource_id])
        if resource == "product":
            if resource_id in self.data.products:
                return self.present("product", self.data.products[resource_id])
            if resource_id in self.data.variations:
                variation = self.data.variations[resource_id]
                return self.present_variation_as_product(variation)
        if resource == "coupon" and resource_id in self.data.coupons:
            return self.present("coupon", self.data.coupons[resource_id])
        return None

    def present(self, kind, record, parent_id=None):
        """A record as a response shows it (with this server's _links), as this store's version shows it."""
        if kind == "refund" and self.version.new_fields:
            self._record_refund_type(record, parent_id)
        shown = present(kind, record, self.url, parent_id)
        decimals = int(self._setting("woocommerce_price_num_decimals", 2) or 2)
        return show(self.version, kind, shown, decimals=decimals, dp=getattr(self._request_state, "dp", None))

    def present_variation_as_product(self, variation):
        """A variation as /products/<id> and product.updated deliveries show it."""
        shown = variation_as_product(variation, self.data.products.get(variation.get("parent_id")), self.url)
        return show(self.version, "variation", shown)

    def _record_refund_type(self, refund, order_id):
        """10.x stores a refund's `_refund_type` ("full"/"partial") with the refund; one the store holds
        without it (loaded from 8.9 captures) gets it the first time it is shown."""
        if any(meta.get("key") == "_refund_type" for meta in refund.get("meta_data") or []):
            return
        order = self.data.orders.get(order_id) or {}
        kind = refund_type(order.get("total"), self.data.refunds.get(order_id) or [refund], refund["id"])
        refund.setdefault("meta_data", []).append({"id": self.data.next_meta_id(), "key": "_refund_type",
                                                    "value": kind})

    # -- test helpers: change the store as a shop manager would -------
    def touch_order(self, order_id, **changes):
        """Change an order like a PUT would (bumps date_modified, fires order.updated)."""
        with self._lock:
            order = self.orders.find(order_id)
            self.orders.update_order(order, changes)
            return self.present("order", order)

    def delete_order(self, order_id, force=False):
        """Trash (order.deleted {"id"}) or force-delete (no webhook) an order."""
        with self._lock:
            return self.orders.delete_order(order_id, force)

    def refund_order(self, order_id, **payload):
        """Create a refund like POST orders/<id>/refunds."""
        with self._lock:
            return self.orders.refund_order(order_id, payload)

    def touch_customer(self, customer_id, **changes):
        """Change a customer like a PUT would (fires customer.updated)."""
        with self._lock:
            return self.present("customer", self.customers.update_customer(
                self.customers.find(customer_id), changes))

    def delete_customer(self, customer_id):
        """Delete a customer; their orders become guest orders."""
        with self._lock:
            return self.customers.delete_customer(customer_id, force=True)

    def touch_product(self, product_id, **changes):
        """Change a product or variation like a PUT would (fires product.updated)."""
        with self._lock:
            if product_id in self.data.variations:
                variation = self.data.variations[product_id]
                parent = self.catalog.find_product(variation["parent_id"])
                return self.present("variation", self.catalog.update_variation_record(parent, variation, changes))
            return self.present("product", self.catalog.update_product_record(
                self.catalog.find_product(product_id), changes))

    # -- request handling ----------------------------------------------
    def handle(self, method, raw_path, headers, body_bytes):
        """Answer one request: (status, headers, body bytes), or None to drop it."""
        parts = urlsplit(raw_path)
        path = parts.path
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = dict(pairs)
        for fault in self.faults.take(path):
            if fault.kind == "latency":
                time.sleep(fault.seconds)
            elif fault.kind == "drop":
                self._log(method, path, query, 0)
                return None
            else:
                return self._log_answer(method, path, query, self._fault_answer(fault))
        for hook in list(self.request_hooks):
            hook(method, path, query)
        if not path.startswith("/wp-json"):
            answer = (404, {"Content-Type": "text/html; charset=UTF-8"}, b"<h1>Not Found</h1>")
            return self._log_answer(method, path, query, answer)
        if path.rstrip("/") in ("/wp-json", API_PREFIX):
            return self._log_answer(method, path, query, self._json(200, self._index(path), {}))
        if not path.startswith(API_PREFIX + "/"):
            answer = self._json(404, ApiError(404, "rest_no_route", "No route was found matching the URL and request method.").body, {})
            return self._log_answer(method, path, query, answer)
        answer = self._api(method, path, pairs, query, headers, body_bytes)
        return self._log_answer(method, path, query, answer, _json_or_none(body_bytes))

    def _api(self, method, path, pairs, query, headers, body_bytes):
        content_type = headers.get("Content-Type") or ""
        body, form = None, {}
        if body_bytes:
            if "application/x-www-form-urlencoded" in content_type:
                form = dict(parse_qsl(body_bytes.decode("utf-8", "replace"), keep_blank_values=True))
                body = form
            else:
                try:
                    body = json.loads(body_bytes.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    return self._json(400, error_body("rest_invalid_json", "Invalid JSON body passed.", 400), {})
        try:
            key = self.auth.authenticate(method, path, query, form, headers)
        except AuthFailure as failure:
            return self._json(401, error_body("woocommerce_rest_authentication_error", failure.message, 401),
                              {"Vary": "Origin"}, plain=True)
        if key is not None and not key.can(method):
            return self._json(401, error_body("woocommerce_rest_authentication_error",
                                              "The API key provided does not have write permissions.", 401), {})
        route_path = path[len(API_PREFIX):].rstrip("/") or "/"
        allow = None
        try:
            route, kind, handler, match = self.router.resolve(method, route_path)
            allow = route.allow
            if key is None:
                code, message = PERMISSION_ERRORS[kind]
                return self._json(401, error_body(code, message, 401), {"Vary": "Origin"}, plain=True)
            request = Request(method, route_path, {k: v for k, v in query.items()},
                              pairs, body, match, key)
            with self._lock:
                self._request_state.dp = query.get("dp")
                try:
                    result = handler(request)
                finally:
                    self._request_state.dp = None
        except ApiError as error:
            if method != "GET":
                self.writes.append(LoggedWrite(method, route_path, body, error.status))
            extra = {"Allow": allow} if allow else {}
            return self._json(error.status, error.body, extra)
        if not isinstance(result, Response):
            result = Response(result)
        if method != "GET":
            self.writes.append(LoggedWrite(method, route_path, body, result.status))
        extra = dict(result.headers)
        if allow:
            extra["Allow"] = allow
        return self._json(result.status, result.body, extra)

    def _json(self, status, body, extra, plain=False):
        """A JSON answer with the headers WordPress sends."""
        headers = {"Content-Type": "application/json; charset=UTF-8", "X-Robots-Tag": "noindex"}
        if "Link" not in extra:
            headers["Link"] = f'<{self.url}/wp-json/>; rel="https://api.w.org/"'
        headers.update({"X-Content-Type-Options": "nosniff",
                        "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
                        "Access-Control-Allow-Headers": "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"})
        headers.update(extra)
        if not plain:
            headers.update({"Expires": WP_EXPIRES, "Cache-Control": WP_CACHE_CONTROL})
        return status, headers, json.dumps(body, ensure_ascii=False).encode("utf-8")

    def _fault_answer(self, fault):
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        if fault.status == 503:
            headers["Content-Type"] = "text/html; charset=UTF-8"
            return fault.status, headers, WP_503_BODY.encode()
        if fault.status == 429:
            body = error_body("woocommerce_rest_too_many_requests", "Too many requests. Please wait and try again.", 429)
        elif fault.status >= 500:
            body = dict(error_body("internal_server_error", WP_500_MESSAGE, fault.status), additional_errors=[])
        else:
            body = error_body("rest_error", "Injected error.", fault.status)
        return self._json(fault.status, body, headers)

    def _index(self, path):
        if path.rstrip("/") == "/wp-json":
            return {"name": self._setting("blogname", "WooCommerce Lab"), "description": "",
                    "url": self.url, "home": self.url, "gmt_offset": "1",
                    "timezone_string": "Europe/Berlin", "namespaces": ["wp/v2", "wc/v3", "wc/v2", "wc/v1"],
                    "authentication": [], "routes": {}}
        return {"namespace": "wc/v3", "routes": {}}

    def _setting(self, setting_id, default):
        for setting in self.data.settings.get("general", []):
            if setting.get("id") == setting_id:
                return setting.get("value")
        return self.data.settings.get(setting_id, default)

    def _log_answer(self, method, path, query, answer, body=None):
        self._log(method, path, query, answer[0], body)
        return answer

    def _log(self, method, path, query, status, body=None):
        params = {k: v for k, v in query.items() if not k.startswith("oauth_")}
        self.request_log.append(LoggedRequest(method, path, params, status, body))
        if not self.quiet:
            shown = "&".join(f"{k}={v}" for k, v in params.items())
            logger.info("%s %s%s -> %s", method, path, f"?{shown}" if shown else "", status or "dropped")


def _json_or_none(body_bytes):
    """A request's JSON body for the log, or None (no body, or not JSON)."""
    if not body_bytes:
        return None
    try:
        return json.loads(body_bytes)
    except ValueError:
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    store = None

    def handle_error(self, request, client_address):
        # A client that gave up (its timeout, a test's dropped connection) is normal for a web server.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.22.1"
    # Headers and body go out as separate small writes; with Nagle on, each
    # keep-alive answer then waits ~40 ms for a delayed ACK.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = self.server.store.handle(self.command, self.path, self.headers, body)
        if answer is None:
            # A dropped connection: no status line, nothing.
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format, *args):  # noqa: A002 - the store logs through EmulatedStore
        pass


def _make_certificate():
    """A self-signed certificate + key for 127.0.0.1 in one PEM file; its path."""
    handle, path = tempfile.mkstemp(prefix="wc-emulator-", suffix=".pem")
    os.close(handle)
    try:
        _certificate_with_cryptography(path)
    except ImportError:  # pragma: no cover - the openssl CLI instead
        import subprocess
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", path, "-out", path + ".crt"], check=True, capture_output=True)
        with open(path + ".crt") as crt, open(path, "a") as pem:
            pem.write(crt.read())
        os.remove(path + ".crt")
    return path


def _certificate_with_cryptography(path):
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    with open(path, "wb") as pem:
        pem.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
        pem.write(cert.public_bytes(serialization.Encoding.PEM))
