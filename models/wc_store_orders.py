"""A store's orders become sale orders: the store's order settings, "on connect" setup, and the import.

Reading order: :meth:`WcStore._wc_import_orders` takes one page of the
store's order objects and returns what happened to them. Per page it
parses every payload, locks the orders, finds their sale orders, customers,
products, taxes and delivery products **in bulk**, lets
:func:`..wc_connector.rules.lines.plan_lines` decide the lines (proven to add
up to the store's total in the core tests), creates the new sale orders in
one batch, updates changed ones in place, applies the status workflow
(:mod:`..wc_connector.rules.statuses`) — confirming, delivering and invoicing
the page's orders together — and the accounting hook (payments, refunds) per
order. An order that
cannot be imported (invalid payload, unknown product, unmapped tax) becomes a
failed sync-log entry with the reason and the payload; the rest of the page
goes on, and *Retry* on the entry imports it once the cause is fixed.
"""

import logging
from collections import Counter
from decimal import Decimal

from odoo import fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.fields import Command
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..wc_connector.errors import PayloadError
from ..wc_connector.payloads import parse_order
from ..wc_connector.payloads.dates import is_newer, to_naive
from ..wc_connector.payloads.money import round_money
from ..wc_connector.rules import statuses
from ..wc_connector.rules.lines import COUPON, NO_PRODUCT, PRODUCT, ROUNDING_DIFFERENCE, SHIPPING, plan_lines
from .compat import LINE_TAXES
from .const import MANAGER_GROUP
from .wc_access import check_wc_group
from .wc_error_text import error_text
from .wc_import_lock import advisory_lock_key

_logger = logging.getLogger(__name__)

#: The store settings that say whether its prices include tax (``GET /settings/tax``).
PRICES_INCLUDE_TAX_SETTING = "woocommerce_prices_include_tax"

#: Errors that are no order's fault: the whole job is retried later (a concurrent transaction, a store that is
#: down or busy right now), never written to the sync log as the order's failure.
RETRY_LATER = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, RetryableJobError)

#: Context for the sale orders the import writes: the chatter gets the import's own notes, not field tracking.
#: ``wc_import``: what the store did is never pushed back to it (``sale_order_push``).
IMPORT_CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True, "wc_import": True}


def product_key(line):
    """How a store line names its product: ``(product_id, variation_id)``, or its SKU when the store has no product."""
    return (line.product_id, line.variation_id) if line.product_id else line.sku


