"""Which customer: the rules of issue 3 ("Customers") and mission part B (forward), on the real captures.

Each test is one rule. The payloads are the store's own (tests/fixtures/woocommerce/), parsed by
wc_connector.payloads; the Odoo side is played by a Directory of KnownPartners.
"""

import copy
import json
from pathlib import Path

import pytest

from wc_connector.payloads import parse_customer, parse_order
from wc_connector.rules.customers import (
    CustomerPlan,
    Directory,
    KnownPartner,
    NewPartner,
    customer_change,
    directory_query,
    plan_customers,
)
from wc_connector.rules.identity import (
    IdentityKey,
    company_name_key,
    normalize_email,
    normalize_phone,
    normalize_username,
    normalize_vat,
    postcode_key,
    text_key,
)
from wc_emulator.captures import newest_captured_orders

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce"


def body(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def order(name, order_id=None, **changes):
    """A captured order (``order_id`` picks one from a list), with top-level keys or address keys changed."""
    data = body(name)
    if order_id is not None:
        data = next(item for item in data if item["id"] == order_id)
    data = copy.deepcopy(data)
    for key, value in changes.items():
        if isinstance(value, dict):
            data[key].update(value)
        else:
            data[key] = value
    return parse_order(data)


def orders(name):
    return [parse_order(item) for item in body(name)]


def customer(name, customer_id=None):
    data = body(name)
    return parse_customer(data if customer_id is None else next(item for item in data if item["id"] == customer_id))


def captured_orders():
    """Every order the captures hold, each in its newest captured state."""
    return [parse_order(item) for item in newest_captured_orders(FIXTURES)]


def persons(plan):
    return [c for c in plan.creates if c.values.get("company_type") == "person"]


def companies(plan):
    return [c for c in plan.creates if c.values.get("company_type") == "company"]


def created(plan, ref):
    return next(c.values for c in plan.creates if c.ref == ref)


# Partners as an Odoo database would hold them after importing the first captures.
FISCHER = KnownPartner(id=10, name="Fischer Logistik AG", is_company=True, vat="DE811908013", street="Hafenweg 8",
                       city="Bremen", zip="28195", state_code="HB", country_code="DE")
STEFAN = KnownPartner(id=11, name="Stefan Fischer", email="einkauf@fischer-logistik.example.de", phone="+49 421 77665",
                      parent_id=10, street="Hafenweg 8", city="Bremen", zip="28195", state_code="HB", country_code="DE")
JULIA = KnownPartner(id=20, name="Julia Weber", email="julia.weber@example.de", phone="+49 40 555123",
                     street="Am Markt 3", city="Hamburg", zip="20095", state_code="HH", country_code="DE")
SOPHIE = KnownPartner(id=30, name="Sophie Wagner", email="sophie.wagner@example.de", phone="+49 211 445566",
                      street="Königsallee 60", city="Düsseldorf", zip="40212", state_code="NW", country_code="DE")
LAURA = KnownPartner(id=40, name="Laura Hoffmann", email="laura.hoffmann@example.de", street="Schillerplatz 5",
                     city="Leipzig", zip="04109", state_code="SN", country_code="DE")


# -- an existing partner is reused, never duplicated ----------------------------------------------


def test_existing_partner_with_the_same_email_is_reused_never_duplicated():
    anna = KnownPartner(id=7, name="Anna Schmidt", email=" Anna.Schmidt@Example.DE ", street="Lindenstraße 12",
                        city="Berlin", zip="10969", state_code="BE", country_code="DE")
    page = [o for o in orders("orders_list_p1.json") if o.id == 87]
    plan = plan_customers(page, Directory(partners=(anna,)))
    assignment = plan.for_order(87)
    assert (assignment.customer, assignment.contact, assignment.invoice, assignment.delivery) == (7, 7, 7, 7)
    assert plan.creates == ()
    assert plan.updates == ()  # the store is not master: nothing is written


def test_registered_customer_is_found_by_its_store_link_before_its_key():
    renamed = KnownPartner(id=50, name="Anna S.", email="old.address@example.de", street="Lindenstraße 12",
                           city="Berlin", zip="10969", state_code="BE", country_code="DE")
    page = [o for o in orders("orders_list_p1.json") if o.id == 87]
    plan = plan_customers(page, Directory(partners=(renamed,), links={2: 50}))
    assert plan.for_order(87).contact == 50
    assert plan.links == ()  # the link exists already
    assert persons(plan) == []


def test_one_contact_person_per_key_within_a_company():
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    plan = plan_customers(page, Directory(partners=(FISCHER, STEFAN)))
    assignment = plan.for_order(90)
    assert (assignment.customer, assignment.contact) == (10, 11)
    assert plan.creates == ()


def test_one_individual_per_key_a_contact_of_a_company_is_not_the_individual():
    # Stefan is known as Fischer's contact; buying privately makes him an individual of his own.
    private = order("orders_list_p1.json", 92, billing={"first_name": "Stefan", "last_name": "Fischer",
                                                        "email": "EINKAUF@fischer-logistik.example.de"})
    plan = plan_customers([private], Directory(partners=(FISCHER, STEFAN)))
    [person] = persons(plan)
    assert "parent_id" not in person.values
    assert plan.for_order(private.id).customer == person.ref


def test_the_same_person_buying_for_two_companies_is_a_contact_in_each():
    # Captured: einkauf@fischer-logistik bought for Fischer Logistik AG (order 90) and, after the
    # store changed order 75's billing company, for Spedition Fischer Süd GmbH & Co. KG.
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    page.append(order("more/customer_change/b1_order75_after_get.json"))
    plan = plan_customers(page, Directory())
    assert sorted(c.values["name"] for c in companies(plan)) == [
        "Fischer Logistik AG", "Spedition Fischer Süd GmbH & Co. KG"]
    contacts = persons(plan)
    assert [c.values["email"] for c in contacts] == ["einkauf@fischer-logistik.example.de"] * 2
    assert {c.values["parent_id"] for c in contacts} == {c.ref for c in companies(plan)}
    assert plan.for_order(90).customer != plan.for_order(75).customer
    # One store account, one link and one club membership: the first company's contact (newest order first).
    assert [link.wc_customer_id for link in plan.links] == [5]


def test_a_page_with_several_orders_of_a_new_customer_creates_it_once():
    page = orders("orders_list_p1.json") + orders("orders_list_p2_with_headers.json")
    plan = plan_customers(page, Directory())
    # 20 orders from 16 people (Ivan, Lukas, Hanna and Zahra ordered twice), 6 of them for a company.
    assert len(persons(plan)) == 16
    assert len(companies(plan)) == 6
    assert plan.for_order(94).contact == plan.for_order(79).contact
    assert len(plan.assignments) == 20


def test_nineteen_guest_orders_from_eight_emails_give_eight_people():
    guests = [o for o in captured_orders() if o.is_guest and o.billing.email]
    assert len(guests) == 19
    assert len({o.billing.email for o in guests}) == 8
    plan = plan_customers(guests, Directory())
    assert len(persons(plan)) == 8
    assert len({plan.for_order(o.id).contact for o in guests}) == 8


def test_guests_are_identified_by_billing_email_never_by_customer_id_0():
    page = [o for o in orders("orders_list_p1.json") if o.id in (96, 92)]
    plan = plan_customers(page, Directory(links={}))
    assert len(persons(plan)) == 2
    assert plan.links == () and plan.club_members == ()
    assert all(a.is_guest for a in plan.assignments)


def test_every_captured_order_gets_a_customer():
    page = captured_orders()
    plan = plan_customers(page, Directory())
    by_tag = {c.ref: c.values for c in plan.creates}
    for assignment in plan.assignments:
        assert by_tag[assignment.customer]["name"]
        assert by_tag[assignment.contact]["company_type"] == "person"
    # Each created partner is created after its parent, so one pass can create them all.
    seen = set()
    for creation in plan.creates:
        assert creation.values.get("parent_id") in seen | {None}
        seen.add(creation.ref)


# -- identity keys --------------------------------------------------------------------------------


def test_identity_key_phone_compares_national_and_international_forms():
    anna = KnownPartner(id=7, name="Anna Schmidt", phone="030 / 123 45 67", country_code="DE")
    page = [o for o in orders("orders_list_p1.json") if o.id == 87]  # billing phone +49 30 1234567
    plan = plan_customers(page, Directory(partners=(anna,)), IdentityKey.PHONE)
    assert plan.for_order(87).contact == 7
    assert directory_query(page, IdentityKey.PHONE).phones == {"+49301234567"}


def test_identity_key_phone_also_matches_the_mobile():
    anna = KnownPartner(id=7, name="Anna", mobile="+49 30 1234567", country_code="DE")
    page = [o for o in orders("orders_list_p1.json") if o.id == 87]
    assert plan_customers(page, Directory(partners=(anna,)), IdentityKey.PHONE).for_order(87).contact == 7


def test_identity_key_username_finds_the_account():
    anna = KnownPartner(id=7, name="Anna", email="another@example.de", usernames=("anna_schmidt",))
    anna_account = customer("customers_list_p1.json", 2)
    assert anna_account.username == "anna_schmidt"
    plan = plan_customers([anna_account], Directory(partners=(anna,)), IdentityKey.USERNAME)
    assert plan.for_customer(anna_account.id).contact == 7
    assert [(link.wc_customer_id, link.partner, link.username) for link in plan.links] == [(2, 7, "anna_schmidt")]
    assert directory_query([anna_account], IdentityKey.USERNAME).usernames == {"anna_schmidt"}


def test_identity_key_username_guests_fall_back_to_their_email():
    zahra = KnownPartner(id=8, name="زهرا احمدی", email="zahra.ahmadi@example.ir")
    page = [o for o in orders("orders_list_p1.json") if o.id == 96]
    assert plan_customers(page, Directory(partners=(zahra,)), IdentityKey.USERNAME).for_order(96).contact == 8


def test_buyer_without_email_is_found_by_name_and_address():
    nameless = order("orders_list_p1.json", 92, billing={"email": "", "phone": ""}, shipping={"phone": ""})
    first = plan_customers([nameless], Directory())
    [person] = persons(first)
    known = KnownPartner(id=9, **{k: person.values.get(k) for k in (
        "name", "street", "street2", "city", "zip", "state_code", "country_code")})
    again = plan_customers([nameless], Directory(partners=(known,)))
    assert again.for_order(nameless.id).contact == 9
    assert directory_query([nameless]).names == {person.values["name"]}


def test_a_record_without_any_name_still_gets_a_named_partner():
    empty = {key: "" for key in ("first_name", "last_name", "company", "address_1", "address_2", "city",
                                 "state", "postcode", "country", "email", "phone")}
    guest = order("orders_list_p1.json", 92, billing=empty, shipping=empty)
    registered = order("orders_list_p1.json", 92, id=999, customer_id=77, billing=empty, shipping=empty)
    plan = plan_customers([guest, registered], Directory())
    assert created(plan, plan.for_order(guest.id).contact)["name"] == f"Guest (order {guest.id})"
    assert created(plan, plan.for_order(999).contact)["name"] == "Customer 77"
    assert plan.for_order(guest.id).invoice == plan.for_order(guest.id).customer


def test_normalised_identity_keys():
    assert normalize_email("  Anna.Schmidt@Example.DE ") == "anna.schmidt@example.de"
    assert normalize_email("   ") is None
    assert normalize_username(" anna_schmidt ") == "anna_schmidt"
    assert normalize_username("Anna_Schmidt") == "Anna_Schmidt"  # usernames as they are
    assert normalize_phone("+49 (30) 123-4567") == "+49301234567"
    assert normalize_phone("0049 30 1234567") == "+49301234567"
    assert normalize_phone("030 1234567", "DE") == "+49301234567"
    assert normalize_phone("8 (495) 123-45-67", "RU") == normalize_phone("+7 495 123-45-67") == "+74951234567"
    assert normalize_phone("06 6982 1234", "IT") == "+390669821234"  # Italy keeps its leading 0
    assert normalize_phone("(415) 555-0199", "US") == normalize_phone("1 415 555 0199", "US") == "+14155550199"
    assert normalize_phone("021 8888 1234", "IR") == "+982188881234"
    assert normalize_phone("30 1234567", "DE") == "301234567"  # no trunk prefix: cannot tell
    assert normalize_phone("555 1234", "XX") == "5551234"
    assert normalize_phone("n/a") is None
    assert normalize_vat(" de 811.908-013 ") == "DE811908013"
    # base_vat stores NL numbers zero-padded: still the same company.
    assert normalize_vat("NL000811907985") == normalize_vat("NL811907985") == "NL811907985"
    assert normalize_vat("BE0123456789") == normalize_vat("BE123456789")
    assert normalize_vat("7701234567") == "7701234567"
    assert normalize_vat("") is None
    assert postcode_key("1015 CS") == postcode_key("1015cs")
    assert text_key("  Königsallee\u00a0 60 ") == "königsallee 60"


def test_company_name_key_forgives_punctuation_but_not_other_companies():
    assert company_name_key("ACME Corp.") == company_name_key("acme  corp")
    assert company_name_key("De Vries Kantoorinrichting B.V.") == company_name_key("De Vries Kantoorinrichting BV")
    assert company_name_key("Müller Bürotechnik GmbH.") == company_name_key("MÜLLER Bürotechnik GmbH")
    assert company_name_key("ООО «Север»") == company_name_key('ООО "Север"')
    assert company_name_key("شركت پارس تجارت") == company_name_key("شرکت پارس تجارت")  # Arabic/Persian kaf
    assert company_name_key("Fischer Logistik AG") != company_name_key("Fischer Logistik GmbH")
    assert company_name_key("Schulz & Partner") != company_name_key("Schulz Partner")
    assert company_name_key("Becker IT-Service e.K.") != company_name_key("Becker IT Service e.K.")
    assert company_name_key(" ") is None


# -- companies ------------------------------------------------------------------------------------


def test_billing_company_makes_a_corporate_customer_with_company_and_contact_person():
    b2b = order("order_single_b2b_coupon.json")
    plan = plan_customers([b2b], Directory())
    assignment = plan.for_order(b2b.id)
    company, contact = created(plan, assignment.customer), created(plan, assignment.contact)
    assert company["name"] == "Müller Bürotechnik GmbH"
    assert company["is_company"] is True and company["company_type"] == "company"
    assert company["vat"] == b2b.vat_id
    assert contact["parent_id"] == assignment.customer
    assert contact["name"] == "Thomas Müller" and contact["is_company"] is False
    assert "email" not in company  # the billing email is the person's


def test_company_is_found_by_vat():
    renamed = KnownPartner(id=10, name="Fischer Logistik", is_company=True, vat="DE 811 908 013")
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    plan = plan_customers(page, Directory(partners=(renamed,)))
    assert plan.for_order(90).customer == 10
    assert companies(plan) == []
    assert created(plan, plan.for_order(90).contact)["parent_id"] == 10  # the missing contact person is created
    # An order's VAT number fills a missing one but renames nothing: names come from the account.
    master = plan_customers(page, Directory(partners=(renamed,)), update_existing=True)
    assert master.updates == ()


def test_company_is_found_by_normalised_name_without_vat():
    known = KnownPartner(id=12, name="MÜLLER  Bürotechnik GmbH.", is_company=True, owned=True)
    account = customer("customer_single_b2b.json")
    plan = plan_customers([account], Directory(partners=(known,)), update_existing=True)
    assert plan.for_customer(3).customer == 12
    [update] = plan.updates
    assert update.partner_id == 12
    assert update.values["vat"] == "DE811907981"  # the missing VAT is filled in
    assert "name" not in update.values  # same company name, another spelling: no churn
    assert update.values["zip"] == "80339"  # the account's address is master data


def test_company_with_the_same_name_but_another_vat_is_not_merged():
    other = KnownPartner(id=13, name="Fischer Logistik AG", is_company=True, vat="CH999999999")
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    plan = plan_customers(page, Directory(partners=(other,)))
    assert plan.for_order(90).customer != 13
    assert [c.values["name"] for c in companies(plan)] == ["Fischer Logistik AG"]


def test_the_captured_store_has_twelve_companies():
    # The store holds one company under several VAT numbers (each order carries its own VAT meta):
    # a namesake in the same country is the same company.
    plan = plan_customers(captured_orders(), Directory())
    assert len(companies(plan)) == 12


def test_an_orders_stale_vat_does_not_pull_it_into_another_company():
    # The store keeps an order's VAT meta when its billing company is changed (order 75: Fischer's
    # VAT DE811907998 stays on the Spedition order), so VAT alone must not merge two named companies.
    fischer = KnownPartner(id=10, name="Fischer Logistik AG", is_company=True, vat="DE811907998", country_code="DE")
    after = order("more/customer_change/b1_order75_after_get.json")
    plan = plan_customers([after], Directory(partners=(fischer,)))
    assert [c.values["name"] for c in companies(plan)] == ["Spedition Fischer Süd GmbH & Co. KG"]
    # Captured too: order 58 moved to "Neue Firma GmbH" with the VAT number of Müller's account.
    page = [customer("customer_single_b2b.json"), order("write_order_put_status_billing.json")]
    both = plan_customers(page, Directory())
    assert sorted(c.values["name"] for c in companies(both)) == ["Müller Bürotechnik GmbH", "Neue Firma GmbH"]


def test_a_company_found_by_vat_under_a_longer_name_is_the_same_company():
    short = KnownPartner(id=10, name="Fischer Logistik AG Bremen", is_company=True, vat="DE811908013")
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    assert plan_customers(page, Directory(partners=(short,))).for_order(90).customer == 10
    nameless = KnownPartner(id=11, name="", is_company=True, vat="DE811908013")
    assert plan_customers(page, Directory(partners=(nameless,))).for_order(90).customer != 11


def test_orders_of_one_new_company_create_it_once():
    eva = [o for o in captured_orders() if o.billing.email == "eva.schulz@example.de"]
    assert len(eva) == 3
    plan = plan_customers(eva, Directory())
    assert len(companies(plan)) == 1 and len(persons(plan)) == 1
    assert plan.club_members == ()  # Eva buys as a guest


def test_missing_contact_person_is_created_under_the_existing_company():
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    plan = plan_customers(page, Directory(partners=(FISCHER,)))
    [contact] = persons(plan)
    assert contact.values["parent_id"] == 10
    assert contact.values["zip"] == "28195"  # a contact person lives at the company's address
    assert plan.for_order(90).invoice == 10 and plan.for_order(90).delivery == 10


# -- addresses ------------------------------------------------------------------------------------


def test_addresses_identical_to_the_partner_are_not_created():
    page = orders("orders_list_p1.json")
    plan = plan_customers(page, Directory())
    assert [c for c in plan.creates if c.values["type"] in ("invoice", "delivery")] == []
    assert all(a.invoice == a.customer and a.delivery == a.customer for a in plan.assignments)


def test_a_different_shipping_address_becomes_a_delivery_child_of_the_company():
    account = customer("customer_single_b2b.json")  # ships to "Lager Süd", Augsburg
    plan = plan_customers([account], Directory())
    assignment = plan.for_customer(3)
    delivery = created(plan, assignment.delivery)
    assert delivery["type"] == "delivery" and delivery["parent_id"] == assignment.customer
    assert (delivery["street"], delivery["street2"], delivery["city"], delivery["zip"], delivery["state_code"]) == (
        "Lagerweg 7", "Tor 2", "Augsburg", "86150", "BY")
    assert delivery["name"] == "Wareneingang Lager Süd"
    assert assignment.invoice == assignment.customer


def test_repeat_orders_reuse_identical_addresses():
    warehouse = {"first_name": "Wareneingang", "last_name": "Lager Süd", "address_1": "Lagerweg 7", "address_2": "Tor 2",
                 "city": "Augsburg", "postcode": "86150"}
    b2b = order("order_single_b2b_coupon.json", shipping=warehouse)
    again = order("order_single_b2b_coupon.json", id=b2b.id + 1000,  # the same place, spelled otherwise
                  shipping={**warehouse, "address_1": "lagerweg  7", "postcode": "86 150", "city": "AUGSBURG"})
    plan = plan_customers([b2b, again], Directory())
    assert plan.for_order(b2b.id).delivery == plan.for_order(again.id).delivery
    assert len([c for c in plan.creates if c.values["type"] == "delivery"]) == 1
    # ... and a delivery address Odoo already has is reused too.
    first = created(plan, plan.for_order(b2b.id).delivery)
    company = created(plan, plan.for_order(b2b.id).customer)
    known = (KnownPartner(id=60, name=company["name"], is_company=True, vat=company["vat"], street=company["street"],
                          street2=company["street2"], city=company["city"], zip=company["zip"],
                          state_code=company["state_code"], country_code="DE"),
             KnownPartner(id=61, name="Thomas Müller", email="t.mueller@mueller-buerotechnik.example.de", parent_id=60),
             KnownPartner(id=62, name=first["name"], type="delivery", parent_id=60, street=first["street"],
                          street2=first["street2"], city=first["city"], zip=first["zip"],
                          state_code=first["state_code"], country_code="DE"))
    replay = plan_customers([b2b, again], Directory(partners=known))
    assert replay.creates == ()
    assert {replay.for_order(o.id).delivery for o in (b2b, again)} == {62}


def test_an_invoice_address_other_than_the_partners_own_becomes_an_invoice_child():
    moved = order("orders_list_p1.json", 92, billing={"address_1": "Neue Straße 1", "postcode": "99999"})
    person = KnownPartner(id=70, name=moved.billing.full_name, email=moved.billing.email, street="Alte Straße 2",
                          zip="11111", country_code=moved.billing.country)
    plan = plan_customers([moved], Directory(partners=(person,)), update_existing=True)
    assignment = plan.for_order(moved.id)
    assert assignment.customer == 70
    invoice = created(plan, assignment.invoice)
    assert invoice["type"] == "invoice" and invoice["parent_id"] == 70 and invoice["zip"] == "99999"
    # An order does not move the customer, even when the store is master.
    assert all("street" not in u.values for u in plan.updates)


def test_shipping_to_someone_else_at_the_same_address_is_a_delivery_child():
    # Captured: order 70 was switched to guest Katrin Neumann; its shipping still names Laura Hoffmann.
    switched = order("more/customer_change/c1_order70_after_get.json")
    plan = plan_customers([switched], Directory())
    assignment = plan.for_order(70)
    assert created(plan, assignment.delivery)["name"] == "Laura Hoffmann"
    assert assignment.invoice == assignment.customer


def test_postcode_goes_to_zip_and_the_billing_phone_is_kept():
    plan = plan_customers(orders("orders_list_p1.json"), Directory())
    values = created(plan, plan.for_order(92).contact)
    assert values["zip"] == "00-514" and values["phone"] == "+48 22 555 66 77"
    nl = created(plan, plan.for_order(77).customer) if any(a.record_id == 77 for a in plan.assignments) else None
    assert nl is None  # order 77 is on page 2
    dutch = plan_customers(orders("orders_list_p2_with_headers.json"), Directory())
    assert created(dutch, dutch.for_order(77).customer)["zip"] == "1015 CS"


def test_german_state_codes_are_odoos():
    plan = plan_customers(orders("orders_list_p1.json"), Directory())
    assert created(plan, plan.for_order(90).customer)["state_code"] == "HB"  # the store says DE-HB


def test_russian_and_persian_names_stay_intact():
    russian, persian = customer("customer_single_russian.json"), customer("customer_single_persian_b2b.json")
    plan = plan_customers([russian, persian], Directory())
    ivan = created(plan, plan.for_customer(russian.id).contact)
    assert (ivan["name"], ivan["city"], ivan["street"]) == ("Иван Петров", "Москва", "ул. Тверская, д. 7, кв. 15")
    company = created(plan, plan.for_customer(persian.id).customer)
    contact = created(plan, plan.for_customer(persian.id).contact)
    assert (company["name"], company["city"], company["vat"]) == ("شرکت پارس تجارت", "تهران", "IR811907990")
    assert contact["name"] == "مریم کریمی" and contact["parent_id"] == plan.for_customer(persian.id).customer


def test_an_account_email_with_an_empty_billing_email_is_fine():
    account = parse_customer(body("webhooks/trigger_customer_create.json"))
    assert account.billing.email == ""
    plan = plan_customers([account], Directory())
    contact = created(plan, plan.for_customer(17).contact)
    assert contact["email"] == "webhook.test.1795445547@example.de"
    assert contact["name"] == "Webhook Tester"
    assert created(plan, plan.for_customer(17).customer)["zip"] == "10115"


# -- links and club -------------------------------------------------------------------------------


def test_registered_buyers_join_the_club_guests_do_not():
    page = orders("orders_list_p1.json")
    plan = plan_customers(page, Directory())
    members = set(plan.club_members)
    for assignment in plan.assignments:
        assert (assignment.contact in members) is (not assignment.is_guest)
    assert len(plan.club_members) == len(members)  # each member once


def test_each_store_customer_is_linked_once():
    page = orders("orders_list_p1.json") + orders("orders_list_p2_with_headers.json")
    plan = plan_customers(page, Directory())
    ids = [link.wc_customer_id for link in plan.links]
    assert sorted(ids) == sorted({o.customer_id for o in page if o.customer_id})
    ivan = next(link for link in plan.links if link.wc_customer_id == 9)
    assert ivan.partner == plan.for_order(94).contact


def test_customers_list_pages_become_partners_with_links():
    page = [parse_customer(item) for name in ("customers_list_p1.json", "customers_list_p2.json") for item in body(name)]
    plan = plan_customers(page, Directory())
    assert len(plan.links) == len(page) == len(plan.club_members)
    assert all(link.username for link in plan.links)
    assert len(persons(plan)) == len(page)


# -- the store as master --------------------------------------------------------------------------


def test_without_update_existing_nothing_is_written():
    stale = KnownPartner(id=20, name="J. Weber", email="julia.weber@example.de")
    page = [o for o in orders("orders_list_p1.json") if o.id == 89]
    assert plan_customers(page, Directory(partners=(stale,))).updates == ()


def test_update_existing_writes_only_the_fields_that_changed():
    stale = KnownPartner(id=20, name="J. Weber", email="JULIA.WEBER@example.de", phone="+49 40 555123",
                         street="Am Markt 3", city="Hamburg", zip="20095", state_code="HH", country_code="DE",
                         owned=True)
    page = [o for o in orders("orders_list_p1.json") if o.id == 89]
    plan = plan_customers(page, Directory(partners=(stale,)), update_existing=True)
    assert [(u.partner_id, dict(u.values)) for u in plan.updates] == [(20, {"name": "Julia Weber"})]


def test_empty_store_values_never_erase_odoo_values():
    laura = KnownPartner(id=40, name="Laura Hoffmann", email="laura.hoffmann@example.de", phone="+49 341 1111",
                         street="Schillerplatz 5", city="Leipzig", zip="04109", state_code="SN", country_code="DE")
    page = [o for o in orders("orders_list_p2_with_headers.json") if o.id == 85]  # Laura's billing phone is empty
    assert plan_customers(page, Directory(partners=(laura,)), update_existing=True).updates == ()


def test_the_newest_record_of_a_page_wins():
    older = order("orders_list_p1.json", 92, date_modified_gmt="2020-01-01T00:00:00",
                  billing={"first_name": "Old", "phone": "+48 1 111"})
    newer = order("orders_list_p1.json", 92, id=93000, date_modified_gmt="2030-01-01T00:00:00",
                  billing={"first_name": "New", "phone": "+48 2 222"})
    plan = plan_customers([older, newer], Directory())
    [person] = persons(plan)
    assert person.values["name"].startswith("New") and person.values["phone"] == "+48 2 222"
    known = KnownPartner(id=5, name="Someone", email=older.billing.email, phone="+48 0 000", owned=True)
    master = plan_customers([older, newer], Directory(partners=(known,)), update_existing=True)
    assert dict(master.updates[0].values) == {"name": "New Nowak", "phone": "+48 2 222"}


def test_the_customer_account_names_its_company_when_the_store_is_master():
    known = KnownPartner(id=12, name="Müller Bürotechnik", is_company=True, vat="DE811907981", owned=True)
    account = customer("customer_single_b2b.json")
    plan = plan_customers([account], Directory(partners=(known,)), update_existing=True)
    assert plan.for_customer(3).customer == 12
    assert plan.updates[0].values["name"] == "Müller Bürotechnik GmbH"
    other = KnownPartner(id=13, name="Müller Büro GmbH", is_company=True, vat="DE811907981")
    assert plan_customers([account], Directory(partners=(other,))).for_customer(3).customer != 13


# -- changing the customer of an order (forward rules, mission part B) ----------------------------


def test_customer_changed_to_an_existing_customer_reuses_it():
    # Captured: order 74 moved from Julia Weber (customer 4) to Sophie Wagner (13), addresses copied.
    after = order("more/customer_change/a2_order74_after_get.json")
    plan = plan_customers([after], Directory(partners=(JULIA, SOPHIE), links={4: 20, 13: 30}))
    assert plan.creates == ()
    change = customer_change(plan.for_order(74), partner_id=20, invoice_id=20, delivery_id=20)
    assert change.customer_changed
    assert dict(change.values) == {"partner_id": 30, "partner_invoice_id": 30, "partner_shipping_id": 30}


def test_an_order_switched_to_another_account_does_not_rename_that_account():
    # The store's first step changes only customer_id: the billing still names Julia.
    switched = order("more/customer_change/a1_order74_after_get.json")
    plan = plan_customers([switched], Directory(partners=(JULIA, SOPHIE), links={4: 20, 13: 30}),
                          update_existing=True)
    assignment = plan.for_order(74)
    assert assignment.contact == 30
    assert plan.updates == ()
    assert created(plan, assignment.invoice)["name"] == "Julia Weber"  # Julia's address, as the store says


def test_customer_changed_to_a_missing_customer_creates_it():
    # Captured: order 70 of Laura Hoffmann became a guest order of Katrin Neumann.
    before, after = order("more/customer_change/c0_order70_before_get.json"), order(
        "more/customer_change/c1_order70_after_get.json")
    directory = Directory(partners=(LAURA,), links={15: 40})
    unchanged = plan_customers([before], directory)
    assert customer_change(unchanged.for_order(70), 40, 40, 40) is None
    plan = plan_customers([after], directory)
    [katrin] = persons(plan)
    assert katrin.values["email"] == "katrin.neumann@example.de"
    change = customer_change(plan.for_order(70), 40, 40, 40)
    assert change.values["partner_id"] == katrin.ref
    assert plan.links == () and plan.club_members == ()  # now a guest order


def test_customer_changed_to_a_missing_company_creates_company_and_contact():
    # Captured: order 75's billing company changed from Fischer Logistik AG to Spedition Fischer Süd.
    before = order("more/customer_change/b0_order75_before_get.json")
    after = order("more/customer_change/b1_order75_after_get.json")
    directory = Directory(partners=(FISCHER, STEFAN), links={5: 11})
    assert customer_change(plan_customers([before], directory).for_order(75), 11, 10, 10) is None
    plan = plan_customers([after], directory)
    [company], [contact] = companies(plan), persons(plan)
    assert company.values["name"] == "Spedition Fischer Süd GmbH & Co. KG" and company.values["vat"] == "DE811907998"
    assert contact.values["parent_id"] == company.ref
    change = customer_change(plan.for_order(75), 11, 10, 10)
    assert dict(change.values) == {"partner_id": contact.ref, "partner_invoice_id": company.ref,
                                   "partner_shipping_id": company.ref}
    assert plan.links == ()  # the account keeps its link to its first contact


def test_customer_changed_to_an_existing_company_creates_nothing():
    after = order("more/customer_change/b1_order75_after_get.json")
    spedition = KnownPartner(id=80, name="Spedition Fischer Süd GmbH & Co. KG", is_company=True, vat="DE811907998",
                             street="Hafenweg 8", city="Bremen", zip="28195", state_code="HB", country_code="DE")
    stefan_there = KnownPartner(id=81, name="Stefan Fischer", email="einkauf@fischer-logistik.example.de",
                                parent_id=80)
    plan = plan_customers([after], Directory(partners=(FISCHER, STEFAN, spedition, stefan_there), links={5: 11}))
    assert plan.creates == ()
    change = customer_change(plan.for_order(75), 11, 10, 10)
    assert dict(change.values) == {"partner_id": 81, "partner_invoice_id": 80, "partner_shipping_id": 80}


def test_an_order_whose_partner_is_the_company_itself_keeps_its_customer():
    page = [o for o in orders("orders_list_p1.json") if o.id == 90]
    assignment = plan_customers(page, Directory(partners=(FISCHER, STEFAN))).for_order(90)
    assert customer_change(assignment, partner_id=10) is None
    assert dict(customer_change(assignment, partner_id=10, delivery_id=99).values) == {"partner_shipping_id": 10}


# -- the contract with the Odoo side --------------------------------------------------------------


def test_the_directory_must_hold_every_linked_partner():
    with pytest.raises(ValueError, match="linked partners"):
        Directory(partners=(JULIA,), links={4: 20, 13: 30})


def test_directory_query_names_what_to_look_up_in_bulk():
    page = orders("orders_list_p1.json")
    query = directory_query(page)
    assert query.wc_customer_ids == {o.customer_id for o in page if o.customer_id}
    assert "hanna.nowak@example.pl" in query.emails
    assert {"DE811908013", "RU811908018", "DE811908011"} <= query.vats
    assert {"Fischer Logistik AG", "fischer logistik ag", "ооо север"} <= query.company_names
    assert query.phones == frozenset() and query.usernames == frozenset() and query.names == frozenset()


def test_plan_lookup_of_a_record_not_in_the_page_fails_loudly():
    plan = plan_customers([], Directory())
    assert plan == CustomerPlan()
    with pytest.raises(KeyError):
        plan.for_order(1)
    with pytest.raises(KeyError):
        plan.for_customer(1)


def test_new_partners_are_referenced_by_tag():
    plan = plan_customers([order("order_single_b2b_coupon.json")], Directory())
    assert [c.ref for c in plan.creates] == [NewPartner(f"new-{i}") for i in range(1, len(plan.creates) + 1)]


# -- shipping.company (issue 7, section 5) ---------------------------------------------------------


def test_a_shipping_company_other_than_the_customers_stays_on_the_delivery_address():
    guest = order("order_single_guest.json", billing={"company": ""},
                  shipping={"company": "Kanzlei Nord GmbH", "address_1": "Hafenstraße 1", "postcode": "20457",
                            "city": "Hamburg", "state": "DE-HH"})
    plan = plan_customers([guest], Directory())
    delivery = created(plan, plan.for_order(guest.id).delivery)
    assert (delivery["type"], delivery["company_name"]) == ("delivery", "Kanzlei Nord GmbH")


def test_the_billing_company_on_the_shipping_address_is_the_customer_itself():
    b2b = order("order_single_b2b_coupon.json")  # ships to the company's own address, company spelled the same
    plan = plan_customers([b2b], Directory())
    assignment = plan.for_order(b2b.id)
    assert assignment.delivery == assignment.customer
    assert all("company_name" not in c.values for c in plan.creates)


def test_a_delivery_address_is_reused_only_for_the_same_shipping_company():
    shipping = {"company": "Kanzlei Nord GmbH", "address_1": "Hafenstraße 1", "postcode": "20457", "city": "Hamburg",
                "state": "DE-HH"}
    guest = order("order_single_guest.json", billing={"company": ""}, shipping=shipping)
    eva = KnownPartner(id=80, name="Eva Schulz", email="eva.schulz@example.de", street="Rathausplatz 9",
                       city="Nürnberg", zip="90403", state_code="BY", country_code="DE")
    kept = KnownPartner(id=81, name="Eva Schulz", type="delivery", parent_id=80, street="Hafenstraße 1",
                        city="Hamburg", zip="20457", state_code="HH", country_code="DE", company_name="Kanzlei Nord GmbH")
    plan = plan_customers([guest], Directory(partners=(eva, kept)))
    assert plan.for_order(guest.id).delivery == 81 and plan.creates == ()
    other = order("order_single_guest.json", billing={"company": ""}, shipping={**shipping, "company": "Reederei Süd"})
    plan = plan_customers([other], Directory(partners=(eva, kept)))
    assert created(plan, plan.for_order(other.id).delivery)["company_name"] == "Reederei Süd"
