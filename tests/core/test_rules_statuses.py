"""The status workflow: what each store status makes of the sale order, per-store overrides,
"orders arrive as quotation / as invoice", and the steps from the order's current Odoo state."""

import pytest

from wc_connector.rules.statuses import (
    ARRIVE_AS_INVOICE,
    CANCEL,
    CREDIT_NOTE,
    DELIVERED,
    INVOICE,
    QUOTATION,
    SALE,
    STEP_CANCEL,
    STEP_CONFIRM,
    STEP_CREDIT_NOTE,
    STEP_DELIVER,
    STEP_INVOICE,
    STEP_RESET_TO_DRAFT,
    Action,
    OdooOrderState,
    StatusSettings,
    status_action,
    transition,
)


@pytest.mark.parametrize("status, target", [
    ("pending", QUOTATION), ("on-hold", QUOTATION), ("checkout-draft", QUOTATION),
    ("processing", SALE), ("completed", DELIVERED), ("cancelled", CANCEL), ("failed", CANCEL),
    ("refunded", CREDIT_NOTE), ("trash", CANCEL),
])
def test_default_workflow(status, target):
    action = status_action(status)
    assert (action.status, action.target, action.note) == (status, target, "")
    assert action.delivers == (status == "completed")


def test_what_each_target_means():
    assert not status_action("pending").confirms
    assert status_action("processing").confirms and not status_action("processing").invoices
    assert status_action("completed").confirms and status_action("completed").invoices
    assert status_action("refunded").invoices
    assert not status_action("cancelled").confirms


def test_status_is_read_as_the_store_writes_it_with_or_without_the_wc_prefix():
    assert status_action("wc-Processing ").target == SALE


def test_a_store_override_wins_for_its_status_and_custom_statuses():
    settings = StatusSettings(overrides={"on-hold": SALE, "shipped": INVOICE})
    assert status_action("on-hold", settings).target == SALE
    assert status_action("shipped", settings).target == INVOICE
    assert status_action("pending", settings).target == QUOTATION


def test_an_unknown_status_stays_a_quotation_and_says_so():
    action = status_action("awaiting-shipment")
    assert action.target == QUOTATION and "awaiting-shipment" in action.note and "map it" in action.note


def test_orders_arriving_as_invoice_turn_quotations_and_sale_orders_into_invoices():
    settings = StatusSettings(arrive_as=ARRIVE_AS_INVOICE)
    assert [status_action(s, settings).target for s in ("pending", "processing", "completed", "cancelled", "refunded")] == [
        INVOICE, INVOICE, DELIVERED, CANCEL, CREDIT_NOTE]
    # Invoiced on arrival is not shipped: only the store's "completed" validates the delivery.
    assert [status_action(s, settings).delivers for s in ("pending", "processing", "completed")] == [False, False, True]
    # An explicit override still wins.
    assert status_action("pending", StatusSettings(arrive_as=ARRIVE_AS_INVOICE, overrides={"pending": QUOTATION})).target == QUOTATION


def test_settings_refuse_unknown_targets_and_modes():
    with pytest.raises(ValueError):
        StatusSettings(arrive_as="draft")
    with pytest.raises(ValueError):
        StatusSettings(overrides={"pending": "ship-it"})


NEW = OdooOrderState()
DRAFT = OdooOrderState(state="draft")
CONFIRMED = OdooOrderState(state="sale")
DELIVERED_ORDER = OdooOrderState(state="sale", delivered=True)
INVOICED = OdooOrderState(state="sale", invoiced=True)
INVOICED_AND_DELIVERED = OdooOrderState(state="sale", invoiced=True, delivered=True)
CREDITED = OdooOrderState(state="sale", invoiced=True, credited=True)
CANCELLED = OdooOrderState(state="cancel")


@pytest.mark.parametrize("status, current, steps", [
    ("pending", NEW, ()),
    ("processing", NEW, (STEP_CONFIRM,)),
    ("completed", NEW, (STEP_CONFIRM, STEP_DELIVER, STEP_INVOICE)),
    ("refunded", NEW, (STEP_CONFIRM, STEP_INVOICE, STEP_CREDIT_NOTE)),
    ("cancelled", NEW, (STEP_CANCEL,)),
    ("processing", DRAFT, (STEP_CONFIRM,)),
    ("processing", CONFIRMED, ()),
    ("completed", CONFIRMED, (STEP_DELIVER, STEP_INVOICE)),
    ("completed", DELIVERED_ORDER, (STEP_INVOICE,)),
    ("failed", CONFIRMED, (STEP_CANCEL,)),
    ("refunded", CONFIRMED, (STEP_INVOICE, STEP_CREDIT_NOTE)),
    ("completed", INVOICED, (STEP_DELIVER,)),
    ("completed", INVOICED_AND_DELIVERED, ()),
    ("refunded", INVOICED, (STEP_CREDIT_NOTE,)),
    ("refunded", CREDITED, ()),
    ("cancelled", CANCELLED, ()),
    ("pending", CANCELLED, (STEP_RESET_TO_DRAFT,)),
    ("processing", CANCELLED, (STEP_RESET_TO_DRAFT, STEP_CONFIRM)),
    ("completed", CANCELLED, (STEP_RESET_TO_DRAFT, STEP_CONFIRM, STEP_DELIVER, STEP_INVOICE)),
])
def test_steps_from_the_current_state(status, current, steps):
    result = transition(status_action(status), current)
    assert (result.steps, result.refused) == (steps, "")
    assert result.changes_nothing == (not steps)


def test_a_new_order_is_the_default_current_state():
    assert transition(status_action("processing")).steps == (STEP_CONFIRM,)


@pytest.mark.parametrize("status", ["cancelled", "failed", "pending", "processing"])
def test_an_invoiced_order_is_never_cancelled_or_sent_back_by_a_store_status(status):
    result = transition(status_action(status), INVOICED)
    assert result.steps == () and "invoiced" in result.refused and status in result.refused


def test_a_confirmed_order_does_not_go_back_to_quotation():
    result = transition(status_action("on-hold"), CONFIRMED)
    assert result.steps == () and "confirmed" in result.refused


def test_a_credited_order_changes_no_more():
    result = transition(status_action("processing"), CREDITED)
    assert result.steps == () and "credited" in result.refused


def test_transition_takes_any_action():
    assert transition(Action(status="x", target=SALE), DRAFT).steps == (STEP_CONFIRM,)


def test_validating_the_delivery_follows_the_stores_table_not_the_status_name():
    # "completed" mapped to invoiced only: invoiced, the delivery left to the warehouse.
    completed_invoiced = StatusSettings(overrides={"completed": INVOICE})
    assert transition(status_action("completed", completed_invoiced), CONFIRMED).steps == (STEP_INVOICE,)
    # A plugin's "shipped" mapped to delivered: delivered and invoiced like "completed".
    shipped = StatusSettings(overrides={"shipped": DELIVERED})
    assert transition(status_action("shipped", shipped), NEW).steps == (STEP_CONFIRM, STEP_DELIVER, STEP_INVOICE)


def test_no_delivery_step_when_the_store_leaves_deliveries_to_the_warehouse():
    settings = StatusSettings(validate_delivery=False)
    assert transition(status_action("completed", settings), CONFIRMED).steps == (STEP_INVOICE,)
    assert transition(status_action("completed", settings), INVOICED).steps == ()
