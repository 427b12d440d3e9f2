"""The status workflow: what each store status makes of the sale order, per-store overrides,
"orders arrive as quotation / as invoice", and the steps from the order's current Odoo state."""

import pytest

from wc_connector.rules.statuses import (
    ARRIVE_AS_INVOICE,
    CANCEL,
    CREDIT_NOTE,
    INVOICE,
    QUOTATION,
    SALE,
    STEP_CANCEL,
    STEP_CONFIRM,
    STEP_CREDIT_NOTE,
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
    ("processing", SALE), ("completed", INVOICE), ("cancelled", CANCEL), ("failed", CANCEL),
    ("refunded", CREDIT_NOTE), ("trash", CANCEL),
])
def test_default_workflow(status, target):
    action = status_action(status)
    assert (action.status, action.target, action.note) == (status, target, "")


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
        INVOICE, INVOICE, INVOICE, CANCEL, CREDIT_NOTE]
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
INVOICED = OdooOrderState(state="sale", invoiced=True)
CREDITED = OdooOrderState(state="sale", invoiced=True, credited=True)
CANCELLED = OdooOrderState(state="cancel")


@pytest.mark.parametrize("status, current, steps", [
    ("pending", NEW, ()),
    ("processing", NEW, (STEP_CONFIRM,)),
    ("completed", NEW, (STEP_CONFIRM, STEP_INVOICE)),
    ("refunded", NEW, (STEP_CONFIRM, STEP_INVOICE, STEP_CREDIT_NOTE)),
    ("cancelled", NEW, (STEP_CANCEL,)),
    ("processing", DRAFT, (STEP_CONFIRM,)),
    ("processing", CONFIRMED, ()),
    ("completed", CONFIRMED, (STEP_INVOICE,)),
    ("failed", CONFIRMED, (STEP_CANCEL,)),
    ("refunded", CONFIRMED, (STEP_INVOICE, STEP_CREDIT_NOTE)),
    ("completed", INVOICED, ()),
    ("refunded", INVOICED, (STEP_CREDIT_NOTE,)),
    ("refunded", CREDITED, ()),
    ("cancelled", CANCELLED, ()),
    ("pending", CANCELLED, (STEP_RESET_TO_DRAFT,)),
    ("processing", CANCELLED, (STEP_RESET_TO_DRAFT, STEP_CONFIRM)),
    ("completed", CANCELLED, (STEP_RESET_TO_DRAFT, STEP_CONFIRM, STEP_INVOICE)),
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
