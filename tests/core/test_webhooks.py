"""Webhook verification against every delivery the real store sent, and forgeries."""

import base64
import glob
import hmac
import json
import os

import pytest

from wc_connector.errors import (
    BadSignatureError,
    InvalidWebhookBodyError,
    MissingSignatureError,
    UnknownTopicError,
    WebhookBodyMismatchError,
    WebhookError,
)
from wc_connector.webhooks import (
    HANDLED_TOPICS,
    MAX_BODY_BYTES,
    RESOURCE_FIELDS,
    Delivery,
    Ping,
    body_hash,
    check_body_shape,
    parse_delivery,
    signature,
)

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "woocommerce")
DELIVERY_FILES = sorted(
    glob.glob(os.path.join(FIXTURES, "webhooks", "deliveries", "*.json"))
    + glob.glob(os.path.join(FIXTURES, "more", "webhooks", "deliveries", "*.json"))
)
SECRET = json.load(open(os.path.join(FIXTURES, "webhooks", "verification.json"), encoding="utf-8"))["secret"]


def load(path):
    with open(path, encoding="utf-8") as handle:
        capture = json.load(handle)
    return capture, capture["headers"], base64.b64decode(capture["body_base64"])


def signed(topic, body, **extra):
    """Headers as the store sends them, signed with the lab secret."""
    headers = {
        "Content-Type": "application/json",
        "X-WC-Webhook-Source": "http://127.0.0.1:8080/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": topic.split(".")[0],
        "X-WC-Webhook-Event": topic.split(".")[-1],
        "X-WC-Webhook-ID": "3",
        "X-WC-Webhook-Delivery-ID": "abc123",
        "X-WC-Webhook-Signature": signature(body, SECRET),
    }
    headers.update(extra)
    return headers


def shaped(topic, record_id):
    """The smallest body that has the shape of ``topic`` (a deletion is just the id)."""
    resource, _, event = topic.partition(".")
    if event == "deleted":
        return {"id": record_id}
    return {"id": record_id, **{name: "x" for name in RESOURCE_FIELDS[resource]}}


def test_the_fixtures_hold_every_captured_delivery():
    assert len(DELIVERY_FILES) >= 90
    assert SECRET == "lab-webhook-secret-Ω-2024"


@pytest.mark.parametrize("path", DELIVERY_FILES, ids=os.path.basename)
def test_every_real_delivery_is_accepted(path):
    capture, headers, body = load(path)
    result = parse_delivery(headers, body, SECRET)
    if "X-WC-Webhook-Signature" not in headers:
        assert isinstance(result, Ping)
        assert body == f"webhook_id={result.webhook_id}".encode()
        return
    assert isinstance(result, Delivery)
    assert result.topic == headers["X-WC-Webhook-Topic"]
    assert result.resource == headers["X-WC-Webhook-Resource"]
    assert result.event == headers["X-WC-Webhook-Event"]
    assert result.webhook_id == int(headers["X-WC-Webhook-ID"])
    assert result.delivery_id == headers["X-WC-Webhook-Delivery-ID"]
    assert result.source == headers["X-WC-Webhook-Source"]
    assert result.payload == capture["body_json"]
    assert result.resource_id == capture["body_json"]["id"]
    assert signature(body, SECRET) == capture["signature_expected"]


@pytest.mark.parametrize("path", DELIVERY_FILES, ids=os.path.basename)
def test_every_real_delivery_with_one_byte_changed_is_refused(path):
    _capture, headers, body = load(path)
    if "X-WC-Webhook-Signature" not in headers:
        pytest.skip("pings carry no signature")
    tampered = body[:-2] + bytes([body[-2] ^ 1]) + body[-1:]
    with pytest.raises(BadSignatureError):
        parse_delivery(headers, tampered, SECRET)


def test_headers_are_read_case_insensitively():
    _capture, headers, body = load(next(p for p in DELIVERY_FILES if "order_created" in p))
    lower = {name.lower(): value for name, value in headers.items()}
    upper = {name.upper(): value for name, value in headers.items()}
    assert parse_delivery(lower, body, SECRET) == parse_delivery(upper, body, SECRET)


def test_the_ping_is_recognised_without_any_signature():
    ping = parse_delivery({"Content-Type": "application/x-www-form-urlencoded"}, b"webhook_id=12", SECRET)
    assert ping == Ping(webhook_id=12)


@pytest.mark.parametrize("body", [b"webhook_id=x", b"webhook_id=1&topic=order.created", b"{}", b"", b"\xff\xfe"])
def test_an_unsigned_body_that_is_not_a_ping_is_refused(body):
    with pytest.raises(MissingSignatureError):
        parse_delivery({"Content-Type": "application/x-www-form-urlencoded"}, body, SECRET)


def test_a_ping_shaped_body_with_webhook_headers_must_be_signed():
    headers = signed("order.created", b"webhook_id=1")
    del headers["X-WC-Webhook-Signature"]
    with pytest.raises(MissingSignatureError) as caught:
        parse_delivery(headers, b"webhook_id=1", SECRET)
    assert "X-WC-Webhook-Signature" in str(caught.value)


def test_a_delivery_without_signature_is_refused():
    body = b'{"id": 1}'
    headers = signed("order.updated", body)
    del headers["X-WC-Webhook-Signature"]
    with pytest.raises(MissingSignatureError):
        parse_delivery(headers, body, SECRET)


def test_a_delivery_signed_with_another_secret_is_refused():
    body = b'{"id": 1}'
    with pytest.raises(BadSignatureError):
        parse_delivery(signed("order.updated", body, **{"X-WC-Webhook-Signature": signature(body, "other")}), body, SECRET)