class WcStore(models.Model):
    _inherit = "wc.store"

    # -- settings: the "Orders" page of the store form ------------------------

    wc_order_sequence_id = fields.Many2one(
        "ir.sequence", string="Order numbering", copy=False, readonly=True, ondelete="restrict"
    )
    wc_order_prefix = fields.Char(
        string="Order number prefix",
        related="wc_order_sequence_id.prefix",
        readonly=False,
        help="The sale orders of this store are numbered <prefix><number>; change it freely.",
    )
    wc_team_id = fields.Many2one("crm.team", string="Sales team", check_company=True)
    wc_warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse", check_company=True)
    wc_pricelist_ids = fields.Many2many(
        "product.pricelist",
        "wc_store_pricelist_rel",
        "store_id",
        "pricelist_id",
        string="Pricelists",
        help="One per order currency; a missing one is found or created on the first order in that currency.",
    )
    wc_create_missing_products = fields.Boolean(
        string="Create missing products",
        default=True,
        help="Create an Odoo product for an order line whose store product Odoo does not know (neither "
        "linked nor by SKU). Off: such orders wait in the sync log with 'unknown product SKU'.",
    )
    wc_variations_as_products = fields.Boolean(
        string="Variations as separate products",
        help="Off: a store variation becomes a variant of its product's template. On: a product of its own.",
    )
    wc_fee_product_id = fields.Many2one(
        "product.product",
        string="Fee product",
        default=lambda self: self.env.ref("woocommerce_connector.product_wc_fee", raise_if_not_found=False),
    )
    wc_shipping_method_ids = fields.One2many("wc.shipping.method", "store_id", string="Shipping methods")
    wc_tax_link_ids = fields.One2many("wc.tax.link", "store_id", string="Tax rates")
    wc_status_ids = fields.One2many("wc.order.status", "store_id", string="Status mapping")
    wc_orders_arrive_as = fields.Selection(
        [(statuses.ARRIVE_AS_QUOTATION, "Quotation"), (statuses.ARRIVE_AS_INVOICE, "Invoice")],
        string="Orders arrive as",
        default=statuses.ARRIVE_AS_QUOTATION,
        required=True,
        help="Invoice: orders that would stay quotations or confirmed orders are invoiced right away (seed A.2).",
    )
    wc_prices_include_tax = fields.Boolean(
        string="Store prices include tax", readonly=True, help="Read from the store on setup."
    )
    wc_sync_log_count = fields.Integer(compute="_compute_wc_sync_log_count")

    def _compute_wc_sync_log_count(self):
        groups = self.env["wc.sync.log"]._read_group(
            [("store_id", "in", self.ids), ("state", "=", "failed")], ["store_id"], ["__count"]
        )
        counts = {store.id: count for store, count in groups}
        for store in self:
            store.wc_sync_log_count = counts.get(store.id, 0)

    def _wc_order_sequence(self):
        """The store's own order numbering (``WC<id>/00001``), created when missing."""
        for store in self.filtered(lambda s: not s.wc_order_sequence_id):
            store.sudo().wc_order_sequence_id = self.env["ir.sequence"].sudo().create(
                {
                    "name": self.env._("Orders of %s", store.name),
                    "code": f"wc.store.order.{store.id}",
                    "prefix": f"WC{store.id}/",
                    "padding": 5,
                    "company_id": store.company_id.id,
                }
            )
        return self.wc_order_sequence_id

    def action_open_wc_sync_log(self):
        """The store's failed sync-log entries."""
        self.ensure_one()
        # Not inline: Odoo 19's exporter takes the domain tuple after an inline _() for a term (its field name).
        name = self.env._("Sync log")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "wc.sync.log",
            "view_mode": "list,form",
            "domain": [("store_id", "=", self.id)],
            "context": {"search_default_failed": 1},
        }

    # -- "on connect" ------------------------------------------------------------

    def action_setup_from_store(self):
        """Create what the order sync needs from the store's own configuration; idempotent.

        Reads the store's tax setting and rates (paged) and creates the
        missing Odoo taxes, price-included when the store's prices include
        tax; creates a delivery product per shipping method; the order
        numbering. The company's tax rounding is left as it is: when it is
        not per line (what the store does), the store form says why it
        should be and offers to change it (``action_wc_round_tax_per_line``).
        """
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Set up from store"))
        for store in self:
            client = store._client()
            try:
                settings = client.get("settings/tax")
                include = any(
                    item.get("id") == PRICES_INCLUDE_TAX_SETTING and item.get("value") == "yes"
                    for item in (settings if isinstance(settings, list) else [])
                )
                rates = list(client.iter_records("taxes", {"per_page": 100}))
                methods = client.get("shipping_methods")
                gateways = client.get("payment_gateways")
            finally:
                client.close()
            store._wc_setup_orders(rates, include, methods if isinstance(methods, list) else [])
            store._wc_setup_gateways(gateways if isinstance(gateways, list) else [])
        return True

    def _wc_setup_orders(self, rates, prices_include_tax, shipping_methods=()):
        """The store-independent part of the setup (what the store's answers give): taxes, methods, numbering."""
        self.ensure_one()
        self.sudo().wc_prices_include_tax = prices_include_tax
        self.env["wc.tax.link"]._wc_setup_taxes(self, rates, prices_include_tax)
        self.env["wc.shipping.method"]._wc_setup(self, shipping_methods)
        self._wc_order_sequence()

    # -- the import ----------------------------------------------------------------

    def _wc_import_orders(self, order_dicts):
        """Import one page of store orders (the store's JSON objects); return ``{created, updated, unchanged, failed}``.

        A payload not newer than the one last applied is ignored (counted
        unchanged); a failing order is written to the sync log with its
        reason and payload while the rest of the page imports.
        """
        self.ensure_one()
        counts = Counter(created=0, updated=0, unchanged=0, failed=0)
        failures = []
        latest = {}
        for data in order_dicts:
            try:
                order = parse_order(data)
            except PayloadError as error:
                failures.append((error.record_id, error_text(self.env, error), data))
                continue
            kept = latest.get(order.id)
            if kept and not is_newer(order.date_modified or order.date_created,
                                     kept[0].date_modified or kept[0].date_created):
                counts["unchanged"] += 1
                continue
            if kept:
                counts["unchanged"] += 1
            latest[order.id] = (order, data)
        imported = []
        if latest:
            self._wc_lock_orders(latest)
            existing = {
                sale.wc_order_id: sale
                for sale in self.env["sale.order"]._wc_bound(self, latest)
            }
            todo = []
            for wc_id, (order, data) in latest.items():
                sale = existing.get(wc_id)
                if sale and (sale._wc_is_push_echo(data) or not is_newer(order.date_modified, sale.wc_date_modified)):
                    counts["unchanged"] += 1
                    imported.append(wc_id)
                    continue
                todo.append((order, data, sale))
            if todo:
                imported += self._wc_apply_orders(todo, counts, failures)
        self._wc_log_failures("order", failures)
        counts["failed"] += len(failures)
        self.env["wc.sync.log"]._wc_resolve(self, "order", imported)
        return dict(counts)

    def _wc_lock_orders(self, wc_ids):
        """Serialise find-or-create per (store, order): a webhook and a cron run on one order never both apply it.

        Taken before anything of the orders is read. Raises a PostgreSQL
        error that queue_job and Odoo retry in a fresh transaction when
        another transaction holds one of the orders, or released it by a
        commit this transaction's REPEATABLE READ snapshot cannot see (it
        would not see the sale order, invoice and payment just made, and would
        make them again): see :mod:`.wc_import_lock`.
        """
        keys = [advisory_lock_key("wc.order", self.id, wc_id) for wc_id in wc_ids]
        self.env["wc.import.lock"]._wc_take(keys, f"Store {self.id} orders")

    def _wc_log_failures(self, entity, failures):
        """Write failures ``[(wc_id, reason, payload)]``: one open entry per record, updated on a new failure."""
        if not failures:
            return
        Log = self.env["wc.sync.log"]
        open_entries = {
            entry.wc_id: entry
            for entry in Log.search(
                [
                    ("store_id", "=", self.id),
                    ("entity", "=", entity),
                    ("state", "=", "failed"),
                    ("wc_id", "in", [wc_id for wc_id, _reason, _data in failures if isinstance(wc_id, int) and wc_id]),
                ]
            )
        }
        new = []
        for wc_id, reason, data in failures:
            _logger.info("Store %s: %s %s not imported: %s", self.id, entity, wc_id, reason)
            vals = Log._wc_failed(self, entity, wc_id, reason, data)
            if wc_id and wc_id in open_entries:
                open_entries[wc_id].write({"reason": reason, "payload": vals["payload"], "date": fields.Datetime.now()})
            else:
                new.append(vals)
        Log.create(new)

    def _wc_apply_orders(self, todo, counts, failures):
        """Create or update the sale orders of ``todo`` ``[(order, data, sale or None)]``; return the ids imported."""
        planned = self._wc_plan_orders(todo, failures)
        SaleOrder = self.env["sale.order"].with_context(**IMPORT_CONTEXT)
        new = [item for item in planned if not item[2]]
        created = self._wc_create_orders(SaleOrder, new, failures)
        items = []
        for order, data, sale, plan, header, lines in planned:
            is_new = not sale
            sale = created.get(order.id) if is_new else sale.with_context(**IMPORT_CONTEXT)
            if sale:
                items.append((order, data, sale, is_new, plan, header, lines))
        remainders = self._wc_apply_orders_together(SaleOrder, items)
        if remainders is not None:
            done = self._wc_finish_orders_together(items, remainders, counts)
            if done is not None:
                return done
        done = []
        for item in items:
            order, data, sale, is_new = item[:4]
            try:
                with self.env.cr.savepoint():
                    self._wc_finish_order(item, remainders)
            except RETRY_LATER:
                raise  # not the order's fault: the whole transaction is retried (another one changed its records)
            except Exception as error:  # noqa: BLE001 - one order's failure must not stop the page
                _logger.exception("Store %s: order %s could not be applied", self.id, order.id)
                failures.append((order.id, error_text(self.env, error) or error.__class__.__name__, data))
                # Not up to date with this payload: the next import (or Retry) applies it again.
                sale.wc_date_modified = False
                remainder = (remainders or {}).get(sale.id)
                if remainder and remainder[0].state == "draft":
                    remainder[0].unlink()  # the page's draft credit note for it: the next import makes it again
                sale.message_post(body=self.env._("Store order not fully applied: %s", error_text(self.env, error)), subtype_xmlid="mail.mt_note")
                continue
            counts["created" if is_new else "updated"] += 1
            done.append(order.id)
        return done

    def _wc_finish_orders_together(self, items, remainders, counts):
        """The per-order tail (:meth:`_wc_finish_order`) of a page applied together, in **one** savepoint.

        Most orders have little or nothing left to do here (a quotation has
        no payment), so a savepoint and its flushes per order would cost more
        than the work. When one order fails, the savepoint undoes the page's
        tail and ``None`` sends every order the one by one way, each in its
        own savepoint, so that only the bad order fails.
        """
        try:
            with self.env.cr.savepoint():
                for item in items:
                    self._wc_finish_order(item, remainders)
        except RETRY_LATER:
            raise  # retried in a fresh transaction, not the orders' failure
        except Exception:  # noqa: BLE001 - find the order that fails, finish the others
            _logger.info("Store %s: finishing %s orders together failed, one by one", self.id, len(items), exc_info=True)
            return None
        for item in items:
            counts["created" if item[3] else "updated"] += 1
        return [item[0].id for item in items]

    def _wc_finish_order(self, item, remainders):
        """What is left of one order after the page's creation: its own update and status when the page was not
        applied together (``remainders`` is ``None``), then payments, refunds, the total check and notes."""
        order, _data, sale, is_new, plan, header, lines = item
        batched = remainders is not None
        if not batched:
            if not is_new:
                self._wc_update_order(sale, order, header, lines)
            self._wc_apply_status(sale, order)
        sale._wc_sync_accounting(order, self, documents=not batched, remainder=(remainders or {}).get(sale.id))
        self._wc_check_total(sale, order, plan)
        removed = [problem.message for problem in plan.problems if problem.code == NO_PRODUCT]
        if removed and is_new:
            sale.message_post(body="; ".join(removed), subtype_xmlid="mail.mt_note")

    def _wc_apply_orders_together(self, SaleOrder, items):
        """Update, confirm, cancel, deliver, invoice and credit (refunded orders) the page's sale orders
        **together**; return the draft remainder credit notes to post and settle per order, after the
        payment (``sale.order._wc_credit_remainders``).

        ``items``: ``[(order, data, sale, is_new, plan, header, lines)]``.
        One ``action_confirm``, one validation per wave of transfers, one
        ``_create_invoices`` + ``action_post`` and one ``create`` of the
        refunded orders' credit notes for the page, where one by one would
        cost each order the same ORM calls again. When
        anything fails, the savepoint undoes it all and ``None`` sends every
        order the one by one way (as :meth:`_wc_create_orders` does), so that
        only the bad order fails. Payments and partial refunds are per order
        in either case.
        """
        if len(items) < 2:
            return None
        pairs = [(sale, order) for order, _data, sale, _is_new, _plan, _header, _lines in items]
        try:
            with self.env.cr.savepoint():
                for order, _data, sale, is_new, _plan, header, lines in items:
                    if not is_new:
                        self._wc_update_order(sale, order, header, lines)
                self._wc_apply_statuses(pairs)
                SaleOrder._wc_sync_documents(pairs, self)
                settings = self._wc_status_settings()
                refunded = [
                    (sale, order)
                    for sale, order in pairs
                    if statuses.status_action(order.status, settings).target == statuses.CREDIT_NOTE
                ]
                return SaleOrder._wc_credit_remainders(refunded, self) if refunded else {}
        except RETRY_LATER:
            raise  # retried in a fresh transaction, not the orders' failure
        except Exception:  # noqa: BLE001 - find the order that fails, apply the others
            _logger.info("Store %s: page of %s orders failed as a batch, applying one by one", self.id, len(items), exc_info=True)
            return None

    def _wc_plan_orders(self, todo, failures):
        """Customers, products, pricelists and lines of the page's orders: ``[(order, data, sale, plan, header, lines)]``.

        Gathered for the whole page at once; when that fails (one order's
        data breaks a lookup or a plan), each order is planned again alone in
        its own savepoint, so that only the bad order goes to the sync log
        (with the error as its reason) and the rest of the page imports.
        """
        page_failures = []
        try:
            with self.env.cr.savepoint():
                planned = self._wc_plan_page(todo, page_failures)
            failures += page_failures
            return planned
        except RETRY_LATER:
            raise  # retried in a fresh transaction, not the orders' failure
        except Exception as error:  # noqa: BLE001 - find the order that fails, plan the others
            if len(todo) == 1:
                _logger.info("Store %s: order %s could not be planned: %s", self.id, todo[0][0].id, error)
                failures.append((todo[0][0].id, _plain_reason(error), todo[0][1]))
                return []
            _logger.info("Store %s: planning %s orders together failed, one by one", self.id, len(todo), exc_info=True)
        planned = []
        for item in todo:
            try:
                with self.env.cr.savepoint():
                    planned += self._wc_plan_page([item], failures)
            except RETRY_LATER:
                raise
            except Exception as error:  # noqa: BLE001 - one order's failure must not stop the page
                _logger.info("Store %s: order %s could not be planned: %s", self.id, item[0].id, error)
                failures.append((item[0].id, _plain_reason(error), item[1]))
        return planned

    def _wc_plan_page(self, todo, failures):
        """Gather in bulk and plan ``todo``; orders that cannot be imported as they are go to ``failures``."""
        todo = self._wc_without_unusable_currencies(todo, failures)
        if not todo:
            return []
        orders = [order for order, _data, _sale in todo]
        customers = self._wc_resolve_customers(orders)
        tax_maps = self.env["wc.tax.link"]._wc_tax_maps(self, {order.prices_include_tax for order in orders})
        products, unknown = self._wc_order_products(orders)
        shipping = self.env["wc.shipping.method"]._wc_products(
            self,
            {line.method_id or "other": line.method_title for order in orders for line in order.shipping_lines},
        )
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        pricelists = self._wc_pricelists({order.currency for order in orders})
        known_header, known_line = self._wc_known_empty_computes()
        context = {
            "products": products,
            "shipping": shipping,
            "fee": self.wc_fee_product_id or self.env.ref("woocommerce_connector.product_wc_fee"),
            "removed": self.env.ref("woocommerce_connector.product_wc_removed"),
            "known_line": known_line,
            "known_header": known_header,
            "warehouse": self.wc_warehouse_id or self.env["stock.warehouse"].search(
                [("company_id", "=", self.company_id.id)], limit=1
            ),
        }
        planned = []
        for order, data, sale in todo:
            missing = [line for line in order.line_items if product_key(line) in unknown]
            if missing:
                failures.append((order.id, self._wc_unknown_products_reason(missing), data))
                continue
            specs, tax_ids = tax_maps[order.prices_include_tax]
            plan = plan_lines(order, specs, price_digits)
            if plan.is_blocked:
                reason = "; ".join(dict.fromkeys(problem.message for problem in plan.problems if problem.blocking))
                failures.append((order.id, reason, data))
                continue
            lines = [self._wc_line_vals(line, tax_ids, context, sequence) for sequence, line in enumerate(plan.lines, 1)]
            header = self._wc_order_vals(order, customers[("order", order.id)], pricelists, plan, context)
            planned.append((order, data, sale, plan, header, lines))
        return planned

    def _wc_without_unusable_currencies(self, todo, failures):
        """``todo`` without the orders in a currency Odoo does not know, or knows without an exchange rate.

        Booking such an order would silently use the company's currency or a
        rate of 1: the accounts would be wrong. The order waits in the sync
        log until the currency (or its rate) is set up; then Retry.
        """
        company = self.company_id
        codes = {order.currency or company.currency_id.name for order, _data, _sale in todo}
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"].with_context(active_test=False).search([("name", "in", list(codes))])
        }
        foreign = [currency.id for currency in currencies.values() if currency != company.currency_id]
        rated = {
            currency.id
            for [currency] in self.env["res.currency.rate"].sudo()._read_group(
                [("currency_id", "in", foreign), ("company_id", "in", [False, *company.parent_ids.ids])],
                ["currency_id"],
            )
        } if foreign else set()
        problems = {}
        for code in codes:
            currency = currencies.get(code)
            if not currency:
                problems[code] = self.env._(
                    "the order's currency %(code)s is not a currency Odoo knows; add it (Accounting › Currencies), "
                    "then retry",
                    code=code,
                )
            elif currency != company.currency_id and currency.id not in rated:
                problems[code] = self.env._(
                    "the order's currency %(code)s has no exchange rate in Odoo for %(company)s; activate it and "
                    "add its rate (Accounting › Currencies), then retry",
                    code=code,
                    company=company.name,
                )
        if not problems:
            return todo
        kept = []
        for order, data, sale in todo:
            reason = problems.get(order.currency or company.currency_id.name)
            if reason:
                failures.append((order.id, reason, data))
            else:
                kept.append((order, data, sale))
        return kept

    def _wc_create_orders(self, SaleOrder, new, failures):
        """Create the new sale orders in one batch; if the batch fails, one by one so only the bad one fails."""
        if not new:
            return {}
        names = self._wc_order_names(len(new))
        vals_list = [
            dict(header, name=name, order_line=[Command.create(line) for line in lines])
            for (order, data, sale, plan, header, lines), name in zip(new, names)
        ]
        try:
            with self.env.cr.savepoint():
                sales = SaleOrder.create(vals_list)
            return {item[0].id: sale for item, sale in zip(new, sales)}
        except RETRY_LATER:
            raise  # retried in a fresh transaction, not the orders' failure
        except Exception:  # noqa: BLE001 - find the order that fails, import the others
            _logger.info("Store %s: batch of %s orders failed, creating one by one", self.id, len(new))
        created = {}
        for item, vals in zip(new, vals_list):
            try:
                with self.env.cr.savepoint():
                    created[item[0].id] = SaleOrder.create(vals)
            except RETRY_LATER:
                raise
            except Exception as error:  # noqa: BLE001
                failures.append((item[0].id, str(error) or error.__class__.__name__, item[1]))
        return created

    def _wc_order_names(self, count):
        """``count`` numbers of the store's order numbering (``WC<id>/00001``, ...).

        A plain numbering (Odoo's "standard" implementation: a PostgreSQL
        sequence, no date ranges) gives them all in one query, formatted as
        ``next_by_id`` formats each; any other (no gap, per date range) goes
        through ``next_by_id`` per order.
        """
        sequence = self._wc_order_sequence()
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _index in range(count)]
        sequence.check_access("read")  # as next_by_id does
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", [f"ir_sequence_{sequence.id:03d}", count]
        )
        return [sequence.get_next_char(number) for number in sorted(number for (number,) in self.env.cr.fetchall())]

    # -- gathering in bulk -------------------------------------------------------------

    def _wc_known_empty_computes(self):
        """``(header values, line values)`` that Odoo would compute per order or per line, when they are known
        for the whole page: empty when the company has no fiscal position / no analytic distribution model.

        Odoo searches both per order (fiscal position) and per line (analytic
        distribution); with none defined they are always empty, so one query
        each for the page replaces those searches. With some defined, Odoo
        computes them as usual.
        """
        company = self.company_id
        Position = self.env["account.fiscal.position"].sudo().with_context(active_test=False)
        Model = self.env["account.analytic.distribution.model"].sudo()
        header = {} if Position.search_count(Position._check_company_domain(company), limit=1) else {
            "fiscal_position_id": False}
        line = {} if Model.search_count([], limit=1) else {"analytic_distribution": False}
        return header, line

    def _wc_order_products(self, orders):
        """``({product key: product id}, unknown keys)`` for every product line of the page.

        Links and SKUs are looked up once for the page; missing products are
        created when the store allows it, else they are the unknown ones.
        """
        lines = {}
        for order in orders:
            for line in order.line_items:
                if line.product_id or line.sku:
                    lines.setdefault(product_key(line), line)
        Link = self.env["wc.product.link"]
        found, missing = Link._wc_match(self, list(lines.values()))
        found = {key: product for key, product in found.items()}
        if missing and self.wc_create_missing_products:
            found.update(Link._wc_create_from_lines(self, missing))
            missing = []
        return found, {product_key(line) for line in missing}

    def _wc_unknown_products_reason(self, lines):
        names = ", ".join(
            f"'{line.sku}' ({line.name}, store product {line.product_id})" if line.sku else f"(none) ({line.name}, store product {line.product_id})"
            for line in lines
        )
        return self.env._(
            "unknown product SKU %(skus)s: create the product (or link it), or allow 'Create missing products' "
            "on the store, then retry",
            skus=names,
        )

    def _wc_pricelists(self, currency_codes):
        """``{currency code: pricelist id}``: the store's pricelist in each currency, found or created."""
        company = self.company_id
        codes = {code or company.currency_id.name for code in currency_codes}
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"].with_context(active_test=False).search([("name", "in", list(codes))])
        }
        result = {}
        for code in codes:
            currency = currencies.get(code) or company.currency_id
            if not currency.active:
                currency.sudo().active = True
            pricelist = self.wc_pricelist_ids.filtered(lambda p: p.currency_id == currency)[:1]
            if not pricelist:
                Pricelist = self.env["product.pricelist"]
                pricelist = Pricelist.search(
                    [("currency_id", "=", currency.id), ("company_id", "in", (False, company.id))], limit=1
                ) or Pricelist.create(
                    # Odoo shows a pricelist as "<name> (<currency>)": the name does not repeat the currency.
                    {"name": self.name, "currency_id": currency.id, "company_id": company.id}
                )
                self.sudo().wc_pricelist_ids = [Command.link(pricelist.id)]
            result[code] = pricelist.id
        for code in currency_codes:
            result.setdefault(code, result[code or company.currency_id.name])
        return result

    # -- values ------------------------------------------------------------------------

    def _wc_order_vals(self, order, customer, pricelists, plan, context):
        """The sale order's header: customer, store settings and the "Online shop" fields; ``context`` is the
        page's (:meth:`_wc_plan_page`)."""
        billing, shipping = order.billing, order.shipping
        address = billing if not billing.is_empty else shipping
        # The coupons' discounts are inside the lines' prices; the codes and savings stay visible.
        coupons = [line.name.removeprefix("Coupon ") for line in plan.lines if line.kind == COUPON]
        vals = {
            **context["known_header"],
            "company_id": self.company_id.id,
            "partner_id": customer["partner_id"],
            "partner_invoice_id": customer["partner_invoice_id"],
            "partner_shipping_id": customer["partner_shipping_id"],
            "pricelist_id": pricelists[order.currency],
            "warehouse_id": context["warehouse"].id,
            "client_order_ref": order.number,
            "origin": self.env._("%(store)s order %(number)s", store=self.name, number=order.number),
            "wc_store_id": self.id,
            "wc_order_id": order.id,
            "wc_order_number": order.number,
            "wc_postcode": address.postcode or shipping.postcode or False,
            "wc_phone": billing.phone or shipping.phone or False,
            "wc_address": format_address(address) or False,
            "wc_customer_note": order.customer_note or False,
            "wc_payment_method": order.payment_method_title or order.payment_method or False,
            "wc_transaction_id": order.transaction_id or False,
            "wc_status": order.status,
            "wc_date_modified": to_naive(order.date_modified),
            "wc_total": float(order.total),
            "wc_coupons": "\n".join(coupons) or False,
        }
        if order.date_created:
            vals["date_order"] = to_naive(order.date_created)
        if self.wc_team_id:
            vals["team_id"] = self.wc_team_id.id
        return vals

    def _wc_line_vals(self, line, tax_ids, context, sequence):
        """One ``sale.order.line`` from a :class:`~..wc_connector.rules.lines.PlanLine`."""
        if line.is_note:
            return {
                "display_type": "line_note",
                "name": line.name,
                "sequence": sequence,
                "wc_line_id": line.store_line_id,
                "wc_line_kind": COUPON,
            }
        if line.kind == PRODUCT:
            key = line.product.link or line.product.sku
            product = context["products"].get(key) if line.product.is_known else None
            product = product or context["removed"].id
        elif line.kind == SHIPPING:
            product = context["shipping"][line.shipping.method_id or "other"]
        else:
            product = context["fee"].id
        return {
            **context["known_line"],
            "product_id": product,
            "name": line.name,
            "product_uom_qty": float(line.quantity),
            "price_unit": float(line.price_unit),
            "discount": 0.0,
            LINE_TAXES: [Command.set([tax_ids[rate] for rate in line.rate_ids])],
            "sequence": sequence,
            "wc_line_id": line.store_line_id,
            "wc_line_kind": line.kind,
        }

    # -- applying ------------------------------------------------------------------------

    def _wc_update_order(self, sale, order, header, lines):
        """Apply a newer payload to an existing sale order: header always, lines only while a quotation."""
        header = dict(header)
        customer = {key: header.pop(key) for key in ("partner_id", "partner_invoice_id", "partner_shipping_id")}
        # The fiscal position is Odoo's to keep once the order exists (only a new order gets it from the page).
        for key in ("company_id", "wc_store_id", "wc_order_id", "date_order", "fiscal_position_id"):
            header.pop(key, None)
        if sale.state != "draft" and sale.state != "sent":
            for key in ("pricelist_id", "warehouse_id"):
                header.pop(key, None)
        # The customer rules decide whether anything changes (and leave invoiced orders alone).
        self._wc_apply_customer_change(sale, customer)
        sale.write(header)
        if _line_signature(sale.order_line) == _line_signature_vals(lines):
            return
        if sale.state in ("draft", "sent"):
            sale.order_line.unlink()
            sale.write({"order_line": [Command.create(line) for line in lines]})
        else:
            sale.message_post(
                body=self.env._(
                    "The store changed the lines of order %(number)s after it was confirmed; the sale order's "
                    "lines were left as they are. Check the order in the store.",
                    number=order.number,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _wc_status_settings(self):
        return statuses.StatusSettings(
            overrides={rule.wc_status.strip().lower(): rule.target for rule in self.wc_status_ids},
            arrive_as=self.wc_orders_arrive_as or statuses.ARRIVE_AS_QUOTATION,
            validate_delivery=self.wc_validate_delivery,
        )

    def _wc_apply_status(self, sale, order):
        """Take one sale order where its store status says: :meth:`_wc_apply_statuses` for one."""
        self._wc_apply_statuses([(sale, order)])

    def _wc_apply_statuses(self, pairs):
        """Take the sale orders of ``pairs`` ``[(sale, order)]`` where the store statuses say (confirm, cancel,
        back to draft); those to confirm are confirmed together.

        Invoicing and credit notes are the accounting hook's steps
        (``sale.order._wc_sync_accounting``); what the workflow refuses is
        written to the chatter.
        """
        settings = self._wc_status_settings()
        confirm, notes = [], []
        for sale, order in pairs:
            action = statuses.status_action(order.status, settings)
            # "Credited" means fully credited: a partial refund must not read as a refunded order.
            transition = statuses.transition(action, sale._wc_odoo_order_state())
            for step in transition.steps:
                if step == statuses.STEP_RESET_TO_DRAFT:
                    sale.action_draft()
                elif step == statuses.STEP_CONFIRM:
                    confirm.append((sale, order))
                elif step == statuses.STEP_CANCEL:
                    sale.with_context(disable_cancel_warning=True).action_cancel()
            notes += [(sale, note) for note in (action.note, transition.refused) if note]
        if confirm:
            sales = confirm[0][0].browse([sale.id for sale, _order in confirm])
            sales.action_confirm()
            for sale, order in confirm:
                if order.date_created:
                    # Confirming stamps "now"; the order was placed when the store says.
                    sale.date_order = to_naive(order.date_created)
        for sale, note in notes:
            sale.message_post(body=note, subtype_xmlid="mail.mt_note")

    def _wc_check_total(self, sale, order, plan):
        """Write Odoo's total minus the store's on the order; a difference also goes to the chatter."""
        digits = plan.currency_digits
        difference = round_money(Decimal(repr(sale.amount_total)), order.currency) - round_money(order.total, order.currency)
        if difference:
            why = [problem.message for problem in plan.problems if problem.code == ROUNDING_DIFFERENCE]
            # Formatted before the translation call: Odoo's term extractor cannot read an f-string inside it.
            shown = format(difference, f"+.{digits}f")
            sale.message_post(
                body=self.env._(
                    "Odoo's total differs from the store's total %(total)s by %(difference)s. %(why)s",
                    total=order.total,
                    difference=shown,
                    why="; ".join(why),
                ),
                subtype_xmlid="mail.mt_note",
            )
        if float(difference) != sale.wc_total_difference:
            sale.wc_total_difference = float(difference)


def _plain_reason(error):
    """An exception as the sync log shows it: its own words (a UserError's message), else its type."""
    message = getattr(error, "args", None) and error.args[0]
    return str(message) if isinstance(message, str) and message.strip() else (str(error) or error.__class__.__name__)


def format_address(address):
    """The billing (or shipping) address as text lines, as the store's order page shows it."""
    lines = [
        address.full_name,
        address.company,
        address.address_1,
        address.address_2,
        " ".join(part for part in (address.postcode, address.city) if part),
        " ".join(part for part in (address.state, address.country) if part),
    ]
    return "\n".join(line for line in lines if line)


def _line_signature(lines):
    return sorted(
        (
            line.display_type or "",
            line.product_id.id or 0,
            line.name or "",
            round(line.product_uom_qty, 6),
            round(line.price_unit, 6),
            tuple(sorted(line[LINE_TAXES].ids)),
        )
        for line in lines
    )


def _line_signature_vals(lines):
    return sorted(
        (
            vals.get("display_type") or "",
            vals.get("product_id") or 0,
            vals.get("name") or "",
            round(vals.get("product_uom_qty", 0.0), 6),
            round(vals.get("price_unit", 0.0), 6),
            tuple(sorted(vals[LINE_TAXES][0][2])) if vals.get(LINE_TAXES) else (),
        )
        for vals in lines
    )
