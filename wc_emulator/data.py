"""The emulated store's records: plain WooCommerce-shaped JSON dicts.

`StoreData` is the one container shared by the server, the data generator
(`generator.py`) and the capture loader (`captures.py`). Records look exactly
like the REST API shows them (the captures in tests/fixtures/woocommerce are
the model), with these conventions:

- Every record type is a dict keyed by the record's integer id, except
  `refunds` and `notes`, which are keyed by the ORDER id and hold a list of
  refund / note dicts (newest first, as the store lists them).
- `variations` is keyed by variation id; each variation has `parent_id`.
- `_links` need not be stored: the server builds them for its own URL (any
  stored `_links` are ignored). URLs inside records that point at the
  captured store (`http://127.0.0.1:8080`) may stay; the server does not
  rewrite them.
- `webhooks[id]` holds the webhook as the API shows it plus an internal
  `"secret"` key that the API never returns.
- Dates come in pairs: `date_x` is store-local time (Europe/Berlin) without
  offset, `date_x_gmt` is UTC, both "YYYY-MM-DDTHH:MM:SS". `StoreClock`
  makes such pairs; filters and sorting use the `_gmt` value.
- Ids come from one sequence (`next_id()`), like WordPress posts: orders,
  products, variations, refunds, notes, coupons and webhooks draw from it;
  customers are users (`next_customer_id()`). Line item ids
  and meta ids come from `next_item_id()` / `next_meta_id()`.
- `settings` holds `{"general": [setting dicts as settings_general.json],
  "tax": [as settings/tax], "currency": {code, name, symbol}}`; `system_status` is the dict
  GET /system_status answers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover - Python < 3.9
    ZoneInfo = None

STORE_TIMEZONE = "Europe/Berlin"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _store_tz():
    if ZoneInfo is None:  # pragma: no cover
        return timezone(timedelta(hours=1))
    return ZoneInfo(STORE_TIMEZONE)


class StoreClock:
    """The store's clock: `now()` in UTC, and `date_*` / `date_*_gmt` pairs.

    `offset` shifts the clock (tests move time without sleeping); `frozen`,
    when set, is returned as now (an aware datetime).
    """

    def __init__(self, frozen=None):
        self.offset = timedelta(0)
        self.frozen = frozen

    def now(self):
        """The current UTC time, whole seconds (WordPress stores seconds)."""
        base = self.frozen if self.frozen is not None else datetime.now(timezone.utc)
        return (base + self.offset).astimezone(timezone.utc).replace(microsecond=0)

    def advance(self, seconds):
        """Move the clock forward by `seconds`."""
        self.offset += timedelta(seconds=seconds)

    @staticmethod
    def pair(moment):
        """(local, gmt) strings for an aware datetime, as the API shows them."""
        if moment is None:
            return None, None
        moment = moment.astimezone(timezone.utc).replace(microsecond=0)
        local = moment.astimezone(_store_tz())
        return local.strftime(DATE_FORMAT), moment.strftime(DATE_FORMAT)

    def stamp(self, record, name, moment=None):
        """Set record[name] and record[name + '_gmt'] to `moment` (default now)."""
        local, gmt = self.pair(moment if moment is not None else self.now())
        record[name] = local
        record[name + "_gmt"] = gmt
        return record


def parse_gmt(value):
    """Parse "YYYY-MM-DDTHH:MM:SS" (UTC, no offset) into an aware datetime."""
    if not value:
        return None
    return datetime.strptime(value[:19], DATE_FORMAT).replace(tzinfo=timezone.utc)


def local_to_gmt(value):
    """Parse a store-local "YYYY-MM-DDTHH:MM:SS" into an aware UTC datetime."""
    naive = datetime.strptime(value[:19], DATE_FORMAT)
    return naive.replace(tzinfo=_store_tz()).astimezone(timezone.utc)


@dataclass
class StoreData:
    """Everything the emulated store holds. See the module docstring."""

    products: dict = field(default_factory=dict)
    variations: dict = field(default_factory=dict)
    customers: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)  # order_id -> [refund, ...]
    notes: dict = field(default_factory=dict)  # order_id -> [note, ...]
    webhooks: dict = field(default_factory=dict)
    coupons: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)  # product categories (derived from products if empty)
    attributes: dict = field(default_factory=dict)  # global attributes pa_* (derived if empty)
    taxes: dict = field(default_factory=dict)
    tax_classes: list = field(default_factory=list)
    payment_gateways: list = field(default_factory=list)
    shipping_zones: dict = field(default_factory=dict)
    shipping_methods: dict = field(default_factory=dict)  # zone_id -> [method, ...]
    shipping_method_types: list = field(default_factory=list)  # GET /shipping_methods
    settings: dict = field(default_factory=dict)
    system_status: dict = field(default_factory=dict)
    clock: StoreClock = field(default_factory=StoreClock)
    id_sequence: int = 0
    item_sequence: int = 0
    meta_sequence: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()

    def __getstate__(self):
        # Copies (copy.deepcopy, pickle) get their own lock.
        state = dict(self.__dict__)
        state.pop("_lock", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _bump(self, name, floor):
        with self._lock:
            value = max(getattr(self, name), floor) + 1
            setattr(self, name, value)
            return value

    def next_id(self):
        """The next post id (one sequence shared by every record type)."""
        floor = max(self._all_ids(), default=0)
        return self._bump("id_sequence", floor)

    def next_customer_id(self):
        """The next user id (customers are WordPress users: their own sequence)."""
        return max(self.customers.keys(), default=1) + 1

    def next_item_id(self):
        """The next order item id (line, tax, shipping, fee, coupon lines)."""
        return self._bump("item_sequence", 0)

    def next_meta_id(self):
        """The next meta_data id."""
        return self._bump("meta_sequence", 0)

    def _all_ids(self):
        for table in (self.products, self.variations, self.orders, self.coupons,
                      self.webhooks):
            yield from table.keys()
        for listing in (self.refunds, self.notes):
            for records in listing.values():
                for record in records:
                    yield record.get("id", 0)

    def find_refund(self, refund_id):
        """(order_id, refund) for a refund id, or (None, None)."""
        for order_id, refunds in self.refunds.items():
            for refund in refunds:
                if refund.get("id") == refund_id:
                    return order_id, refund
        return None, None
