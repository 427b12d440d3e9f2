"""Stock to the store: Odoo's free (or forecast) quantity written to every linked store item, in batches.

Triggers. A stock move done or cancelled (and, when the store says so, one
reserved or unreserved) marks the links of its products "stock to push"
(``wc.product.link.wc_stock_dirty``) for every store whose stock flows from
Odoo, and queues **one** job per store with the identity key
``wc:<store>:push_stock`` a few seconds ahead (``wc_stock_delay``). Moves of
the next seconds find that job still waiting and queue nothing more: the job
collects every product marked by then. A move that lands while the job runs
queues the next job (the running one is no longer "waiting").

The job (:meth:`WcStore._wc_push_stock`) reads the marked links, computes
each quantity in bulk (``free_qty`` or ``virtual_available`` of the chosen
warehouses, less the safety buffer), sends only those that differ from the
last pushed quantity (``rules.stock``: every batch item makes the store bump
``date_modified`` and fire ``product.updated`` even when nothing changed),
≤ 100 per batch call and endpoint, and keeps per item what the store
answered: the quantity and ``date_modified`` (the echo mark, see
``rules.echo``), or the error in the sync log. A push writes nothing
that makes a stock move, so it never triggers another push.

The nightly reconcile (:meth:`WcStore._wc_push_stock_reconcile`) reads the
store's stock (``products`` page by page, and the variations of the variable
products Odoo has linked) and pushes every difference — what a lost push or a
hand edit in the store left — with its counts in a sync run.

The store's own sales lower its stock too; Odoo stays the master: the order
reaches Odoo as a delivery, and the push that follows sets the store to
Odoo's number.
"""

import logging
import math

from odoo import api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError

from ..wc_connector.errors import RateLimitedError, WooCommerceError, is_transient
from ..wc_connector.payloads.dates import to_naive, to_utc
from ..wc_connector.retry import RetryPolicy
from ..wc_connector.rules import directions
from ..wc_connector.rules import stock as rules
from .compat import Constraint
from .const import PER_PAGE
from .wc_sync_page import STOCK_CHANGES_PAGE

_logger = logging.getLogger(__name__)



