"""Normalised keys: how two spellings of one email, phone, VAT number or company name compare equal.

Every function returns ``None`` for "no key" (missing or blank input), so a
caller never matches two partners on an empty value. The keys are for
comparing only; the values written to Odoo stay as the store sent them
(Russian and Persian names untouched).
"""

import re
import unicodedata
from enum import Enum


class IdentityKey(Enum):
    """What identifies a person in a store (a per-store setting, as the seed's vendor offers)."""

    EMAIL = "email"
    PHONE = "phone"
    USERNAME = "username"


#: International calling codes and national trunk prefixes, for comparing "030 1234567" with
#: "+49 30 1234567". Countries missing here are compared by their digits only.
_CALLING_CODES = {
    "AT": "43", "BE": "32", "BG": "359", "CH": "41", "CY": "357", "CZ": "420", "DE": "49",
    "DK": "45", "EE": "372", "ES": "34", "FI": "358", "FR": "33", "GB": "44", "GR": "30",
    "HR": "385", "HU": "36", "IE": "353", "IT": "39", "LI": "423", "LT": "370", "LU": "352",
    "LV": "371", "MT": "356", "NL": "31", "NO": "47", "PL": "48", "PT": "351", "RO": "40",
    "SE": "46", "SI": "386", "SK": "421", "TR": "90", "UA": "380", "BY": "375", "RU": "7",
    "KZ": "7", "IR": "98", "AE": "971", "SA": "966", "IL": "972", "EG": "20", "IN": "91",
    "CN": "86", "JP": "81", "KR": "82", "AU": "61", "NZ": "64", "ZA": "27", "BR": "55",
    "MX": "52", "AR": "54", "US": "1", "CA": "1", "AF": "93", "AZ": "994", "AM": "374",
    "GE": "995", "UZ": "998", "TJ": "992", "IQ": "964",
}
#: Trunk prefix dialled before a national number; "0" unless listed. ``""``: the leading digit
#: belongs to the number (Italy keeps its 0, Spain, Denmark... have none).
_TRUNK_PREFIXES = {
    "RU": "8", "KZ": "8", "BY": "8", "US": "1", "CA": "1",
    "IT": "", "ES": "", "DK": "", "NO": "", "PT": "", "GR": "", "LU": "", "MT": "", "CY": "",
    "LI": "", "EE": "", "LV": "",
}
#: Plain national numbers (no trunk prefix) of these lengths are complete national numbers.
_NATIONAL_LENGTHS = {"US": 10, "CA": 10}

# Quotes never tell two companies apart: «Север», "Север" and „Север“ are one name.
_QUOTES = "\"'«»„“”‚‘’`´"
# Arabic letters that Persian keyboards write differently (ي/ی, ك/ک); one company either way.
_PERSIAN_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"})
_ZERO_WIDTH = {"\u200c": " ", "\u200d": "", "\u200b": "", "\ufeff": ""}


def normalize_email(value):
    """Lower-case, stripped email; ``None`` when blank."""
    text = (value or "").strip().lower()
    return text or None


def normalize_username(value):
    """The store username as it is (WordPress logins are exact); ``None`` when blank."""
    text = (value or "").strip()
    return text or None


def normalize_phone(value, country_code=None):
    """An international phone key: ``+`` and digits (``"+49301234567"``); ``None`` without digits.

    ``+49 30 123``, ``0049 30 123`` and, with ``country_code`` ``"DE"``,
    ``030 123`` give the same key (Russian ``8 495 …`` likewise with ``"RU"``).
    A national number of an unknown country is kept as its digits only.
    """
    text = (value or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    country = (country_code or "").strip().upper()
    calling_code = _CALLING_CODES.get(country)
    if calling_code is None:
        return digits
    trunk = _TRUNK_PREFIXES.get(country, "0")
    if len(digits) == _NATIONAL_LENGTHS.get(country):
        return "+" + calling_code + digits
    if trunk and digits.startswith(trunk):
        return "+" + calling_code + digits[len(trunk):]
    if not trunk:
        return "+" + calling_code + digits
    return digits


def normalize_vat(value):
    """VAT number without spaces, dots or dashes, upper-case (``"de 811.908-013"`` → ``"DE811908013"``).

    Zeros right after the country prefix are padding (``"NL000811907985"``,
    as Odoo's ``base_vat`` stores ``"NL811907985"``; Belgium's old 9-digit
    numbers): they never tell two companies apart.
    """
    text = re.sub(r"[\s.\-/]", "", (value or "")).upper()
    text = re.sub(r"^([A-Z]{2})0+(?=[0-9A-Z])", r"\1", text)
    return text or None


def text_key(value):
    """Text compared the forgiving way: Unicode-normalised, case-folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", value or "").translate(_PERSIAN_LETTERS)
    for char, replacement in _ZERO_WIDTH.items():
        text = text.replace(char, replacement)
    return " ".join(text.casefold().split())


def company_name_key(name):
    """The key two spellings of one company name share; ``None`` when blank.

    Forgives case, spacing, quotes and punctuation around legal forms:
    ``"ACME Corp."`` = ``"acme corp"``, ``"De Vries B.V."`` = ``"De Vries BV"``,
    ``"ООО «Север»"`` = ``'ООО "Север"'``, ``"Müller GmbH"`` = ``"Müller GmbH."``.
    The words themselves, legal form included, must match: ``"Fischer AG"`` and
    ``"Fischer GmbH"`` stay two companies, as do ``"A & B"`` and ``"A B"``.
    """
    text = text_key(name)
    for quote in _QUOTES:
        text = text.replace(quote, " ")
    # Dots and commas only punctuate ("B.V.", "Corp.", "Müller, GmbH"); they never make another company.
    text = text.replace(".", "").replace(",", " ")
    text = " ".join(text.split())
    return text or None


def postcode_key(value):
    """Postcode compared without spaces and case (``"1015 CS"`` = ``"1015cs"``)."""
    return text_key(value).replace(" ", "")
