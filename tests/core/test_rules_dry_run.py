"""The dry run: the import's planners decide what a sync would do, and nothing is applied."""

import copy
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from wc_connector.payloads import parse_order
from wc_connector.rules.customers import Directory, KnownPartner, identity_rule
from wc_connector.rules.dry_run import CREATE, FAIL, MATCH, UNCHANGED, UPDATE, ExistingOrder, preview
from wc_connector.rules.identity import IdentityKey
from wc_connector.rules.statuses import CANCEL, CREDIT_NOTE, STEP_INVOICE, OdooOrderState
from wc_connector.rules.taxes import tax_specs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"
RATES = json.loads((FIXTURES / "taxes.json").read_text())["body"]
TAXES = {mode: tax_specs(RATES, mode) for mode in (True, False)}


def body(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def orders():
    return [parse_order(item) for item in body("orders_list_p1.json")]


def test_new_orders_would_be_created_with_their_status_steps_totals_and_new_partners():
    page = orders()
    run = preview(page, {}, Directory(), tax_map=TAXES)
    assert [o.wc_id for o in run.orders] == sorted(o.id for o in page)
    assert run.count(CREATE) == len(page)
    refunded = next(o for o in run.orders if o.wc_id == 96)
    assert refunded.target == CREDIT_NOTE and STEP_INVOICE in refunded.steps
    assert next(o for o in run.orders if o.wc_id == 90).target == CANCEL
    for item in run.orders:
        assert item.odoo_total == item.total, item
    # Guests and accounts alike are planned by their email; a person buying twice is created once.
    assert {p.rule for p in run.partners} == {"email"}
    assert {p.action for p in run.partners} == {CREATE}
    assert len({p.name for p in run.partners}) == len({o.billing.email for o in page})


def test_known_buyers_are_matched_by_link_or_email_and_applied_orders_are_unchanged_or_updated():
    page = orders()
    guest = next(o for o in page if o.customer_id == 0 and not o.company)
    account = next(o for o in page if o.customer_id and not o.company)
    directory = Directory(
        partners=(KnownPartner(id=7, name="Known Guest", email=guest.billing.email),
                  KnownPartner(id=8, name="Linked Account", email="other@example.com")),
        links={account.customer_id: 8},
    )
    existing = {
        guest.id: ExistingOrder("S1", guest.date_modified, OdooOrderState(state="draft")),
        account.id: ExistingOrder("S2", account.date_modified - timedelta(seconds=1), OdooOrderState(state="draft")),
    }
    run = preview(page, existing, directory, tax_map=TAXES)
    by_id = {o.wc_id: o for o in run.orders}
    assert (by_id[guest.id].action, by_id[guest.id].sale_name) == (UNCHANGED, "S1")
    assert (by_id[account.id].action, by_id[account.id].rule, by_id[account.id].customer) == (UPDATE, "link", MATCH)
    assert by_id[account.id].customer_name == "Linked Account"
    assert identity_rule(guest, directory) == "email"
    assert identity_rule(guest, directory, IdentityKey.PHONE) == "phone"


def test_an_order_the_import_would_hold_is_shown_failing_with_the_reason():
    page = orders()
    run = preview(page, {}, Directory(), tax_map={}, failures={4242: "order 4242: 'total' is missing"})
    held = [o for o in run.orders if o.action == FAIL]
    taxed = {o.id for o in page if o.tax_lines}
    assert {o.wc_id for o in held} == taxed | {4242}
    assert all(o.reason for o in held)


def test_the_newest_copy_of_an_order_listed_twice_is_previewed_once():
    data = body("orders_list_p1.json")[0]
    older = copy.deepcopy(data)
    older["date_modified_gmt"] = "2000-01-01T00:00:00"
    newer = copy.deepcopy(data)
    newer["total"] = str(Decimal(data["total"]))
    run = preview([parse_order(newer), parse_order(older)], {}, Directory(), tax_map=TAXES)
    assert len(run.orders) == 1 and run.orders[0].action == CREATE
