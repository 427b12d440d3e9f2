"""Which customer: the one place that decides "existing or new partner" for store orders and customers.

The Odoo side looks up, in bulk for a page of orders or customers, the
partners that match the page's keys (:func:`directory_query` says which), and
hands them in as a :class:`Directory`. :func:`plan_customers` returns a
:class:`CustomerPlan`: the partners to create (in an order where parents come
first; new partners point at each other through :class:`NewPartner`
references), the partners to update, the store links and club members to add,
and for each record its customer, contact person, invoice and delivery
address. The Odoo side applies the plan; nothing here touches a database.

The rules, in the words of the mission:

* A person is found by the store's identity key (email by default, phone or
  username), normalised by :mod:`.identity`. A registered customer's store
  link wins over the key. Records without the key fall back to their email,
  then to name + address, never to ``customer_id`` 0.
* One individual per key (a top-level person), and within a company one
  contact person per key: the same person buying for two companies is a
  contact in each.
* ``billing.company`` makes the customer corporate: the company is found by
  VAT number and normalised name, by name alone (not a namesake abroad), or
  by VAT number alone when the names agree enough (see ``_Book._company``);
  whichever of company and contact person is missing is created.
* Billing and shipping become invoice/delivery children of the commercial
  partner (the company, or the person), reused when identical and not created
  when identical to the partner itself.
* Existing partners are updated only when the store is master
  (``update_existing``), only partners this store created or linked
  (``KnownPartner.owned``), only with non-empty values that differ, and only
  from data that describes them: contact fields from a record with the same
  identity, addresses and company names from the customer's account record
  (orders are transactions: a different billing address becomes an invoice
  address, it does not move the customer). An order's email is never written
  onto an existing partner: anyone can type any email into a checkout.
* Shop data never rewrites a person who logs into Odoo: a partner with a user
  (internal or portal, ``KnownPartner.has_user``) is never found by an
  identity key and never updated; only the store's own link leads to it.
* Within one page the newest record (by ``date_modified``) wins.
* Registered buyers (never guests) join the store's customer club.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType

from ..payloads import Order
from ..payloads.dates import is_newer
from .identity import (
    IdentityKey,
    company_name_key,
    normalize_email,
    normalize_phone,
    normalize_username,
    normalize_vat,
    postcode_key,
    text_key,
)

#: The fields of a partner's postal address, as plan values name them. ``state_code`` and
#: ``country_code`` are codes (``"HB"``, ``"DE"``): the Odoo side turns them into ``state_id``
#: and ``country_id`` before writing.
ADDRESS_FIELDS = ("street", "street2", "city", "zip", "state_code", "country_code")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class KnownPartner:
    """A partner the Odoo side found, as plain data (``res.partner`` field names, codes for state and country).

    ``usernames`` are the store usernames known for it (from its store links),
    used when the store identifies people by username. ``has_user``: the
    partner belongs to an Odoo user (internal or portal). ``owned``: this
    store created the partner or links one of its customer accounts to it —
    the only partners "store is master" may update.
    """

    id: int
    name: str = ""
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    vat: str | None = None
    is_company: bool = False
    parent_id: int | None = None
    type: str = "contact"
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    zip: str | None = None
    state_code: str | None = None
    country_code: str | None = None
    usernames: tuple = ()
    has_user: bool = False
    owned: bool = False
    #: The company an address is for when it is not the customer's own (a delivery's ``shipping.company``).
    company_name: str | None = None
    #: Already a member of this store's customer club (has its tag).
    in_club: bool = False


@dataclass(frozen=True)
class Directory:
    """What the Odoo side found for a page: partners and this store's links ``{wc customer id: partner id}``.

    ``partners`` must hold every partner matching the page's keys (see
    :func:`directory_query`), every linked partner, and the children
    (contacts, invoice and delivery addresses) of each company and person
    among them; a link to a partner not given raises ``ValueError``.
    """

    partners: tuple = ()
    links: dict = field(default_factory=dict)

    def __post_init__(self):
        known = {partner.id for partner in self.partners}
        missing = sorted(set(self.links.values()) - known)
        if missing:
            raise ValueError(f"the directory lacks the linked partners {missing}")


@dataclass(frozen=True)
class NewPartner:
    """A partner the plan creates; ``tag`` ties references between creations (``parent_id``) and results."""

    tag: str


@dataclass(frozen=True)
class PartnerCreate:
    """Create one partner. ``values`` use ``res.partner`` names; ``parent_id`` may be a :class:`NewPartner`."""

    ref: NewPartner
    values: MappingProxyType


@dataclass(frozen=True)
class PartnerUpdate:
    """Write ``values`` (only the fields that changed) on an existing partner."""

    partner_id: int
    values: MappingProxyType


@dataclass(frozen=True)
class StoreLink:
    """Link the store's customer ``wc_customer_id`` (and its ``username`` when known) to ``partner``."""

    wc_customer_id: int
    partner: object
    username: str | None = None


