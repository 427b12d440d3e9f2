"""The dry run: what a sync of a date range would change, without writing anything.

It reads the store's orders modified in the range as the sync does (by id,
100 per GET), gathers what the import would look up — the existing sale
orders and where their accounting is, the customer directory for the
orders' identity keys, the store's tax links — in a fixed number of queries,
and hands it to :func:`..wc_connector.rules.dry_run.preview`, which runs the
import's own planners. It takes no lock, creates no partner, tax, product or
pricelist, and writes no row (a test compares PostgreSQL's per-table write
counters of the transaction before and after).
"""

from datetime import timedelta

from odoo import fields, models

from ..wc_connector.errors import PayloadError
from ..wc_connector.payloads import parse_order
from ..wc_connector.payloads.dates import as_utc
from ..wc_connector.rules.customers import directory_query
from ..wc_connector.rules.dry_run import ExistingOrder, preview
from ..wc_connector.rules.identity import IdentityKey
from ..wc_connector.rules.statuses import OdooOrderState
from .const import PER_PAGE
from .wc_error_text import error_text


class WcStore(models.Model):
    _inherit = "wc.store"

    def action_dry_run(self):
        """Open the dry run for the orders modified since the last sync (or the last 7 days)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        cursor = self.wc_orders_cursor
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dry run"),
            "res_model": "wc.dry.run.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_store_id": self.id,
                "default_date_from": cursor.date() if cursor else today - timedelta(days=6),
                "default_date_to": today,
            },
        }

    def _wc_dry_run(self, start, end):
        """``(DryRun, GETs)`` for the orders modified in ``[start, end)`` (aware datetimes or None)."""
        self.ensure_one()
        orders, failures, requests = [], {}, 0
        params = self._wc_listing_params("order", "sync_now", start, end)
        client = self._client()
        try:
            for page in client.iter_pages("orders", params, per_page=PER_PAGE):
                requests += 1
                for data in page.records:
                    try:
                        orders.append(parse_order(data))
                    except PayloadError as error:
                        failures[error.record_id if isinstance(error.record_id, int) else 0] = error_text(self.env, error)
        finally:
            client.close()
        # The import refuses an order in a currency Odoo cannot book; so does the preview, with the same reason.
        refused = []
        usable = [order for order, _data, _sale in
                  self._wc_without_unusable_currencies([(order, None, None) for order in orders], refused)]
        failures.update({wc_id: reason for wc_id, reason, _data in refused})
        key = IdentityKey(self.customer_identity_key)
        records = self._wc_without_unknown_states(usable)
        directory = self._wc_customer_directory(directory_query(records, key)) if records else None
        result = preview(
            records,
            self._wc_dry_run_existing([order.id for order in usable]),
            directory,
            key,
            update_existing=self.customer_master == "store",
            tax_map=self._wc_dry_run_tax_map(),
            price_digits=self.env["decimal.precision"].precision_get("Product Price"),
            status_settings=self._wc_status_settings(),
            failures=failures,
        )
        return result, requests

    def _wc_dry_run_existing(self, wc_ids):
        """``{store order id: ExistingOrder}`` of the sale orders of ``wc_ids`` (two queries)."""
        if not wc_ids:
            return {}
        sales = self.env["sale.order"]._wc_bound(self, wc_ids, ["wc_order_id", "name", "state", "wc_date_modified"])
        totals = {}
        for wc_id, move_type, amount in self.env["account.move"]._read_group(
                [("wc_store_id", "=", self.id), ("wc_order_id", "in", sales.mapped("wc_order_id")),
                 ("state", "=", "posted"), ("move_type", "in", ("out_invoice", "out_refund"))],
                ["wc_order_id", "move_type"], ["amount_total:sum"]):
            totals[(wc_id, move_type)] = amount
        existing = {}
        for sale in sales:
            invoiced = totals.get((sale.wc_order_id, "out_invoice"), 0.0)
            credited = totals.get((sale.wc_order_id, "out_refund"), 0.0)
            existing[sale.wc_order_id] = ExistingOrder(
                name=sale.name,
                date_modified=as_utc(sale.wc_date_modified),
                state=OdooOrderState(
                    state=sale.state,
                    invoiced=bool(invoiced),
                    credited=bool(credited) and sale.currency_id.compare_amounts(credited, invoiced) >= 0,
                ),
            )
        return existing

    def _wc_dry_run_tax_map(self):
        """``{price_include: {rate id: TaxSpec}}`` of the taxes linked now (the import may add siblings; this does not)."""
        Link = self.env["wc.tax.link"]
        tax_map = {True: {}, False: {}}
        for link in Link.search([("store_id", "=", self.id)]):
            tax_map[link.price_include][link.wc_rate_id] = Link._wc_spec(link)
        return tax_map
