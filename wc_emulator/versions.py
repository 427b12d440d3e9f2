"""What a WooCommerce 10.5 store shows differently from an 8.9 one (`EmulatedStore(..., wc_version="10.5")`).

From the WooCommerce 10.5.0 captures (tests/fixtures/woocommerce/wc10/, its
README, COMPARE.txt and VALUEDIFF.txt), recorded with the same data as the
8.9.1 ones:

- per-rate taxes (`taxes[].total` / `subtotal` of item, shipping and fee
  lines, orders and refunds alike) are rounded to the store's decimals and
  printed with them ("2.40"), where 8.9.1 prints them unrounded ("2.4",
  "3.784034"); `dp=<n>` in the query rounds them to n decimals instead;
- new fields, none removed: `line_items[].global_unique_id`,
  `shipping_lines[].tax_status`, refunds' meta `_refund_type`
  (`partial`/`full`), products' `global_unique_id` and `brands`, variations'
  `global_unique_id` and `type: "variation"`;
- the version numbers: webhook `User-Agent`, `system_status`, new orders'
  `version`.

Headers, error bodies, paging and the webhook signature are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ITEM_LISTS = ("line_items", "shipping_lines", "fee_lines")


@dataclass(frozen=True)
class StoreVersion:
    """One WooCommerce release the emulator can behave as."""

    key: str  # what `wc_version=` takes: "8.9", "10.5"
    woocommerce: str  # the full version the store reports
    wordpress: str
    rounds_line_taxes: bool
    new_fields: bool

    @property
    def user_agent(self):
        """The User-Agent of the store's webhook deliveries."""
        return f"WooCommerce/{self.woocommerce} Hookshot (WordPress/{self.wordpress})"


VERSIONS = {
    "8.9": StoreVersion("8.9", "8.9.1", "6.5.3", rounds_line_taxes=False, new_fields=False),
    "10.5": StoreVersion("10.5", "10.5.0", "6.9.1", rounds_line_taxes=True, new_fields=True),
}
DEFAULT_VERSION = "8.9"


def store_version(key):
    """The :class:`StoreVersion` for "8.9" or "10.5" (also "8.9.1", "10.5.0")."""
    for version in VERSIONS.values():
        if key in (version.key, version.woocommerce):
            return version
    raise ValueError(f"unknown WooCommerce version {key!r}; the emulator knows {', '.join(VERSIONS)}")


def _rounded(value, decimals):
    """A per-rate tax as 10.x prints it: rounded half up to `decimals`, with all of them ("2.40")."""
    if value in ("", None):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return str(number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _round_line_taxes(record, decimals):
    for key in ITEM_LISTS:
        for line in record.get(key) or []:
            for tax in line.get("taxes") or []:
                for amount in ("total", "subtotal"):
                    if amount in tax:
                        tax[amount] = _rounded(tax[amount], decimals)


def _add_line_fields(record):
    for line in record.get("line_items") or []:
        line.setdefault("global_unique_id", "")
    for line in record.get("shipping_lines") or []:
        line.setdefault("tax_status", "taxable")


#: What 10.x adds to `system_status` (COMPARE.txt); the values are those of a plain 10.5.0 store.
SYSTEM_STATUS_ADDITIONS = {
    "environment": {"server_architecture": "Linux x86_64", "wp_environment_type": "production"},
    "theme": {"is_block_theme": False},
    "settings": {"enabled_features": ["analytics", "marketplace", "order_attribution", "site_visibility_badge",
                                      "remote_logging", "blueprint", "custom_order_tables"]},
}


def show_system_status(version, status):
    """Change `status` (a copy) in place: the version numbers, and the sections' keys 10.x added."""
    environment = status.setdefault("environment", {})
    environment["version"] = version.woocommerce
    environment["wp_version"] = version.wordpress
    if version.new_fields:
        for section, additions in SYSTEM_STATUS_ADDITIONS.items():
            for key, value in additions.items():
                status.setdefault(section, {}).setdefault(key, value)
    return status


def refund_type(order_total, refunds, refund_id):
    """"full" when the refunds up to `refund_id` (the order's refunds, any order) cover the order, else "partial"."""
    refunded = sum((Decimal(str(r.get("amount") or 0)) for r in refunds if r["id"] <= refund_id), Decimal(0))
    return "full" if refunded >= Decimal(str(order_total or 0)) else "partial"


def show(version, kind, shown, *, decimals=2, dp=None):
    """Change `shown` (a record as a response shows it, already a copy) in place into what `version` shows.

    `decimals` are the store's price decimals, `dp` the request's `dp`
    parameter (if any). A refund's `_refund_type` meta is stored on the
    refund itself (`EmulatedStore.present`), as the store does.
    """
    if version.rounds_line_taxes and kind in ("order", "refund"):
        places = decimals
        if dp not in (None, ""):
            try:
                places = max(0, int(dp))
            except ValueError:
                pass
        _round_line_taxes(shown, places)
    if not version.new_fields:
        return shown
    if kind in ("order", "refund"):
        _add_line_fields(shown)
    if kind in ("product", "variation"):
        shown.setdefault("global_unique_id", "")
    if kind == "product":
        shown.setdefault("brands", [])
    if kind == "variation":
        shown.setdefault("type", "variation")
    return shown
