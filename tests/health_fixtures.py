"""A generated store with orders in every status, imported into Odoo: the ground the trust tools check."""

from datetime import datetime

from ..wc_emulator.generator import generate_store
from .sync_fixtures import LISTED, SyncCase


class ImportedStoreCase(SyncCase):
    """``ORDERS`` generated orders keeping their generated statuses (paid, completed, refunded...), imported."""

    ORDERS = 14
    SEED = 7
    PAGE_SIZE = 100
    IMPORT = True

    def setUp(self):
        super().setUp()
        # SyncCase puts every order on hold; the trust tools need invoices, payments and refunds too.
        generated = generate_store(seed=self.SEED, orders=self.ORDERS)
        for order_id, order in generated.orders.items():
            self.emulated.data.orders[order_id]["status"] = order["status"]
        if self.IMPORT:
            self.sync(self.store._wc_import_history, None, None)
            self.assertFalse(self.failed_jobs)
        self.emulated.request_log.clear()

    def period(self):
        """The first and last day on which the store's orders were created."""
        days = sorted(datetime.fromisoformat(order["date_created_gmt"]).date()
                      for order in self.emulated.data.orders.values() if LISTED(order))
        return days[0], days[-1]

    def store_gets(self, path="/orders"):
        return sum(1 for entry in self.emulated.request_log
                   if entry.method == "GET" and entry.path.rstrip("/").endswith(path))
