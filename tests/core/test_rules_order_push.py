"""Odoo → store for orders: status table, set_paid, tracking, the reverse customer rules, only what differs."""

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from wc_connector.rules import echo
from wc_connector.rules.order_push import (
    CANCELLED,
    DEFAULT_EVENT_STATUSES,
    DELIVERED,
    PAID,
    SCOPE_CUSTOMER,
    SCOPE_STATUS,
    TRACKING_META_KEY,
    CustomerFacts,
    OrderFacts,
    Tracking,
    customer_changes,
    plan_order_push,
    split_name,
    store_changed_since,
    target_status,
    total_moved,
)

REVERSE = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce_reverse"


def answer(name):
    return json.loads((REVERSE / name).read_text())


def order(name):
    return answer(name)["body"]


# -- which status for which event ---------------------------------------------------------------------


@pytest.mark.parametrize("facts, store_status, expected", [
    (OrderFacts(delivered=True), "processing", ("completed", False)),
    (OrderFacts(delivered=True, paid=True), "processing", ("completed", False)),
    (OrderFacts(paid=True), "pending", ("processing", True)),
    (OrderFacts(paid=True), "on-hold", ("processing", True)),
    (OrderFacts(paid=True), "completed", (None, False)),          # never backwards
    (OrderFacts(delivered=True), "completed", (None, False)),     # already there
    (OrderFacts(cancelled=True), "processing", ("cancelled", False)),
    (OrderFacts(cancelled=True, delivered=True), "processing", ("cancelled", False)),
    (OrderFacts(cancelled=True), "cancelled", (None, False)),
    (OrderFacts(delivered=True), "refunded", (None, False)),      # a final status is left alone
    (OrderFacts(), "processing", (None, False)),
])
def test_the_default_table_maps_odoo_events_to_store_statuses(facts, store_status, expected):
    assert target_status(facts, DEFAULT_EVENT_STATUSES, store_status) == expected


def test_a_shop_that_completes_on_payment_maps_paid_to_completed_and_delivered_to_nothing():
    table = {DELIVERED: "", PAID: "completed", CANCELLED: "cancelled"}
    assert target_status(OrderFacts(delivered=True), table, "processing") == (None, False)
    assert target_status(OrderFacts(delivered=True, paid=True), table, "processing") == ("completed", False)
    assert target_status(OrderFacts(paid=True), table, "pending") == ("completed", True)
    assert target_status(OrderFacts(cancelled=True), {CANCELLED: ""}, "processing") == (None, False)


# -- the whole write ------------------------------------------------------------------------------------


def test_a_delivered_order_with_tracking_sends_status_tracking_meta_and_a_token_once():
    store_order = order("2_orders/e_01_put_processing.json")
    facts = OrderFacts(delivered=True, tracking=(Tracking("DHL", "00340434161094042557", "2026-12-03"),))
    push = plan_order_push(store_order, DEFAULT_EVENT_STATUSES, {SCOPE_STATUS}, facts=facts, token="T1")
    assert push.body["status"] == "completed"
    [tracking, token] = push.body["meta_data"]
    assert token == {"key": echo.TOKEN_KEY, "value": "T1"} and push.token == "T1"
    assert tracking["key"] == TRACKING_META_KEY
    assert [(t["custom_tracking_provider"], t["tracking_number"]) for t in tracking["value"]] == [
        ("DHL", "00340434161094042557")]
    assert push.notes == facts.tracking
    # Once the store shows it, the same state sends nothing at all (no write, no webhook, no mail).
    done = dict(store_order, status="completed", meta_data=[tracking])
    again = plan_order_push(done, DEFAULT_EVENT_STATUSES, {SCOPE_STATUS}, facts=facts)
    assert again.body == {} and again.notes == () and again.token is None


def test_only_the_scopes_odoo_changed_are_compared():
    store_order = order("3_customer/f_00_create.json")
    customer = CustomerFacts(name="Sophie Wagner", phone="+49 89 7654321", email="anna.schmidt@example.de",
                             store_customer_id=2)
    status_only = plan_order_push(store_order, DEFAULT_EVENT_STATUSES, {SCOPE_STATUS}, facts=OrderFacts(),
                                  customer=customer)
    assert status_only.body == {}
    both = plan_order_push(store_order, DEFAULT_EVENT_STATUSES, {SCOPE_STATUS, SCOPE_CUSTOMER},
                           facts=OrderFacts(delivered=True), customer=customer, token="T")
    assert both.body["status"] == "completed" and both.body["billing"]["first_name"] == "Sophie"


# -- the reverse customer rules (seed 003, part B) ---------------------------------------------------------


