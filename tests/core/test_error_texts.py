"""The errors' sentences: English as before, and made of marked templates a host can translate."""

import ast
import inspect
from pathlib import Path

import pytest

from wc_connector import errors
from wc_connector.errors import (
    AuthenticationError,
    BadSignatureError,
    InvalidWebhookBodyError,
    MissingSignatureError,
    NotWooCommerceError,
    PayloadError,
    RateLimitedError,
    UnknownTopicError,
    WebhookBodyMismatchError,
    WooCommerceError,
)
from wc_connector.payloads.fields import Fields
from wc_connector.texts import english

ERRORS_PY = Path(errors.__file__)
PAYLOADS = ERRORS_PY.parent / "payloads"


def marked_templates(path):
    """The literal arguments of every ``_lt(...)`` call in ``path``: what Odoo's exporter puts in the .pot."""
    return {
        node.args[0].value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_lt"
        and node.args and isinstance(node.args[0], ast.Constant)
    }


@pytest.mark.parametrize("error, text", [
    (WooCommerceError(), "The store answered with an error."),
    (AuthenticationError("Consumer key is invalid.", code="woocommerce_rest_authentication_error", status=401),
     "The store refused our credentials: check the consumer key and secret, and that the key has read/write "
     "permission. The store said: Consumer key is invalid. (woocommerce_rest_authentication_error)"),
    (RateLimitedError(code="too_many", retry_after=3),
     "The store is limiting how fast we may call it; we will try again shortly. (too_many)"),
    (NotWooCommerceError("100% not a store"),
     "The address answers, but not like a WooCommerce store: check the store URL and that the WooCommerce REST "
     "API is enabled. The store said: 100% not a store"),
    (PayloadError("order", 57, "total", "not a number: 'abc'"),
     "The store's order 57 has an invalid 'total': not a number: 'abc'"),
    (PayloadError("customer", None, "email", "missing"), "The store's customer has an invalid 'email': missing"),
    (MissingSignatureError(), "The webhook delivery has no X-WC-Webhook-Signature header; it was ignored."),
    (BadSignatureError(),
     "The webhook delivery's signature does not match the store's webhook secret; it was ignored."),
    (UnknownTopicError("coupon.created"),
     "The webhook topic 'coupon.created' is not one the connector handles; it was ignored."),
    (InvalidWebhookBodyError("Expecting value"),
     "The webhook delivery's body is not valid JSON (Expecting value); it was ignored."),
    (WebhookBodyMismatchError("order.updated", "no id"),
     "The webhook delivery's body does not fit its topic 'order.updated' (no id); it was ignored."),
])
def test_the_english_text_is_unchanged(error, text):
    assert str(error) == text
    assert error.render() == text


def test_every_template_an_error_shows_is_marked_for_the_exporter():
    marked = marked_templates(ERRORS_PY)
    kinds = [kind for _name, kind in inspect.getmembers(errors, inspect.isclass) if issubclass(kind, Exception)]
    shown = {kind.summary for kind in kinds if issubclass(kind, WooCommerceError)}
    shown |= {kind.template for kind in kinds if issubclass(kind, errors.WebhookError)}
    shown |= {template for template, _params in WooCommerceError("said").texts()}
    shown.add(PayloadError("order", 1, "total", "bad").texts()[0][0])
    shown.discard("(%(code)s)")  # the store's error code, the same in every language
    assert shown - marked == set()


def test_a_host_translates_each_template_and_then_fills_it_in():
    translations = {
        AuthenticationError.summary: "Магазин отклонил наши ключи.",
        "The store said: %(message)s": "Ответ магазина: %(message)s",
    }
    seen = []

    def translate(template, params):
        seen.append(template)
        return english(translations.get(template, template), params)

    error = AuthenticationError("Sorry, you cannot list resources.", code="woocommerce_rest_cannot_view")
    assert error.render(translate) == (
        "Магазин отклонил наши ключи. Ответ магазина: Sorry, you cannot list resources. (woocommerce_rest_cannot_view)"
    )
    assert seen == [AuthenticationError.summary, "The store said: %(message)s", "(%(code)s)"]
    assert str(error).startswith("The store refused our credentials")  # the English stays


def test_what_is_wrong_in_a_payload_is_a_marked_template_with_the_values_sent():
    with pytest.raises(PayloadError) as caught:
        Fields.of_record({"id": "abc"}, "order")
    error = caught.value
    assert str(error) == "The store's order abc has an invalid 'id': expected a whole number, got 'abc'"
    assert error.texts() == [
        ("The store's %(record)s has an invalid '%(field)s':", {"record": "order abc", "field": "id"}),
        ("expected a whole number, got %(value)s", {"value": "'abc'"}),
    ]
    assert "expected a whole number, got %(value)s" in marked_templates(PAYLOADS / "fields.py")


def test_no_payload_problem_is_an_untranslatable_f_string():
    unmarked = [
        f"{path.name}:{node.lineno}"
        for path in sorted(PAYLOADS.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "fail"
        and len(node.args) > 1 and isinstance(node.args[1], ast.JoinedStr)
    ]
    assert unmarked == []
