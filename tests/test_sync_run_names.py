"""A sync run reads as what it is wherever it is shown (store form banner, lists, the sync log)."""

from datetime import datetime

from odoo.tests import tagged

from .common import WcStoreCase


@tagged("post_install", "-at_install")
class TestSyncRunNames(WcStoreCase):
    def test_a_run_is_named_by_store_entity_kind_and_start(self):
        store = self.create_store(name="Lab Shop")
        run = self.env["wc.sync.run"].create(
            {"store_id": store.id, "entity": "order", "kind": "sync_now", "date_start": datetime(2026, 11, 23, 14, 50, 7)}
        )
        # The user's timezone is UTC in tests: the start reads as stored.
        self.assertEqual(run.with_context(tz="UTC").display_name, "Lab Shop · Order · Sync now · 2026-11-23 14:50:07")
