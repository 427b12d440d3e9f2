"""Parallel page imports: the run's reader resolves a page's buyers, the page's import job only finds them.

``orders_to_prepare`` says which orders of a page the reader resolves (exactly those the import will apply);
``plan_writes`` says whether a plan must hold the import locks — a plan that only finds partners needs none,
which is what lets the import jobs of one window run at once. The payloads are the store's own captures.
"""

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path

from wc_connector.payloads import parse_order
from wc_connector.rules.customers import (
    Directory,
    KnownPartner,
    NewPartner,
    orders_to_prepare,
    plan_customers,
    plan_writes,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce"
KNOWN_FIELDS = {field.name for field in dataclasses.fields(KnownPartner)}


def orders(name):
    return [parse_order(item) for item in json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]]


def page():
    return orders("orders_list_p1.json") + orders("orders_list_p2_with_headers.json")


def applied(plan, directory=None, club=True):
    """The directory an Odoo database holds once ``plan`` is applied (ids from 1000), as the next lookup finds it."""
    directory = directory or Directory()
    ids = {create.ref: 1000 + index for index, create in enumerate(plan.creates)}
    members = {ids.get(member, member) for member in plan.club_members}
    partners = {partner.id: partner for partner in directory.partners}
    for create in plan.creates:
        values = {name: value for name, value in create.values.items() if name in KNOWN_FIELDS}
        parent = values.get("parent_id")
        values["parent_id"] = ids[parent] if isinstance(parent, NewPartner) else parent
        partners[ids[create.ref]] = KnownPartner(id=ids[create.ref], owned=True, **values)
    partners = {pid: dataclasses.replace(partner, in_club=club and pid in members) for pid, partner in partners.items()}
    links = dict(directory.links)
    links.update({link.wc_customer_id: ids.get(link.partner, link.partner) for link in plan.links})
    return Directory(partners=tuple(partners.values()), links=links)


# -- what the import job of a prepared page locks --------------------------------------------------------


def test_a_page_whose_buyers_the_reader_resolved_plans_no_write_and_takes_no_lock():
    first = plan_customers(page(), Directory())
    assert plan_writes(first, Directory())  # the reader creates them, under the locks
    directory = applied(first)
    again = plan_customers(page(), directory)
    assert not plan_writes(again, directory)
    # The same buyers, assigned to the partners the reader made.
    assert [a.contact for a in again.assignments] == [
        1000 + [c.ref for c in first.creates].index(a.contact) for a in first.assignments
    ]


def test_a_buyer_not_in_odoo_yet_makes_the_plan_write():
    directory = applied(plan_customers(page()[:3], Directory()))
    plan = plan_customers(page(), directory)
    assert plan.creates
    assert plan_writes(plan, directory)


def test_a_registered_buyer_not_yet_in_the_club_makes_the_plan_write():
    first = plan_customers(page(), Directory())
    directory = applied(first, club=False)
    plan = plan_customers(page(), directory)
    assert (plan.creates, plan.updates, plan.links) == ((), (), ())
    assert plan.club_members
    assert plan_writes(plan, directory)


def test_with_portal_access_a_member_without_a_user_makes_the_plan_write():
    directory = applied(plan_customers(page(), Directory()))
    plan = plan_customers(page(), directory)
    assert plan_writes(plan, directory, portal_access=True)  # the invitation is a write
    # Members that log in already (a store link leads to them, never a key).
    with_users = Directory(partners=tuple(dataclasses.replace(p, has_user=p.in_club) for p in directory.partners),
                           links=directory.links)
    assert not plan_writes(plan_customers(page(), with_users), with_users, portal_access=True)


def test_an_update_when_the_store_is_master_makes_the_plan_write():
    directory = applied(plan_customers(page(), Directory()))
    julia = next(p for p in directory.partners if p.email == "julia.weber@example.de")
    renamed = Directory(
        partners=tuple(dataclasses.replace(p, phone="+49 40 000000") if p == julia else p for p in directory.partners),
        links=directory.links)
    assert not plan_writes(plan_customers(page(), renamed), renamed)  # Odoo is master: found, not rewritten
    plan = plan_customers(page(), renamed, update_existing=True)
    assert plan.updates
    assert plan_writes(plan, renamed)


# -- which orders the reader prepares --------------------------------------------------------------------


def test_the_reader_prepares_exactly_the_orders_the_import_applies():
    listed = orders("orders_list_p1.json")
    newest = max(listed, key=lambda order: order.date_modified)
    oldest = min(listed, key=lambda order: order.date_modified)
    applied_dates = {
        newest.id: newest.date_modified,  # applied in this very state: the import skips it
        oldest.id: datetime(2000, 1, 1, tzinfo=timezone.utc),  # an older state applied: the import applies it
    }
    prepared = {order.id for order in orders_to_prepare(listed, applied_dates)}
    assert prepared == {order.id for order in listed} - {newest.id}


def test_an_order_listed_twice_is_prepared_once_in_its_newest_state():
    first = orders("orders_list_p1.json")[0]
    later = dataclasses.replace(first, date_modified=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert orders_to_prepare([later, first], {}) == [later]
    assert orders_to_prepare([first, later], {}) == [later]
