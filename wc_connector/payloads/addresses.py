"""Billing and shipping addresses (orders and customers)."""

from dataclasses import dataclass

_ADDRESS_FIELDS = (
    "first_name", "last_name", "company", "address_1", "address_2",
    "city", "state", "postcode", "country", "email", "phone",
)


@dataclass(frozen=True, kw_only=True)
class Address:
    """A billing or shipping address as the store keeps it; every field is text, ``""`` when not filled.

    The store's shipping address has no ``email`` (it stays ``""``). The
    postcode is ``postcode`` (not ``zip``).
    """

    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""

    @property
    def full_name(self):
        """First and last name joined by a space (``""`` when both are empty)."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def company_name(self):
        """The company, or ``None`` when there is none: only then is the customer a company."""
        return self.company or None

    @property
    def street(self):
        """``address_1`` and ``address_2`` on one line."""
        return ", ".join(part for part in (self.address_1, self.address_2) if part)

    @property
    def is_empty(self):
        """True when not a single field is filled."""
        return not any(getattr(self, name) for name in _ADDRESS_FIELDS)


def parse_address(fields):
    """Read an address object; surrounding whitespace is dropped, missing keys are ``""``."""
    return Address(**{name: fields.text(name).strip() for name in _ADDRESS_FIELDS})
