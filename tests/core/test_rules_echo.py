"""Echo recognition (reverse/5_echo): token AND date_modified_gmt of our own write, never the token alone."""

import json
from datetime import timedelta
from pathlib import Path

from wc_connector.rules.echo import TOKEN_KEY, is_echo, modified_at, new_token, token_meta, token_of

REVERSE = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce_reverse"


def capture(name):
    return json.loads((REVERSE / name).read_text())


def delivery(name):
    return capture(f"webhooks/deliveries/{name}")["body_json"]


def test_the_natural_delivery_of_our_write_is_our_echo():
    write = capture("2_orders/a_04_put_meta_sync_token.json")
    token = token_of(write["request"]["body"])
    answered = modified_at(write["body"])
    assert token == "odoo-42-1733220000"
    assert is_echo(delivery("0035-order_updated-478-2-a-04_put_meta_sync_token.json"), token, answered)


def test_a_shop_change_coalesced_into_the_same_delivery_is_not_our_echo():
    # The connector's PUT wrote T-coalesce; the shop changed the phone a second later; ONE delivery
    # carries both: the token is still there, but the modification second is not our write's.
    ours = capture("5_echo/02_order_put_meta_token_then.json")
    payload = delivery("0065-order_updated-483-5-coalesce.json")
    assert token_of(payload) == "T-coalesce"
    assert payload["billing"]["phone"] == "+49 30 SHOP-EDIT"
    assert not is_echo(payload, "T-coalesce", modified_at(ours["body"]))
    # Had nothing happened in between, the same payload second would have been ours.
    assert is_echo(payload, "T-coalesce", modified_at(capture("5_echo/03_order_put_shop_side_change.json")["body"]))


def test_no_token_or_another_token_or_no_write_is_never_an_echo():
    write = capture("2_orders/a_04_put_meta_sync_token.json")
    answered = modified_at(write["body"])
    payload = delivery("0035-order_updated-478-2-a-04_put_meta_sync_token.json")
    assert not is_echo(payload, "someone-else", answered)
    assert not is_echo(payload, None, answered)
    assert not is_echo(payload, "odoo-42-1733220000", None)
    assert not is_echo({"id": 1, "date_modified_gmt": write["body"]["date_modified_gmt"]}, "odoo-42-1733220000", answered)
    assert not is_echo(payload, "odoo-42-1733220000", answered + timedelta(seconds=1))
    assert modified_at({"date_modified_gmt": "not a date"}) is None


def test_tokens_are_new_each_time_and_travel_as_meta():
    first, second = new_token(), new_token()
    assert first != second
    assert token_meta(first) == {"key": TOKEN_KEY, "value": first}
    assert token_of({"meta_data": [token_meta(first)]}) == first