@dataclass(frozen=True)
class CustomerAssignment:
    """Who one record is about. Each reference is a partner id (``int``) or a :class:`NewPartner`.

    ``customer`` is the commercial partner (the company for a corporate
    customer, else the person), ``contact`` the person (a child of the
    company for a corporate customer), ``invoice``/``delivery`` the addresses
    (the customer itself when the address is the customer's own).
    """

    record_type: str
    record_id: int
    customer: object
    contact: object
    invoice: object
    delivery: object
    is_guest: bool

    def order_values(self):
        """The sale order's partner fields: the person who ordered (Odoo derives the company from them), the addresses."""
        return {"partner_id": self.contact, "partner_invoice_id": self.invoice, "partner_shipping_id": self.delivery}


@dataclass(frozen=True)
class CustomerPlan:
    """The decision for a page: creations (parents first), updates, links, club members, one assignment per record."""

    creates: tuple = ()
    updates: tuple = ()
    links: tuple = ()
    club_members: tuple = ()
    assignments: tuple = ()

    def for_order(self, order_id):
        """The assignment of the order ``order_id`` (``KeyError`` when it was not in the page)."""
        return self._find("order", order_id)

    def for_customer(self, customer_id):
        """The assignment of the store customer ``customer_id`` (``KeyError`` when it was not in the page)."""
        return self._find("customer", customer_id)

    def _find(self, record_type, record_id):
        for assignment in self.assignments:
            if assignment.record_type == record_type and assignment.record_id == record_id:
                return assignment
        raise KeyError(f"{record_type} {record_id} is not in this plan")


@dataclass(frozen=True)
class CustomerChange:
    """The sale order fields that change (``partner_id``, ``partner_invoice_id``, ``partner_shipping_id``)."""

    values: MappingProxyType

    @property
    def customer_changed(self):
        """True when the order goes to another customer, not just to other addresses."""
        return "partner_id" in self.values


@dataclass(frozen=True)
class DirectoryQuery:
    """What the Odoo side must look up for a page (all normalised, see :mod:`.identity`)."""

    wc_customer_ids: frozenset
    emails: frozenset
    phones: frozenset
    usernames: frozenset
    vats: frozenset
    company_names: frozenset
    #: Names of buyers with neither email nor the store's key: they are found by name and address.
    names: frozenset


# -- the public functions -------------------------------------------------------------------------