class WcStore(models.Model):
    _inherit = "wc.store"

    wc_stock_warehouse_ids = fields.Many2many(
        "stock.warehouse", "wc_store_stock_warehouse_rel", "store_id", "warehouse_id",
        string="Stock from warehouses", check_company=True,
        help="Whose stock the store shows (their sum). Empty: the store's order warehouse, else the company's "
        "first warehouse.",
    )
    wc_stock_basis = fields.Selection(
        [(rules.FREE, "Free quantity on hand"), (rules.FORECAST, "Forecast quantity")],
        string="Quantity shown", default=rules.FREE, required=True,
        help="Free: on hand minus what is reserved for other orders. Forecast: what will be left once every "
        "planned receipt and delivery is done.",
    )
    wc_stock_buffer = fields.Float(
        string="Safety buffer", default=0.0,
        help="Units kept back: the store shows the quantity less this, never below 0.",
    )
    wc_stock_on_reservation = fields.Boolean(
        string="Push on reservations", default=True,
        help="Also push when a delivery reserves or releases stock (which changes the free quantity), not only "
        "when a move is done or cancelled.",
    )
    wc_stock_delay = fields.Integer(
        string="Collect changes for (s)", default=5,
        help="A push waits this many seconds after the first stock change, so that the changes of those "
        "seconds go to the store together.",
    )

    _wc_stock_buffer_not_negative = Constraint("CHECK(wc_stock_buffer >= 0)", "The safety buffer cannot be negative.")
    _wc_stock_delay_not_negative = Constraint("CHECK(wc_stock_delay >= 0)", "The delay cannot be negative.")

    # -- triggers ----------------------------------------------------------------------

    @api.model
    def _wc_stock_changed(self, products, reservation=False):
        """Products' stock changed: mark their links of stores that take Odoo's stock and queue each store's push.

        One search of the links and one write, whatever the number of
        products; one job per store (its identity key keeps it single).
        """
        products = products.filtered("is_storable")
        if not products:
            return
        page = self.env.context.get(STOCK_CHANGES_PAGE)
        if page:
            # A parallel page import: its run marks the links when it ends (see wc.sync.page._wc_note_stock).
            self.env["wc.sync.page"].sudo().browse(page)._wc_note_stock(products, reservation)
            return
        stores = self.sudo().search([("active", "=", True)]).filtered(
            lambda store: store._wc_allows_export(directions.STOCK)
            and (not reservation or store.wc_stock_on_reservation)
        )
        if not stores:
            return
        links = self.env["wc.product.link"].sudo().search(
            [("store_id", "in", stores.ids), ("product_id", "in", products.ids)]
        )
        if not links:
            return
        links.filtered(lambda link: not link.wc_stock_dirty).write({"wc_stock_dirty": True})
        for store in links.store_id:
            store._wc_enqueue_stock_push()

    def _wc_enqueue_stock_push(self):
        """Queue this store's stock push a few seconds ahead, unless one is already waiting."""
        self.ensure_one()
        return self.sudo().with_delay(
            channel=self._wc_channel(),
            identity_key=f"wc:{self.id}:push_stock",
            eta=max(0, self.wc_stock_delay),
            description=self.env._("%(store)s: push stock to the store", store=self.name),
        )._wc_push_stock()

    @api.model
    def _cron_wc_stock_reconcile(self):
        """Nightly: queue a stock reconcile for every active store whose stock flows from Odoo."""
        for store in self.search([("active", "=", True)]):
            if store._wc_allows_export(directions.STOCK) and store.sudo().consumer_key:
                store._wc_enqueue_stock_reconcile()
        return True

    def _wc_enqueue_stock_reconcile(self):
        self.ensure_one()
        return self.sudo().with_delay(
            channel=self._wc_channel(),
            identity_key=f"wc:{self.id}:push_stock_reconcile",
            description=self.env._("%(store)s: compare the store's stock with Odoo's", store=self.name),
        )._wc_push_stock_reconcile()

    def action_wc_stock_reconcile(self):
        """"Reconcile stock now": compare the store's stock with Odoo's and fix every difference (as a job)."""
        self.env["wc.store"].check_access("write")
        for store in self.filtered("active"):
            if not store._wc_allows_export(directions.STOCK):
                raise UserError(self.env._("%s does not take its stock from Odoo (see What flows which way).",
                                           store.name))
            store._wc_enqueue_stock_reconcile()
        return True

    def _wc_retry_stock(self, payloads):
        """Sync log Retry: push the failed items again now (each payload names its store item)."""
        self.ensure_one()
        keys = {(payload.get("product_id"), payload.get("variation_id") or 0) for payload in payloads}
        links = self.env["wc.product.link"].sudo()._wc_bound(self, {key[0] for key in keys}).filtered(lambda link: (link.wc_product_id, link.wc_variation_id) in keys)
        links.write({"wc_stock_dirty": True, "wc_stock_pushed_at": False})
        self.env["wc.sync.log"].sudo()._wc_resolve(self, "stock", [key[1] or key[0] for key in keys])
        return self._wc_push_stock()

    # -- quantities ----------------------------------------------------------------------

    def _wc_stock_warehouses(self):
        self.ensure_one()
        return self.wc_stock_warehouse_ids or self.wc_warehouse_id or self.env["stock.warehouse"].sudo().search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _wc_stock_quantities(self, products):
        """``{product id: whole quantity the store shows}`` for ``products`` (one batched compute)."""
        self.ensure_one()
        warehouses = self._wc_stock_warehouses()
        field = "free_qty" if self.wc_stock_basis == rules.FREE else "virtual_available"
        products = products.sudo().with_company(self.company_id).with_context(warehouse_id=warehouses.ids)
        return {product.id: rules.store_quantity(product[field], self.wc_stock_buffer) for product in products}

    def _wc_stock_items(self, links, store_state=None):
        """The :class:`rules.stock.StockItem` of each storable link (``store_state``: what the store shows)."""
        links = links.filtered(lambda link: link.product_id.is_storable)
        quantities = self._wc_stock_quantities(links.product_id)
        items = {}
        for link in links:
            key = (link.wc_product_id, link.wc_variation_id)
            shown = (store_state or {}).get(key)
            items[key] = rules.StockItem(
                product_id=link.wc_product_id,
                variation_id=link.wc_variation_id,
                quantity=quantities[link.product_id.id],
                pushed=link.wc_stock_pushed if link.wc_stock_pushed_at else None,
                store_quantity=shown[0] if shown else None,
                store_managed=shown[1] if shown else False,
            )
        return items

    # -- the jobs ------------------------------------------------------------------------------

    def _wc_push_stock(self):
        """Job: push the stock of every link marked since the last push; return what happened."""
        self.ensure_one()
        store = self.sudo()
        if not store.active or not store._wc_allows_export(directions.STOCK):
            return "Stock does not flow to this store; nothing sent."
        links = self.env["wc.product.link"].sudo().search(
            [("store_id", "=", store.id), ("wc_stock_dirty", "=", True)]
        )
        if not links:
            return "No stock changes to push."
        # Taken now: a move landing while this job talks to the store marks them again for the next job.
        links.write({"wc_stock_dirty": False})
        items = store._wc_stock_items(links)
        to_send = rules.changed(items.values())
        run = store._wc_stock_run("push", len(items))
        counts = store._wc_send_stock(to_send, links, run)
        counts["unchanged"] = len(items) - len(to_send)
        run._wc_add(counts, pages=0, requests=counts.pop("requests"))
        run._wc_finish("done")
        return (f"{len(items)} products: {counts['updated']} pushed, {counts['unchanged']} unchanged, "
                f"{counts['failed']} failed.")

    def _wc_push_stock_reconcile(self):
        """Job: read the store's stock of every linked item and push each difference; counts in a sync run."""
        self.ensure_one()
        store = self.sudo()
        if not store.active or not store._wc_allows_export(directions.STOCK):
            return "Stock does not flow to this store; nothing compared."
        links = self.env["wc.product.link"].sudo().search([("store_id", "=", store.id)])
        links = links.filtered(lambda link: link.product_id.is_storable)
        run = store._wc_stock_run("stock_reconcile", len(links))
        shown, gets = store._wc_read_store_stock(links)
        items = store._wc_stock_items(links, shown)
        to_send = rules.differing(items.values())
        counts = store._wc_send_stock(to_send, links, run)
        counts["unchanged"] = len(items) - len(to_send)
        run._wc_add(counts, pages=gets, requests=gets + counts.pop("requests"))
        run._wc_finish("done")
        return (f"{len(items)} products compared: {counts['updated']} fixed, {counts['unchanged']} equal, "
                f"{counts['failed']} failed.")

    def _wc_stock_run(self, kind, total):
        return self.env["wc.sync.run"].sudo().create(
            {"store_id": self.id, "entity": "stock", "direction": "export", "kind": kind, "total": total}
        )

    def _wc_read_store_stock(self, links):
        """``({(product_id, variation_id): (stock_quantity, manage_stock)}, GETs)`` for the linked items.

        One listing of ``products`` (100 per page) and one of the variations
        of each variable product that has linked variations.
        """
        shown, gets = {}, 0
        parents = sorted({link.wc_product_id for link in links if link.wc_variation_id})
        client = self._client(retry=RetryPolicy(attempts=1))
        try:
            for endpoint in ["products"] + [f"products/{parent}/variations" for parent in parents]:
                parent = int(endpoint.split("/")[1]) if "/" in endpoint else 0
                for page in client.iter_pages(endpoint, {"orderby": "id", "order": "asc"}, per_page=PER_PAGE):
                    gets += 1
                    for record in page.records:
                        if not isinstance(record, dict) or not isinstance(record.get("id"), int):
                            continue
                        key = (parent, record["id"]) if parent else (record["id"], 0)
                        shown[key] = rules.shown_stock(record)
        except WooCommerceError as error:
            raise _job_error(error) from None
        finally:
            client.close()
        return shown, gets

    def _wc_send_stock(self, items, links, run):
        """Send ``items`` in batches; record each answer on its link, each failure in the sync log.

        Returns ``{"updated", "failed", "requests"}``.
        """
        counts = {"updated": 0, "failed": 0, "requests": 0}
        if not items:
            return counts
        by_key = {(link.wc_product_id, link.wc_variation_id): link for link in links}
        failures, now = [], fields.Datetime.now()
        client = self._client(retry=RetryPolicy(attempts=1))
        try:
            for batch in rules.plan_batches(items):
                result = client.batch(batch.endpoint, update=list(batch.updates))
                counts["requests"] += 1
                for key, item, answer in zip(batch.keys, batch.updates, result.items):
                    link = by_key[key]
                    if answer.ok:
                        record = answer.record if isinstance(answer.record, dict) else {}
                        link.write({
                            "wc_stock_pushed": item["stock_quantity"],
                            "wc_stock_pushed_at": now,
                            "wc_written_modified": _naive(record.get("date_modified_gmt")),
                            "wc_error": False,
                        })
                        counts["updated"] += 1
                        continue
                    if is_transient(answer.error) and not counts["updated"] and not failures:
                        # The store is down before anything went through: the whole push waits and tries again.
                        raise _job_error(answer.error)
                    reason = self.env._(
                        "Stock of %(product)s (store %(kind)s %(id)s) was not written: %(error)s",
                        product=link.product_id.display_name, kind="variation" if key[1] else "product",
                        id=key[1] or key[0], error=answer.error.message or answer.error.code,
                    )
                    link.write({"wc_error": reason, "wc_stock_dirty": is_transient(answer.error)})
                    failures.append(self.env["wc.sync.log"]._wc_failed(
                        self, "stock", key[1] or key[0], reason,
                        {"product_id": key[0], "variation_id": key[1], "update": item},
                    ))
                    counts["failed"] += 1
        finally:
            client.close()
        if failures:
            for values in failures:
                values["direction"] = "export"
            self.env["wc.sync.log"].sudo().create(failures)
        return counts


def _naive(text):
    """A store ``*_gmt`` date as Odoo keeps it (naive UTC), or False."""
    try:
        return to_naive(to_utc(text))
    except ValueError:
        return False


def _job_error(error):
    """A store error inside a job: transient ones make queue_job try again later."""
    if is_transient(error):
        seconds = error.retry_after if isinstance(error, RateLimitedError) else None
        return RetryableJobError(str(error), seconds=math.ceil(seconds) if seconds else None)
    return error