def test_individual_who_exists_in_the_store_becomes_the_orders_customer_with_name_and_phone():
    # The capture's own request: f_01 changed customer 2 → 13 and names and phones.
    store_order = order("3_customer/f_00_create.json")
    sent = answer("3_customer/f_01_put_customer13_names_phones.json")["request"]["body"]
    customer = CustomerFacts(name="Sophie Wagner", phone="+49 89 7654321", email="anna.schmidt@example.de",
                             store_customer_id=13)
    changes, problem = customer_changes(customer, store_order)
    assert problem is None
    assert changes == sent


def test_individual_missing_in_the_store_makes_a_guest_order_with_the_new_name_and_phone():
    store_order = order("3_customer/f_01_put_customer13_names_phones.json")
    sent = answer("3_customer/f_02_put_guest_new_names.json")["request"]["body"]
    customer = CustomerFacts(name="Gast Kunde", phone="+49 40 111222", email="anna.schmidt@example.de")
    changes, problem = customer_changes(customer, store_order)
    assert problem is None
    assert changes == sent  # customer_id 0: the store creates no customer


def test_corporate_customer_needs_a_company_name_and_changes_the_billing_company():
    store_order = order("3_customer/g_00_create.json")
    nameless = CustomerFacts(name="Anna Schmidt", corporate=True, company="  ", store_customer_id=2)
    assert customer_changes(nameless, store_order) == ({}, "company name missing")
    push = plan_order_push(store_order, DEFAULT_EVENT_STATUSES, {SCOPE_CUSTOMER}, customer=nameless)
    assert push.body == {} and push.problems == ("company name missing",)
    sent = answer("3_customer/g_01_put_billing_company_only.json")["request"]["body"]
    company = CustomerFacts(name="Anna Schmidt", phone="+49 30 1234567", email="anna.schmidt@example.de",
                            corporate=True, company=sent["billing"]["company"], store_customer_id=2,
                            shipping_name="Anna Schmidt", shipping_phone="+49 30 1234567")
    assert customer_changes(company, store_order) == (sent, None)


def test_contact_person_changed_sends_only_the_fields_that_differ():
    store_order = order("3_customer/g_01_put_billing_company_only.json")
    sent = answer("3_customer/g_02_put_contact_person.json")["request"]["body"]
    person = CustomerFacts(name=f"{sent['billing']['first_name']} {sent['billing']['last_name']}",
                           phone=sent["billing"]["phone"], email=sent["billing"]["email"], corporate=True,
                           company=store_order["billing"]["company"], store_customer_id=2)
    changes, _problem = customer_changes(person, store_order)
    assert changes == sent
    # The same person again: nothing differs, nothing is sent.
    after = order("3_customer/g_02_put_contact_person.json")
    assert customer_changes(person, after) == ({}, None)


def test_an_individual_replacing_a_company_clears_the_billing_company():
    store_order = order("3_customer/g_00_create.json")
    person = CustomerFacts(name="Anna Schmidt", phone="+49 30 1234567", email="anna.schmidt@example.de",
                           store_customer_id=2)
    assert customer_changes(person, store_order) == ({"billing": {"company": ""}}, None)


def test_a_name_keeps_the_stores_split_when_it_already_reads_the_same():
    assert split_name("Anna Maria Schmidt", "Anna", "Maria Schmidt") == ("Anna", "Maria Schmidt")
    assert split_name("Anna Maria Schmidt", "", "") == ("Anna Maria", "Schmidt")
    assert split_name("Cher", "x", "y") == ("Cher", "")


# -- after the write ----------------------------------------------------------------------------------------


def test_the_total_moved_when_the_shipping_country_changed():
    before = order("3_customer/f_03_put_billing_email_new.json")
    after = order("3_customer/f_05_put_shipping_country_us.json")
    assert total_moved(before["total"], after["total"]) == (Decimal(before["total"]), Decimal(after["total"]))
    assert (before["total"], after["total"]) == ("14.16", "11.90")  # DE → US: the VAT is gone
    names = order("3_customer/f_01_put_customer13_names_phones.json")
    assert total_moved(before["total"], names["total"]) is None  # names and phones leave the totals alone
    assert total_moved("x", "1") is None


def test_a_store_change_after_the_last_sync_is_seen():
    store_order = order("5_echo/03_order_put_shop_side_change.json")
    synced = datetime(2026, 12, 3, 10, 8, 51, tzinfo=timezone.utc)
    assert store_changed_since(store_order, synced) == datetime(2026, 12, 3, 10, 8, 52, tzinfo=timezone.utc)
    assert store_changed_since(store_order, synced.replace(second=52)) is None
    assert store_changed_since(store_order, None) is None
