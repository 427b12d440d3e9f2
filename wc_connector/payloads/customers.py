"""Customers: ``GET /customers``, ``/customers/<id>`` and ``customer.*`` webhook bodies.

Only registered customers exist here; guests live only in their orders
(``customer_id`` 0). A company is only ever ``billing.company``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .addresses import Address, parse_address
from .fields import Fields
from .meta import find_vat_id, split_meta


@dataclass(frozen=True, kw_only=True)
class Customer:
    """A registered store customer, typed and validated.

    ``email`` is the account email; ``billing.email`` may differ or be empty.
    """

    id: int
    email: str = ""
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    #: ``customer`` unless the account is a shop manager, administrator...
    role: str = ""
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    is_paying_customer: bool = False
    company: str | None = None
    vat_id: str | None = None
    date_created: datetime | None = None
    date_modified: datetime | None = None
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)

    @property
    def full_name(self):
        """The account's name, else the billing address's name, else ``""``."""
        own = " ".join(part for part in (self.first_name, self.last_name) if part)
        return own or self.billing.full_name


def parse_customer(data):
    """Parse one customer object from the store into a :class:`Customer`.

    Only ``id`` is required. An empty billing email is fine (the account
    email is what identifies the customer). Raises
    :class:`~..errors.PayloadError` naming the customer id and the field.
    """
    fields = Fields.of_record(data, "customer")
    meta, internal = split_meta(fields)
    billing = parse_address(fields.child("billing"))
    return Customer(
        id=fields.record_id,
        email=fields.text("email").strip(),
        username=fields.text("username"),
        first_name=fields.text("first_name").strip(),
        last_name=fields.text("last_name").strip(),
        role=fields.text("role"),
        billing=billing,
        shipping=parse_address(fields.child("shipping")),
        is_paying_customer=fields.flag("is_paying_customer"),
        company=billing.company_name,
        vat_id=find_vat_id(meta, internal),
        date_created=fields.date("date_created_gmt"),
        date_modified=fields.date("date_modified_gmt"),
        meta=meta,
        internal_meta=internal,
    )
