"""Outgoing webhook deliveries, as WooCommerce 8.9.1 (and 10.5.0, with its own User-Agent) sends them.

Events are queued; a second event for the same webhook and resource while
one is still queued is dropped. The payload is built when the delivery goes
out (the resource's CURRENT state), except for deletions, which carry only
`{"id": N}`. Each delivery is a POST with the store's headers and
X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, secret)). After more
than 5 consecutive failed deliveries the webhook is disabled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import ssl
import threading
import uuid
from collections import OrderedDict
from urllib.parse import urlsplit

USER_AGENT = "WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)"
MAX_FAILURES = 5
DELIVERY_TIMEOUT = 5
TOPIC_HOOKS = {
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post"],
    "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "product.created": ["woocommerce_process_product_meta", "woocommerce_new_product",
                        "woocommerce_new_product_variation"],
    "product.updated": ["woocommerce_process_product_meta", "woocommerce_update_product",
                        "woocommerce_update_product_variation"],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
    "action.woocommerce_order_status_changed": ["woocommerce_order_status_changed"],
}


def php_json(value):
    """JSON the way PHP's json_encode writes it (\\uXXXX escapes, escaped slashes)."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def signature(body, secret):
    """base64(HMAC-SHA256(raw body, secret)), the X-WC-Webhook-Signature value."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def post(url, body, headers, timeout=DELIVERY_TIMEOUT):
    """POST `body` to `url` with exactly `headers`; the status, or None on a connection error."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=timeout,
                                                 context=ssl._create_unverified_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        all_headers = {"Host": host, "User-Agent": USER_AGENT, "Accept": "*/*",
                       "Accept-Encoding": "deflate, gzip, br, zstd"}
        all_headers.update(headers)
        all_headers.update({"Connection": "close", "Content-Length": str(len(body))})
        for name, value in all_headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


class WebhookDispatcher:
    """The store's delivery queue for one EmulatedStore."""

    def __init__(self, store):
        self.store = store
        self.queue = OrderedDict()  # (webhook_id, resource_id) -> (topic, fixed payload)
        self.failures = {}
        self.sent = []  # (webhook_id, topic, resource_id, status) - for tests and debugging
        self._lock = threading.RLock()

    def event(self, resource, event, resource_id, payload=None):
        """Queue deliveries for `resource.event` on every active matching webhook."""
        topic = f"{resource}.{event}"
        with self._lock:
            for webhook in list(self.store.data.webhooks.values()):
                if webhook.get("status") != "active" or webhook.get("topic") != topic:
                    continue
                key = (webhook["id"], resource, resource_id)
                if key in self.queue:
                    continue  # one already queued: the store drops this one
                self.queue[key] = (topic, payload)

    def flush(self):
        """Send every queued delivery now; [(url, status or None)]."""
        results = []
        while True:
            with self._lock:
                if not self.queue:
                    return results
                (webhook_id, resource, resource_id), (topic, payload) = self.queue.popitem(last=False)
            webhook = self.store.data.webhooks.get(webhook_id)
            if webhook is None or webhook.get("status") != "active":
                continue
            if payload is None:
                payload = self.store.current_payload(resource, resource_id)
                if payload is None:
                    continue  # gone before the delivery went out
            status = self.send(webhook, topic, resource_id, payload)
            results.append((webhook["delivery_url"], status))

    def send(self, webhook, topic, resource_id, payload):
        """One signed delivery of `payload`; records failures and disables the webhook."""
        body = php_json(payload).encode()
        resource, _, event = topic.partition(".")
        headers = {
            "User-Agent": self.store.version.user_agent,
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": self.store.url + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": signature(body, webhook.get("secret") or ""),
            "X-WC-Webhook-ID": str(webhook["id"]),
            "X-WC-Webhook-Delivery-ID": uuid.uuid4().hex,
        }
        status = post(webhook["delivery_url"], body, headers)
        self._record(webhook, status)
        self.sent.append((webhook["id"], topic, resource_id, status))
        return status

    def ping(self, webhook):
        """The unsigned, form-encoded ping the store sends when a webhook is created."""
        body = f"webhook_id={webhook['id']}".encode()
        return post(webhook["delivery_url"], body,
                    {"User-Agent": self.store.version.user_agent, "Content-Type": "application/x-www-form-urlencoded"})

    def _record(self, webhook, status):
        with self._lock:
            if status is not None and 200 <= status < 300:
                self.failures[webhook["id"]] = 0
                return
            count = self.failures.get(webhook["id"], 0) + 1
            self.failures[webhook["id"]] = count
            if count > MAX_FAILURES:
                webhook["status"] = "disabled"
                self.store.data.clock.stamp(webhook, "date_modified")


class AutoDeliverer(threading.Thread):
    """Flushes the queue every `interval` seconds (the store's cron)."""

    def __init__(self, dispatcher, interval):
        super().__init__(daemon=True, name="wc-emulator-webhooks")
        self.dispatcher = dispatcher
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.interval):
            self.dispatcher.flush()

    def stop(self):
        self.stopped.set()