def directory_query(records, key=IdentityKey.EMAIL):
    """The keys of a page the Odoo side looks partners up by, in bulk.

    Company names are given as the store spells them and as
    :func:`.identity.company_name_key`; search them case-insensitively and let
    the plan compare the keys. Phones are international keys: compare them
    with the partners' phones normalised the same way.
    """
    buyers = [_Buyer.of(record) for record in records]
    return DirectoryQuery(
        wc_customer_ids=frozenset(b.wc_customer_id for b in buyers if b.wc_customer_id),
        emails=frozenset(filter(None, (normalize_email(b.email) for b in buyers))),
        phones=frozenset(filter(None, (normalize_phone(b.phone, b.billing.country) for b in buyers)))
        if key is IdentityKey.PHONE else frozenset(),
        usernames=frozenset(filter(None, (normalize_username(b.username) for b in buyers)))
        if key is IdentityKey.USERNAME else frozenset(),
        vats=frozenset(filter(None, (normalize_vat(b.vat) for b in buyers if b.company))),
        company_names=frozenset(name for b in buyers if b.company for name in (b.company, company_name_key(b.company))),
        names=frozenset(b.display_name for b in buyers if b.identity(key)[0] == "name_address"),
    )


def plan_customers(records, directory, key=IdentityKey.EMAIL, *, update_existing=False):
    """Decide the partners of a page of parsed orders and/or customers (see the module's rules).

    ``records``: :class:`~..payloads.Order` and :class:`~..payloads.Customer`
    objects; ``directory``: what the Odoo side found for them; ``key``: the
    store's identity key; ``update_existing``: whether the store is master for
    customer data. Returns a :class:`CustomerPlan` whose assignments follow
    the order of ``records``.
    """
    book = _Book(directory, key, update_existing)
    buyers = [_Buyer.of(record) for record in records]
    # Newest first, so that the newest record's values are the ones created or written.
    newest_first = sorted(range(len(buyers)), key=lambda i: buyers[i].modified or _EPOCH, reverse=True)
    assignments = {index: book.assign(buyers[index]) for index in newest_first}
    return CustomerPlan(
        creates=tuple(book.creates),
        updates=tuple(PartnerUpdate(pid, MappingProxyType(values)) for pid, values in book.updates.items()),
        links=tuple(book.new_links),
        club_members=tuple(book.club),
        assignments=tuple(assignments[index] for index in range(len(buyers))),
    )


def plan_writes(plan, directory, *, portal_access=False):
    """Whether applying ``plan`` writes anything, i.e. must hold the import locks of its records' keys.

    A plan that creates, updates and links nothing, and whose club members
    are members already (and, with portal access on, have their user or no
    email to invite), only reads: it needs no lock, because every partner it
    uses was committed by a transaction that held the locks. That is how the
    page jobs of one window run in parallel: the run's reader resolves each
    page's buyers first, so the import jobs find every buyer and lock nothing.
    """
    if plan.creates or plan.updates or plan.links:
        return True
    known = {partner.id: partner for partner in directory.partners}
    for member in plan.club_members:
        partner = known.get(member)
        if partner is None or not partner.in_club:
            return True
        if portal_access and partner.email and not partner.has_user:
            return True
    return False


def orders_to_prepare(orders, applied):
    """The orders of a page whose buyers and products the run's reader resolves before the page's import job.

    ``orders``: parsed :class:`~..payloads.Order` objects (a page may list
    one twice: the newest copy counts); ``applied``: ``{wc order id:
    date_modified}`` of the sale orders Odoo has. Exactly the orders the
    import will apply: those newer than what was applied (``is_newer``), so
    that an order the import skips never updates its buyer here either.
    """
    newest = {}
    for order in orders:
        kept = newest.get(order.id)
        if kept is None or is_newer(order.date_modified or order.date_created,
                                    kept.date_modified or kept.date_created):
            newest[order.id] = order
    return [order for order in newest.values() if is_newer(order.date_modified, applied.get(order.id))]


def identity_rule(record, directory, key=IdentityKey.EMAIL):
    """The rule that finds (or would create) the person of an order or customer, as :func:`plan_customers` applies it.

    ``"link"`` when the store customer is already linked to a partner, else
    the identity the buyer is known by: the store's key (``"email"``,
    ``"phone"``, ``"username"``), the email when that key is empty, else
    ``"name_address"``.
    """
    buyer = _Buyer.of(record)
    if buyer.wc_customer_id and buyer.wc_customer_id in directory.links:
        return "link"
    return buyer.identity(key)[0]


