"""Shop data never rewrites a partner it does not own: users' partners, Odoo's own, another store's."""

import copy
import json
from pathlib import Path

from wc_connector.payloads import parse_customer, parse_order
from wc_connector.rules.customers import Directory, KnownPartner, plan_customers
from wc_connector.rules.identity import IdentityKey

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce"


def body(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def julias_order(**billing):
    """Captured guest-looking order 89 of Julia Weber (+49 40 555123), its billing changed by ``billing``."""
    data = copy.deepcopy(next(item for item in body("orders_list_p1.json") if item["id"] == 89))
    data["billing"].update(billing)
    return parse_order(data)


def employee(**values):
    """An employee's partner (it has a user) carrying Julia's phone number."""
    return KnownPartner(**{"id": 50, "name": "Erika Employee", "email": "erika@our-company.example",
                           "phone": "+49 40 555123", "country_code": "DE", "has_user": True, **values})


def test_a_partner_with_a_user_is_never_found_by_the_identity_key():
    guest = julias_order(email="someone.else@example.com")
    for owned in (False, True):
        plan = plan_customers([guest], Directory(partners=(employee(owned=owned),)), IdentityKey.PHONE,
                              update_existing=True)
        assignment = plan.for_order(89)
        assert assignment.contact != 50 and assignment.customer != 50
        assert plan.updates == ()
        [person] = [c for c in plan.creates if c.values.get("company_type") == "person"]
        assert person.values["email"] == "someone.else@example.com"


def test_a_partner_with_a_user_is_not_found_by_email_either():
    guest = julias_order(phone="")
    plan = plan_customers([guest], Directory(partners=(employee(email=guest.billing.email),)),
                          update_existing=True)
    assert plan.for_order(89).contact != 50


def test_a_linked_partner_with_a_user_is_used_but_never_updated():
    account = parse_customer(body("customer_single_russian.json"))
    linked = KnownPartner(id=60, name="Old Name", email="old@example.ru", has_user=True, owned=True)
    plan = plan_customers([account], Directory(partners=(linked,), links={account.id: 60}), update_existing=True)
    assert plan.for_customer(account.id).contact == 60
    assert plan.updates == ()


def test_an_orders_email_is_never_written_onto_an_existing_partner():
    julia = KnownPartner(id=20, name="J. Weber", email="julia@old-provider.example", phone="+49 40 555123",
                         country_code="DE", owned=True)
    plan = plan_customers([julias_order()], Directory(partners=(julia,)), IdentityKey.PHONE, update_existing=True)
    assert plan.for_order(89).contact == 20
    [update] = plan.updates
    assert "email" not in update.values
    assert update.values["name"] == "Julia Weber"  # the store is master of what it owns


def test_store_is_master_only_of_the_partners_it_created_or_linked():
    odoos_own = KnownPartner(id=20, name="J. Weber", email="julia.weber@example.de")
    plan = plan_customers([julias_order()], Directory(partners=(odoos_own,)), update_existing=True)
    assert plan.for_order(89).contact == 20  # found and used...
    assert plan.updates == ()  # ... but not rewritten
    owned = KnownPartner(id=20, name="J. Weber", email="julia.weber@example.de", owned=True)
    plan = plan_customers([julias_order()], Directory(partners=(owned,)), update_existing=True)
    assert [dict(update.values) for update in plan.updates] == [{"name": "Julia Weber", "phone": "+49 40 555123"}]
