"""The store's captured orders, and a store set up to import them (for the order-import tests)."""

import json
from pathlib import Path

from ..wc_emulator import EmulatedStore
from ..wc_emulator.captures import in_version_set, load_captured_store
from .common import WcStoreCase

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "woocommerce"


def capture_body(relative_path):
    """The body of one capture file."""
    capture = json.loads((FIXTURES / relative_path).read_text())
    return capture["body"] if "body" in capture else capture.get("body_json")


def orders_in(body):
    """Every order object in a capture body (single records, lists, batch answers)."""
    if isinstance(body, list):
        for item in body:
            yield from orders_in(item)
    elif isinstance(body, dict):
        if "line_items" in body and "status" in body and "total" in body:
            yield body
        for key in ("create", "update"):
            if isinstance(body.get(key), list) and "id" not in body:
                yield from orders_in(body[key])


def order_body(relative_path, order_id=None):
    """One order object of a capture (the first, or the one with ``order_id``)."""
    return next(o for o in orders_in(capture_body(relative_path)) if order_id is None or o["id"] == order_id)


def captured_orders():
    """Every captured order, once per id: the version with the latest ``date_modified_gmt``."""
    latest = {}
    for path in sorted(FIXTURES.rglob("*.json")):
        if in_version_set(path, FIXTURES):
            continue  # the WooCommerce 10.5 captures of the same orders (wc10/)
        capture = json.loads(path.read_text())
        if not isinstance(capture, dict) or capture.get("status", 200) >= 400:
            continue
        body = capture["body"] if "body" in capture else capture.get("body_json")
        for order in orders_in(body):
            kept = latest.get(order["id"])
            if kept is None or (order.get("date_modified_gmt") or "") > (kept.get("date_modified_gmt") or ""):
                latest[order["id"]] = order
    return [latest[key] for key in sorted(latest)]


def serve_captured_store(test_class):
    """Serve the captured store over HTTP for ``test_class`` (stopped when the class is done)."""
    emulated = EmulatedStore(load_captured_store(FIXTURES))
    emulated.start()
    test_class.addClassCleanup(emulated.stop)
    return emulated


def connected_store_values(emulated, **values):
    """Values of a ``wc.store`` connected to ``emulated`` with its valid key."""
    return {
        "name": "Lab Shop",
        "url": emulated.url,
        "consumer_key": emulated.consumer_key,
        "consumer_secret": emulated.consumer_secret,
        **values,
    }


class OrderImportCase(WcStoreCase):
    """The captured store served over HTTP, connected and set up with "Set up from store"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulated = serve_captured_store(cls)
        cls.store = cls.env["wc.store"].create(connected_store_values(cls.emulated))
        cls.store.action_setup_from_store()
        # The store rounds tax per line; the company does too once its accountant says so (the store form's
        # button). Odoo 18 rounds per line by default, Odoo 19 globally.
        cls.store.action_wc_round_tax_per_line()

    def import_orders(self, *bodies, store=None):
        return (store or self.store)._wc_import_orders(list(bodies))

    def sale_of(self, wc_id, store=None):
        return self.env["sale.order"].search(
            [("wc_store_id", "=", (store or self.store).id), ("wc_order_id", "=", wc_id)]
        )