def customer_change(assignment, partner_id, invoice_id=None, delivery_id=None):
    """What changes on a sale order already in Odoo when its store order comes again (forward rules).

    ``partner_id``, ``invoice_id``, ``delivery_id``: the sale order's current
    partner fields; ``assignment``: the order's assignment in the new plan.
    The current partner may be the contact person or the company itself:
    either means the same customer. Returns ``None`` when nothing changes,
    else a :class:`CustomerChange` with only the fields to write.
    """
    target = assignment.order_values()
    values = {}
    if partner_id not in (assignment.contact, assignment.customer):
        values["partner_id"] = target["partner_id"]
    if invoice_id is not None and invoice_id != target["partner_invoice_id"]:
        values["partner_invoice_id"] = target["partner_invoice_id"]
    if delivery_id is not None and delivery_id != target["partner_shipping_id"]:
        values["partner_shipping_id"] = target["partner_shipping_id"]
    return CustomerChange(MappingProxyType(values)) if values else None


# -- reading a record -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Buyer:
    """What the rules need of an order or a customer account, read the same way for both."""

    record_type: str
    record_id: int
    wc_customer_id: int
    is_account: bool
    name: str
    email: str
    phone: str
    username: str
    company: str | None
    vat: str | None
    billing: object
    shipping: object
    modified: datetime | None

    @classmethod
    def of(cls, record):
        billing, shipping = record.billing, record.shipping
        if isinstance(record, Order):
            return cls(
                record_type="order", record_id=record.id, wc_customer_id=record.customer_id, is_account=False,
                name=billing.full_name or shipping.full_name, email=billing.email,
                phone=billing.phone or shipping.phone, username="", company=record.company,
                vat=record.vat_id, billing=billing, shipping=shipping, modified=record.date_modified,
            )
        return cls(
            record_type="customer", record_id=record.id, wc_customer_id=record.id, is_account=True,
            name=record.full_name, email=record.email or billing.email, phone=billing.phone or shipping.phone,
            username=record.username, company=record.company, vat=record.vat_id,
            billing=billing, shipping=shipping, modified=record.date_modified,
        )

    @property
    def display_name(self):
        """The person's name, else whatever names them (a partner always needs a name)."""
        named = self.name or self.username or self.email or self.phone
        if named:
            return named
        if self.wc_customer_id:
            return f"Customer {self.wc_customer_id}"
        return f"Guest (order {self.record_id})"

    def identity(self, key):
        """The one key this buyer is identified by: the store's key, else the email, else name + address."""
        if key is IdentityKey.PHONE:
            value = normalize_phone(self.phone, self.billing.country)
        elif key is IdentityKey.USERNAME:
            value = normalize_username(self.username)
        else:
            value = normalize_email(self.email)
        if value:
            return (key.value, value)
        email = normalize_email(self.email)
        if email:
            return ("email", email)
        return ("name_address", (text_key(self.display_name), _address_key(_address_values(self.billing))))


def _state_code(state, country):
    """The store's state as Odoo's code: WooCommerce writes German states as ``DE-HB``, Odoo as ``HB``."""
    code, country = state.strip().upper(), country.strip().upper()
    if country and code.startswith(country + "-"):
        return code[len(country) + 1:]
    return code


def _address_values(address):
    """A store address as plan values (only its postal part)."""
    return {
        "street": address.address_1,
        "street2": address.address_2,
        "city": address.city,
        "zip": address.postcode,
        "state_code": _state_code(address.state, address.country),
        "country_code": address.country.strip().upper(),
    }


def _has_address(address):
    """Whether a store address says where (a country alone does not)."""
    return any((address.address_1, address.address_2, address.city, address.postcode))


def _address_key(values):
    return (
        text_key(values.get("street")),
        text_key(values.get("street2")),
        text_key(values.get("city")),
        postcode_key(values.get("zip")),
        (values.get("state_code") or "").upper(),
        (values.get("country_code") or "").upper(),
    )


