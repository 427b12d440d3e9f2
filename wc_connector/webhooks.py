"""Webhook deliveries from the store: verify, recognise, read.

The store signs each delivery with ``X-WC-Webhook-Signature`` =
base64(HMAC-SHA256(raw body, webhook secret)) and describes it in the
``X-WC-Webhook-Topic / -Resource / -Event / -ID / -Delivery-ID / -Source``
headers. When a webhook is created it first sends a *ping*: a form-encoded
``webhook_id=N`` with no ``X-WC-*`` headers and no signature, which must be
answered with a 2xx or the store will not activate the webhook.

`parse_delivery` is all a webhook controller needs: it returns a `Ping` (answer
200, nothing else to do) or a verified `Delivery`, or raises a
`errors.WebhookError` that says why the delivery was refused.

What is trusted: the signature covers the **body only**. Every header can be
changed by whoever replays a captured delivery, so nothing that matters is
taken from them: resource and event come from the topic alone, the body must
have the shape of that topic's resource (:func:`check_body_shape`), and the
replay guard keys on the delivery id *and* :attr:`Delivery.body_hash` (a
replay under a new delivery id still has the same body).
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .errors import (
    BadSignatureError,
    InvalidWebhookBodyError,
    MissingSignatureError,
    UnknownTopicError,
    WebhookBodyMismatchError,
)

#: The resources and events the connector handles; every combination is a topic.
HANDLED_RESOURCES = ("order", "customer", "product")
HANDLED_EVENTS = ("created", "updated", "deleted", "restored")
HANDLED_TOPICS = frozenset(f"{resource}.{event}" for resource in HANDLED_RESOURCES for event in HANDLED_EVENTS)

#: The largest body the webhook endpoint reads (5 MB); a store's order with hundreds of lines is ~100 KB.
MAX_BODY_BYTES = 5 * 1024 * 1024

#: Fields every body of a resource has (captured deliveries of WooCommerce 8.9.1), none of the others has.
#: Variations arrive as ``product.*`` too and have no ``type``, hence ``sku`` and ``permalink``.
RESOURCE_FIELDS = {
    "order": ("order_key", "line_items"),
    "customer": ("username", "role"),
    "product": ("sku", "permalink"),
}

SIGNATURE_HEADER = "x-wc-webhook-signature"
_HEADER_PREFIX = "x-wc-webhook-"


@dataclass(frozen=True)
class Ping:
    """The store's unsigned hello when a webhook is created; answer it with 200."""

    webhook_id: int


@dataclass(frozen=True)
class Delivery:
    """A verified webhook delivery.

    ``payload`` is the resource's current state when the store sent it (not at
    the event); for a deletion it is just ``{"id": N}``. ``resource`` and
    ``event`` are the topic's parts (never the unsigned headers'); ``body_hash``
    is the SHA-256 of the signed body, what the replay guard keys on besides
    ``delivery_id``.
    """

    topic: str
    resource: str
    event: str
    webhook_id: int
    delivery_id: str
    source: str
    payload: Any
    body_hash: str = ""

    @property
    def resource_id(self):
        """The id of the order, customer or product the delivery is about."""
        return self.payload.get("id")


def signature(body, secret):
    """The signature the store puts on ``body`` (bytes) with ``secret`` (str, UTF-8)."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")


def parse_delivery(headers, body, secret):
    """Verify and read one delivery; return a `Delivery` or a `Ping`.

    ``headers`` is any mapping (names compared case-insensitively), ``body`` the
    raw request body as bytes, ``secret`` the webhook's secret. Raises
    `MissingSignatureError`, `BadSignatureError`, `UnknownTopicError` or
    `InvalidWebhookBodyError`. The signature is checked before anything in
    the delivery is trusted.
    """
    if not isinstance(body, (bytes, bytearray)):
        raise TypeError("parse_delivery needs the raw request body as bytes")
    body = bytes(body)
    wc_headers = {
        str(name).lower(): str(value).strip()
        for name, value in headers.items()
        if str(name).lower().startswith(_HEADER_PREFIX)
    }
    sent = wc_headers.get(SIGNATURE_HEADER)
    if not sent:
        ping = _ping_id(body) if not wc_headers else None
        if ping is not None:
            return Ping(webhook_id=ping)
        raise MissingSignatureError()
    if not hmac.compare_digest(signature(body, secret).encode("ascii"), sent.encode("utf-8", "replace")):
        raise BadSignatureError()

    topic = wc_headers.get(_HEADER_PREFIX + "topic", "")
    if topic not in HANDLED_TOPICS:
        raise UnknownTopicError(topic)
    # The -Resource and -Event headers are unsigned, as the topic is: one source, checked against the body.
    resource, event = topic.split(".", 1)
    payload = _json_object(body)
    check_body_shape(topic, payload)
    return Delivery(
        topic=topic,
        resource=resource,
        event=event,
        webhook_id=_int_or_none(wc_headers.get(_HEADER_PREFIX + "id")),
        delivery_id=wc_headers.get(_HEADER_PREFIX + "delivery-id", ""),
        source=wc_headers.get(_HEADER_PREFIX + "source", ""),
        payload=payload,
        body_hash=body_hash(body),
    )


def body_hash(body):
    """The hex SHA-256 of a raw delivery body: the same signed bytes replayed have the same hash."""
    return hashlib.sha256(bytes(body)).hexdigest()


def check_body_shape(topic, payload):
    """Raise `WebhookBodyMismatchError` unless ``payload`` (a dict) has the shape of ``topic``'s resource.

    The topic header is not signed: a body signed for one topic must not be
    applied as another (a product's body replayed as ``order.deleted``). A
    deletion is exactly ``{"id": N}`` (as the store sends it); any other
    event carries the resource with a positive ``id`` and the fields that
    only that resource has (:data:`RESOURCE_FIELDS`).
    """
    resource, _, event = topic.partition(".")
    record_id = payload.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, int) or record_id < 1:
        raise WebhookBodyMismatchError(topic, "no positive integer 'id'")
    if event == "deleted":
        if set(payload) != {"id"}:
            raise WebhookBodyMismatchError(topic, "a deletion is exactly {\"id\": N}")
        return
    missing = [name for name in RESOURCE_FIELDS[resource] if name not in payload]
    if missing:
        raise WebhookBodyMismatchError(topic, f"no {', '.join(repr(name) for name in missing)}")
    others = [
        name
        for other, names in RESOURCE_FIELDS.items()
        if other != resource
        for name in names
        if name in payload and name not in RESOURCE_FIELDS[resource]
    ]
    if others:
        raise WebhookBodyMismatchError(topic, f"it has {', '.join(repr(name) for name in others)}")


def _ping_id(body):
    """The webhook id of a ping body (``webhook_id=N``), or None if it is not a ping."""
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return None
    values = fields.get("webhook_id")
    if set(fields) != {"webhook_id"} or len(values) != 1 or not values[0].isdigit():
        return None
    return int(values[0])


def _json_object(body):
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidWebhookBodyError("it is not UTF-8 text") from None
    except ValueError as error:
        raise InvalidWebhookBodyError(f"{error.msg} at character {error.pos}") from None
    if not isinstance(payload, dict):
        raise InvalidWebhookBodyError("it is not a JSON object")
    return payload


def _int_or_none(value):
    return int(value) if value and value.isdigit() else None
