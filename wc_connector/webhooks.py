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
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .errors import BadSignatureError, InvalidWebhookBodyError, MissingSignatureError, UnknownTopicError

#: The resources and events the connector handles; every combination is a topic.
HANDLED_RESOURCES = ("order", "customer", "product")
HANDLED_EVENTS = ("created", "updated", "deleted", "restored")
HANDLED_TOPICS = frozenset(f"{resource}.{event}" for resource in HANDLED_RESOURCES for event in HANDLED_EVENTS)

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
    the event); for a deletion it may be just ``{"id": N}``.
    """

    topic: str
    resource: str
    event: str
    webhook_id: int
    delivery_id: str
    source: str
    payload: Any

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
    resource, event = topic.split(".", 1)
    return Delivery(
        topic=topic,
        resource=wc_headers.get(_HEADER_PREFIX + "resource") or resource,
        event=wc_headers.get(_HEADER_PREFIX + "event") or event,
        webhook_id=_int_or_none(wc_headers.get(_HEADER_PREFIX + "id")),
        delivery_id=wc_headers.get(_HEADER_PREFIX + "delivery-id", ""),
        source=wc_headers.get(_HEADER_PREFIX + "source", ""),
        payload=_json_object(body),
    )


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