def _vat_country(vat, country):
    """The country a VAT number belongs to: its prefix ("DE811908013"), else the partner's country; ``None`` if unknown."""
    if vat and vat[:2].isalpha():
        return "GR" if vat[:2] == "EL" else vat[:2]  # Greek VAT numbers start with EL
    return (country or "").upper() or None


def _begins(name_key, other_key):
    """Whether one company name is the other's first words ("fischer logistik" / "fischer logistik ag")."""
    if not name_key or not other_key:
        return False
    shorter, longer = sorted((name_key.split(), other_key.split()), key=len)
    return longer[:len(shorter)] == shorter


def _same_value(field_name, old, new):
    """Whether writing ``new`` over ``old`` would change nothing that matters."""
    if field_name == "email":
        return normalize_email(old) == normalize_email(new)
    if field_name == "vat":
        return normalize_vat(old) == normalize_vat(new)
    return (old or "").strip() == (new or "").strip()


# -- the working copy of the directory --------------------------------------------------------------


class _Book:
    """Every partner known or planned during one plan, with the indexes to find them again."""

    def __init__(self, directory, key, update_existing):
        self.key = key
        self.update_existing = update_existing
        self.partners = {}          # ref -> values (res.partner names; parent_id is a ref)
        self.usernames = {}         # ref -> set of usernames
        self.by_identity = {}       # (kind, value) -> [ref]
        self.companies_by_vat = {}  # normalised VAT -> [ref]
        self.companies_by_name = {}  # company name key -> [ref]
        self.children = {}          # parent ref -> [ref]
        self.links = dict(directory.links)
        self.creates, self.updates, self.new_links, self.club = [], {}, [], []
        self._written = {}          # ref -> fields this plan already decided (the newest record's)
        # Users' partners are nobody's to find or rewrite; the store may update only what it owns.
        self.users = {partner.id for partner in directory.partners if partner.has_user}
        self.owned = {partner.id for partner in directory.partners if partner.owned and not partner.has_user}
        for partner in sorted(directory.partners, key=lambda p: p.id):
            values = {
                "name": partner.name or "", "email": partner.email or "", "phone": partner.phone or "",
                "mobile": partner.mobile or "", "vat": partner.vat or "", "is_company": partner.is_company,
                "parent_id": partner.parent_id, "type": partner.type or "contact",
                "company_name": partner.company_name or "",
            }
            values.update({name: getattr(partner, name) or "" for name in ADDRESS_FIELDS})
            self._add(partner.id, values, set(partner.usernames))

    # -- indexes ------------------------------------------------------------------------------

    def _add(self, ref, values, usernames=()):
        self.partners[ref] = values
        self.usernames[ref] = set(usernames)
        if values.get("parent_id") is not None:
            self.children.setdefault(values["parent_id"], []).append(ref)
        self._index(ref)

    def _index(self, ref):
        """(Re-)index a partner under its current keys; lookups re-check, so stale entries do no harm."""
        values = self.partners[ref]
        if values["is_company"]:
            for bucket, value in ((self.companies_by_vat, normalize_vat(values["vat"])),
                                  (self.companies_by_name, company_name_key(values["name"]))):
                if value and ref not in bucket.setdefault(value, []):
                    bucket[value].append(ref)
            return
        if ref in self.users:
            return  # never found by an identity key (a guest typing an employee's phone is not the employee)
        for identity in self._identities(ref):
            refs = self.by_identity.setdefault(identity, [])
            if ref not in refs:
                refs.append(ref)

    def _identities(self, ref):
        values = self.partners[ref]
        found = {("email", normalize_email(values["email"]))}
        for number in (values["phone"], values.get("mobile")):
            found.add(("phone", normalize_phone(number, values["country_code"])))
        found.update(("username", normalize_username(name)) for name in self.usernames[ref])
        found.add(("name_address", (text_key(values["name"]), _address_key(values))))
        return {identity for identity in found if identity[1]}

    # -- creating and updating ----------------------------------------------------------------

    def _create(self, values, usernames=()):
        ref = NewPartner(f"new-{len(self.creates) + 1}")
        written = {name: value for name, value in values.items() if value not in (None, "")}
        self.creates.append(PartnerCreate(ref, MappingProxyType(written)))
        full = {"name": "", "email": "", "phone": "", "mobile": "", "vat": "", "is_company": False,
                "parent_id": None, "type": "contact", **{name: "" for name in ADDRESS_FIELDS}}
        full.update({name: value for name, value in values.items() if name != "company_type"})
        self._add(ref, full, usernames)
        return ref

    def _update(self, ref, values):
        """Plan writing the non-empty ``values`` that differ on an existing partner this store owns (store is master)."""
        if not self.update_existing or isinstance(ref, NewPartner):
            return  # a partner this plan creates already has the newest record's values
        if ref not in self.owned:
            return  # another store's, Odoo's own, or a user's partner
        current, written = self.partners[ref], self._written.setdefault(ref, set())
        changed = {
            name: value for name, value in values.items()
            if value and name not in written and not _same_value(name, current.get(name), value)
        }
        written.update(name for name, value in values.items() if value)
        if changed:
            self.updates.setdefault(ref, {}).update(changed)
            current.update(changed)
            self._index(ref)

    # -- the decisions ------------------------------------------------------------------------

    def assign(self, buyer):
        """Resolve one record: company, person, addresses, link and club membership."""
        company = self._company(buyer) if buyer.company else None
        person = self._person(buyer, company)
        customer = company if company is not None else person
        invoice = self._address(customer, person, "invoice", buyer.billing) or customer
        delivery = self._address(customer, person, "delivery", buyer.shipping) or invoice
        if buyer.wc_customer_id:
            if buyer.wc_customer_id not in self.links:
                self.links[buyer.wc_customer_id] = person
                self.new_links.append(StoreLink(buyer.wc_customer_id, person, normalize_username(buyer.username)))
            if person not in self.club:
                self.club.append(person)
        return CustomerAssignment(
            record_type=buyer.record_type, record_id=buyer.record_id, customer=customer, contact=person,
            invoice=invoice, delivery=delivery, is_guest=not buyer.wc_customer_id,
        )

    def _company(self, buyer):
        """The company partner of a corporate buyer, else a new one.

        In this order: the company with the buyer's VAT number and name; the
        company with the buyer's name, unless its VAT number is another
        country's (a namesake abroad); the company with the buyer's VAT number
        under another name only when one name is the other's beginning
        ("Fischer Logistik" / "Fischer Logistik AG"). A VAT number alone is not
        enough: the store keeps an order's VAT meta when its billing company is
        changed to another company (captured in ``more/customer_change/b1_*``;
        order 58 even carries the VAT number of another customer's account), and
        the captured store holds one company under several VAT numbers. When in
        doubt, a second company is better than two companies merged.
        """
        vat, name_key = normalize_vat(buyer.vat), company_name_key(buyer.company)
        country = _vat_country(vat, buyer.billing.country)
        by_vat = [ref for ref in self._companies(self.companies_by_vat.get(vat, ()))
                  if normalize_vat(self.partners[ref]["vat"]) == vat] if vat else []
        by_name = [ref for ref in self._companies(self.companies_by_name.get(name_key, ()))
                   if company_name_key(self.partners[ref]["name"]) == name_key]
        ref = next((r for r in by_vat if r in by_name), None)
        if ref is None:
            ref = next((r for r in by_name if not vat or _vat_country(
                normalize_vat(self.partners[r]["vat"]), self.partners[r]["country_code"]) in (None, country)), None)
        if ref is None:
            ref = next((r for r in by_vat if _begins(company_name_key(self.partners[r]["name"]), name_key)), None)
        if ref is None:
            return self._create({
                "name": buyer.company, "is_company": True, "company_type": "company", "type": "contact",
                "vat": buyer.vat, **_address_values(buyer.billing),
            })
        current = self.partners[ref]
        updates = {}
        if buyer.is_account or not current["vat"]:
            updates["vat"] = buyer.vat  # an order only fills a missing VAT number; the account's is master
        if buyer.is_account:
            updates["name"] = buyer.company if company_name_key(current["name"]) != name_key else None
            if _has_address(buyer.billing):
                updates.update(_address_values(buyer.billing))
        self._update(ref, updates)
        return ref

    def _companies(self, refs):
        """The top-level companies among ``refs``, oldest first."""
        return [ref for ref in refs if self.partners[ref]["is_company"] and self.partners[ref]["parent_id"] is None]

    def _person(self, buyer, company):
        """The person: the linked one when it fits, else the one with the buyer's key in the same place, else new."""
        identity = buyer.identity(self.key)
        linked = self.links.get(buyer.wc_customer_id) if buyer.wc_customer_id else None
        if linked is not None and self._is_person_in(linked, company):
            ref = linked
        else:
            ref = next((r for r in self.by_identity.get(identity, ())
                        if self._is_person_in(r, company) and identity in self._identities(r)), None)
        contact_values = {"name": buyer.name, "email": buyer.email, "phone": buyer.phone}
        # A contact person lives at the company's address (Odoo keeps them in sync); an individual at the billing one.
        address = {name: self.partners[company][name] for name in ADDRESS_FIELDS} if company is not None \
            else _address_values(buyer.billing)
        if ref is None:
            return self._create({
                "name": buyer.display_name, "is_company": False, "company_type": "person", "type": "contact",
                "parent_id": company, "email": buyer.email, "phone": buyer.phone, **address,
            }, usernames=filter(None, [normalize_username(buyer.username)]))
        if buyer.is_account or identity in self._identities(ref):
            # Only data about this very person updates them (an order switched to another
            # account still carries the previous buyer's billing contact).
            if not buyer.is_account:
                del contact_values["email"]  # typed at a checkout: proves nothing about the partner
            if buyer.is_account and company is None and _has_address(buyer.billing):
                contact_values.update(address)
            self._update(ref, contact_values)
        return ref

    def _is_person_in(self, ref, company):
        """Whether ``ref`` is a person in that place: a contact of ``company``, or a top-level individual."""
        values = self.partners[ref]
        return not values["is_company"] and values["type"] == "contact" and values["parent_id"] == company

    def _address(self, customer, person, address_type, address):
        """The invoice or delivery partner for a store address; ``None`` when the address is empty."""
        if not _has_address(address):
            return None
        values = _address_values(address)
        key, name = _address_key(values), text_key(address.full_name)
        if _address_key(self.partners[customer]) == key and name in (
                "", text_key(self.partners[customer]["name"]), text_key(self.partners[person]["name"])):
            return customer
        # Shipping elsewhere for a company other than the customer's own: the delivery address keeps that
        # company (the carrier needs it). At the customer's own address the customer is the address, as the
        # store keeps an order's shipping company when only its billing company is changed.
        company = address.company.strip() if address_type == "delivery" else ""
        if text_key(company) == text_key(self._company_name(customer)):
            company = ""
        for child in self.children.get(customer, ()):
            child_values = self.partners[child]
            if (child_values["type"] == address_type and _address_key(child_values) == key
                    and text_key(child_values["name"]) == name
                    and text_key(child_values.get("company_name")) == text_key(company)):
                return child
        return self._create({
            "name": address.full_name, "type": address_type, "parent_id": customer,
            "email": address.email, "phone": address.phone, "company_name": company, **values,
        })

    def _company_name(self, ref):
        """The company name a customer stands for: its own name when it is a company."""
        values = self.partners[ref]
        return values["name"] if values["is_company"] else values.get("company_name") or ""