def test_the_secret_is_encoded_as_utf8():
    body = b'{"id": 1}'
    greek = base64.b64encode(hmac.new(SECRET.encode("cp1253"), body, "sha256").digest()).decode()
    with pytest.raises(BadSignatureError):
        parse_delivery(signed("order.updated", body, **{"X-WC-Webhook-Signature": greek}), body, SECRET)
    assert isinstance(parse_delivery(signed("order.deleted", body), body, SECRET), Delivery)


def test_a_garbage_signature_is_refused():
    body = b'{"id": 1}'
    with pytest.raises(BadSignatureError):
        parse_delivery(signed("order.updated", body, **{"X-WC-Webhook-Signature": "Ω not base64"}), body, SECRET)


@pytest.mark.parametrize("topic", ["coupon.created", "action.woocommerce_order_status_completed", "order.paid", ""])
def test_an_unknown_topic_is_refused_even_when_signed(topic):
    body = b'{"id": 1}'
    with pytest.raises(UnknownTopicError) as caught:
        parse_delivery(signed(topic, body), body, SECRET)
    assert caught.value.topic == topic


def test_every_handled_topic_is_accepted():
    assert HANDLED_TOPICS == {
        f"{resource}.{event}"
        for resource in ("order", "customer", "product")
        for event in ("created", "updated", "deleted", "restored")
    }
    for topic in HANDLED_TOPICS:
        body = json.dumps(shaped(topic, 7)).encode()
        delivery = parse_delivery(signed(topic, body), body, SECRET)
        assert (delivery.topic, delivery.resource_id) == (topic, 7)


def test_the_signature_is_checked_before_the_topic():
    body = b'{"id": 1}'
    with pytest.raises(BadSignatureError):
        parse_delivery(signed("coupon.created", body, **{"X-WC-Webhook-Signature": "AAAA"}), body, SECRET)


@pytest.mark.parametrize(
    "body, problem",
    [(b"<html>oops</html>", "character 0"), (b'{"id": 1', "character"), (b"[1, 2]", "not a JSON object"),
     (b'"text"', "not a JSON object"), ('{"name": "Ω"}'.encode("utf-16"), "not UTF-8")],
)
def test_a_signed_body_that_is_not_a_json_object_is_refused(body, problem):
    with pytest.raises(InvalidWebhookBodyError) as caught:
        parse_delivery(signed("order.created", body), body, SECRET)
    assert problem in str(caught.value)


def test_the_raw_body_must_be_bytes():
    with pytest.raises(TypeError):
        parse_delivery(signed("order.created", b"{}"), "{}", SECRET)


def test_webhook_errors_share_one_base_and_name_no_secret():
    body = b'{"id": 1}'
    for headers in (signed("order.updated", body, **{"X-WC-Webhook-Signature": "x"}), {}):
        with pytest.raises(WebhookError) as caught:
            parse_delivery(headers, body, SECRET)
        assert SECRET not in str(caught.value)


# -- what the unsigned headers cannot change --------------------------------------------------------


def captured(topic):
    """``(headers, body)`` of the first captured delivery of ``topic``."""
    for path in DELIVERY_FILES:
        _capture, headers, body = load(path)
        if headers.get("X-WC-Webhook-Topic") == topic:
            return dict(headers), body
    raise AssertionError(f"no captured {topic} delivery")


def test_resource_and_event_come_from_the_topic_not_from_their_headers():
    headers, body = captured("order.updated")
    headers.update({"X-WC-Webhook-Resource": "customer", "X-WC-Webhook-Event": "deleted"})
    delivery = parse_delivery(headers, body, SECRET)
    assert (delivery.resource, delivery.event) == ("order", "updated")


@pytest.mark.parametrize("topic", ["order.deleted", "customer.deleted", "product.deleted"])
def test_a_full_body_under_a_deletion_topic_is_refused(topic):
    _headers, body = captured("order.updated")
    with pytest.raises(WebhookBodyMismatchError) as caught:
        parse_delivery(signed(topic, body), body, SECRET)
    assert topic in str(caught.value)


@pytest.mark.parametrize(
    "source, topic",
    [("order.updated", "customer.updated"), ("order.updated", "product.updated"),
     ("customer.created", "order.updated"), ("customer.created", "product.updated"),
     ("product.updated", "order.created"), ("product.updated", "customer.updated")],
)
def test_a_body_of_one_resource_under_another_resources_topic_is_refused(source, topic):
    _headers, body = captured(source)
    with pytest.raises(WebhookBodyMismatchError):
        parse_delivery(signed(topic, body), body, SECRET)


@pytest.mark.parametrize(
    "payload",
    [{"id": 0}, {"id": "5"}, {"id": True}, {}, {"id": 5, "status": "trash"}],
)
def test_a_deletion_is_exactly_a_positive_id(payload):
    with pytest.raises(WebhookBodyMismatchError):
        check_body_shape("order.deleted", payload)


def test_a_resource_without_its_own_fields_is_refused():
    with pytest.raises(WebhookBodyMismatchError) as caught:
        check_body_shape("customer.updated", {"id": 5, "username": "anna"})
    assert "'role'" in str(caught.value)
    check_body_shape("customer.updated", {"id": 5, "username": "anna", "role": "customer"})


def test_the_body_hash_is_the_same_for_the_same_body_whatever_the_delivery_id():
    headers, body = captured("order.updated")
    first = parse_delivery(headers, body, SECRET)
    second = parse_delivery(dict(headers, **{"X-WC-Webhook-Delivery-ID": "another"}), body, SECRET)
    assert first.body_hash == second.body_hash == body_hash(body)
    assert len(first.body_hash) == 64
    other = body.replace(b"}", b" }", 1)
    assert body_hash(other) != first.body_hash


def test_the_largest_body_read_is_five_megabytes():
    assert MAX_BODY_BYTES == 5 * 1024 * 1024
