"""Messages per sale step (seed A.6): which step a store order reached and which messages are due."""

from datetime import datetime, timedelta, timezone

import pytest

from wc_connector.rules.messages import (
    BEFORE_GO_LIVE,
    CANCELLED,
    CONFIRMED,
    DEFAULT_STEP_SETTINGS,
    HISTORY,
    INVOICED,
    PAID,
    RECEIVED,
    REFUNDED,
    SHIPPED,
    STEPS,
    STORE_SENDS,
    SUPERSEDED,
    SWITCHED_OFF,
    OrderProgress,
    StepSetting,
    plan_messages,
    reached_steps,
)

GO_LIVE = datetime(2026, 11, 1, tzinfo=timezone.utc)
AFTER = GO_LIVE + timedelta(days=3)
BEFORE = GO_LIVE - timedelta(seconds=1)
ALL_ON = {step: StepSetting(enabled=True, store_sends=False) for step in STEPS}


def progress(**facts):
    facts.setdefault("placed_at", AFTER)
    return OrderProgress(**facts)


def test_a_new_order_has_reached_received_only():
    assert reached_steps(progress()) == (RECEIVED,)


def test_steps_come_in_sale_order():
    done = progress(confirmed=True, shipped=True, invoiced=True, paid=True, refunded=True)
    assert reached_steps(done) == (RECEIVED, CONFIRMED, SHIPPED, INVOICED, PAID, REFUNDED)
    assert reached_steps(progress(cancelled=True)) == (RECEIVED, CANCELLED)


def test_each_step_is_announced_once_as_the_order_moves_on():
    sent = set()
    for facts in ({}, {"confirmed": True}, {"confirmed": True, "shipped": True},
                  {"confirmed": True, "shipped": True, "invoiced": True}):
        plan = plan_messages(progress(**facts), ALL_ON, sent, GO_LIVE)
        assert len(plan.send) == 1
        sent |= set(plan.send)
    assert sent == {RECEIVED, CONFIRMED, SHIPPED, INVOICED}
    again = plan_messages(progress(confirmed=True, shipped=True, invoiced=True), ALL_ON, sent, GO_LIVE)
    assert again.send == () and again.skip == ()


def test_an_order_seen_late_gets_the_news_not_the_whole_story():
    # A completed, paid order seen for the first time: shipping and invoice (which shows it paid), not five mails.
    plan = plan_messages(progress(confirmed=True, shipped=True, invoiced=True, paid=True), ALL_ON, set(), GO_LIVE)
    assert plan.send == (SHIPPED, INVOICED)
    assert dict(plan.skip) == {RECEIVED: SUPERSEDED, CONFIRMED: SUPERSEDED, PAID: SUPERSEDED}


def test_a_superseding_step_that_is_not_sent_supersedes_nothing():
    settings = dict(ALL_ON, **{INVOICED: StepSetting(enabled=False, store_sends=False)})
    plan = plan_messages(progress(confirmed=True, invoiced=True, paid=True), settings, set(), GO_LIVE)
    assert plan.send == (PAID,)
    assert dict(plan.skip)[INVOICED] == SWITCHED_OFF


def test_switched_off_and_store_sent_steps_are_skipped_for_good():
    settings = dict(ALL_ON, **{RECEIVED: StepSetting(enabled=False, store_sends=False),
                               CONFIRMED: StepSetting(enabled=True, store_sends=True)})
    plan = plan_messages(progress(confirmed=True), settings, set(), GO_LIVE)
    assert plan.send == ()
    assert dict(plan.skip) == {RECEIVED: SWITCHED_OFF, CONFIRMED: STORE_SENDS}


def test_a_step_without_settings_is_off():
    plan = plan_messages(progress(), {}, set(), GO_LIVE)
    assert plan.send == () and dict(plan.skip) == {RECEIVED: SWITCHED_OFF}


def test_history_imports_send_nothing_unless_asked():
    plan = plan_messages(progress(confirmed=True), ALL_ON, set(), GO_LIVE, history=True)
    assert plan.send == () and dict(plan.skip) == {RECEIVED: HISTORY, CONFIRMED: HISTORY}
    asked = plan_messages(progress(confirmed=True), ALL_ON, set(), GO_LIVE, history=True, force=True)
    assert asked.send == (CONFIRMED,)


def test_orders_placed_before_go_live_send_nothing_unless_asked():
    old = progress(placed_at=BEFORE)
    assert dict(plan_messages(old, ALL_ON, set(), GO_LIVE).skip) == {RECEIVED: BEFORE_GO_LIVE}
    assert plan_messages(old, ALL_ON, set(), GO_LIVE, force=True).send == (RECEIVED,)
    assert plan_messages(old, ALL_ON, set(), None).send == (RECEIVED,)
    assert plan_messages(progress(placed_at=None), ALL_ON, set(), GO_LIVE).send == (RECEIVED,)


def test_naive_dates_are_read_as_utc():
    naive_after = AFTER.replace(tzinfo=None)
    assert plan_messages(progress(placed_at=naive_after), ALL_ON, set(), GO_LIVE.replace(tzinfo=None)).send == (RECEIVED,)
    assert plan_messages(progress(placed_at=BEFORE.replace(tzinfo=None)), ALL_ON, set(), GO_LIVE).send == ()


def test_a_cancelled_order_hears_it_was_cancelled():
    plan = plan_messages(progress(confirmed=True, cancelled=True), ALL_ON, {RECEIVED}, GO_LIVE)
    assert plan.send == (CANCELLED,)
    assert dict(plan.skip) == {CONFIRMED: SUPERSEDED}


def test_a_refund_is_the_last_word():
    plan = plan_messages(progress(confirmed=True, shipped=True, invoiced=True, paid=True, refunded=True),
                         ALL_ON, {RECEIVED}, GO_LIVE)
    assert plan.send == (REFUNDED,)


@pytest.mark.parametrize("step, store_sends", [
    (RECEIVED, True), (CONFIRMED, True), (SHIPPED, True), (REFUNDED, True),
    (INVOICED, False), (PAID, False), (CANCELLED, False),
])
def test_by_default_odoo_leaves_to_the_store_what_woocommerce_mails_itself(step, store_sends):
    # WooCommerce mails the customer on-hold/processing (received, confirmed), completed and refunded orders;
    # a cancelled order goes to the admin only, and it sends no invoice or payment receipt by itself.
    assert DEFAULT_STEP_SETTINGS[step] == StepSetting(enabled=True, store_sends=store_sends)
    assert set(DEFAULT_STEP_SETTINGS) == set(STEPS)


def test_unknown_step_setting_is_refused():
    with pytest.raises(ValueError, match="step"):
        plan_messages(progress(), {"teleported": StepSetting(True, False)}, set(), GO_LIVE)
