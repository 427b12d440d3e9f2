"""Reconciling a store with Odoo for a period, by hand or weekly, and re-importing what differs.

Both sides are read in a fixed number of round trips whatever the period:

* the store: the orders **created** in the period, ``GET /orders`` ordered by
  id, 100 per page (``after``/``before`` as a history import asks) — one GET
  per 100 orders. Creation dates never change, so page numbers are stable;
* Odoo: one query for the store's sale orders of the period (or of the
  store's order ids), and one grouped query each for shipping lines, posted
  invoices and credit notes, and payments.

The core (:mod:`..wc_connector.rules.reconcile`) compares the two; the
result is a ``wc.reconcile`` record. The weekly run (store setting) is a
queue job on the store's channel that mails the WooCommerce managers when
anything differs, with the PDF report attached.
"""

import logging
import time
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.fields import Command

from ..wc_connector.errors import PayloadError
from ..wc_connector.payloads import parse_order
from ..wc_connector.payloads.dates import to_naive
from ..wc_connector.rules import reconcile as rules
from .compat import GROUP_USERS
from .const import MANAGER_GROUP, PER_PAGE
from .wc_store_sync import history_bounds

_logger = logging.getLogger(__name__)


def _money(value):
    """A float of the ORM as the exact cents it stands for."""
    return Decimal(repr(round(value or 0.0, 2))).quantize(Decimal("0.01"))


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_reconcile_weekly = fields.Boolean(
        string="Weekly reconciliation",
        help="Every week, compare the last 7 days of orders with Odoo and mail the WooCommerce managers "
        "when anything differs (with the PDF report).",
    )
    wc_reconcile_ids = fields.One2many("wc.reconcile", "store_id", string="Reconciliations")

    # -- by hand -------------------------------------------------------------------------

    def action_reconcile(self):
        """A new reconciliation of the last 7 days, computed now and opened."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        record = self.env["wc.reconcile"].create(
            {"store_id": self.id, "date_from": today - timedelta(days=6), "date_to": today})
        self._wc_reconcile(record)
        return {
            "type": "ir.actions.act_window",
            "res_model": "wc.reconcile",
            "res_id": record.id,
            "view_mode": "form",
        }

    # -- computing -----------------------------------------------------------------------

    def _wc_reconcile(self, record):
        """Fill ``record`` (a ``wc.reconcile`` of this store) with the period's figures and differences."""
        self.ensure_one()
        started = time.perf_counter()
        start, end = history_bounds(record.date_from, record.date_to)
        store_facts, requests = self._wc_store_order_facts(start, end)
        odoo_facts = self._wc_odoo_order_facts(start, end, [fact.wc_id for fact in store_facts])
        summary = rules.summarize(store_facts, odoo_facts)
        found = rules.differences(store_facts, odoo_facts)
        record.write({
            "summary_ids": [Command.clear()] + [Command.create(_summary_vals(row)) for row in summary],
            "difference_ids": [Command.clear()] + [Command.create(_difference_vals(diff)) for diff in found],
            "store_order_count": len(store_facts),
            "odoo_order_count": len(odoo_facts),
            "requests": requests,
            "date_run": fields.Datetime.now(),
            "duration": time.perf_counter() - started,
        })
        return record

    def _wc_store_order_facts(self, start, end):
        """``(facts, GETs)``: the store's orders created in ``[start, end)``, 100 per GET.

        An order whose payload cannot be parsed still counts as the store's
        (its total unknown, 0), so that it is never silently left out.
        """
        params = self._wc_listing_params("order", "history", start, end)
        facts, requests = [], 0
        client = self._client()
        try:
            for page in client.iter_pages("orders", params, per_page=PER_PAGE):
                requests += 1
                for data in page.records:
                    try:
                        facts.append(rules.store_facts(parse_order(data)))
                    except PayloadError as error:
                        _logger.info("Store %s: order %s not reconciled: %s", self.id, error.record_id, error)
                        if isinstance(error.record_id, int):
                            facts.append(rules.StoreFacts(error.record_id, str(error.record_id), "", Decimal(0)))
        finally:
            client.close()
        return facts, requests

    def _wc_odoo_order_facts(self, start, end, store_ids):
        """The store's sale orders of ``[start, end)`` (and those of ``store_ids`` whatever their date), as facts.

        Five queries in all: the sale orders, then one grouped query each for
        their shipping lines, posted invoices and credit notes, and payments.
        """
        period = ["&", ("date_order", ">=", to_naive(start)), ("date_order", "<", to_naive(end))]
        domain = [("wc_store_id", "=", self.id)] + (["|", ("wc_order_id", "in", store_ids)] if store_ids else []) + period
        sales = self.env["sale.order"].sudo().with_context(active_test=False).search_fetch(
            domain, ["wc_order_id", "name", "wc_status", "amount_total", "amount_tax", "wc_total_difference"])
        if not sales:
            return []
        shipping = dict(self.env["sale.order.line"].sudo()._read_group(
            [("order_id", "in", sales.ids), ("wc_line_kind", "=", "shipping")], ["order_id"], ["price_total:sum"]))
        wc_ids = sales.mapped("wc_order_id")
        moves = self.env["account.move"].sudo()._read_group(
            [("wc_store_id", "=", self.id), ("wc_order_id", "in", wc_ids), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund"))],
            ["wc_order_id", "move_type"], ["amount_total:sum"])
        invoiced, credited = {}, {}
        for wc_id, move_type, amount in moves:
            (invoiced if move_type == "out_invoice" else credited)[wc_id] = amount
        paid = dict(self.env["account.payment"].sudo()._read_group(
            [("wc_store_id", "=", self.id), ("wc_order_id", "in", wc_ids), ("payment_type", "=", "inbound"),
             ("state", "not in", ("draft", "canceled", "rejected"))],
            ["wc_order_id"], ["amount:sum"]))
        return [
            rules.OdooFacts(
                wc_id=sale.wc_order_id,
                sale_id=sale.id,
                name=sale.name,
                status=sale.wc_status or "",
                total=_money(sale.amount_total),
                tax=_money(sale.amount_tax),
                shipping=_money(shipping.get(sale)),
                invoiced=_money(invoiced.get(sale.wc_order_id)),
                refunds=_money(credited.get(sale.wc_order_id)),
                paid=_money(paid.get(sale.wc_order_id)),
                known_difference=_money(sale.wc_total_difference),
            )
            for sale in sales
        ]

    def _wc_reimport_orders(self, wc_ids):
        """Fetch orders ``wc_ids`` from the store (100 per GET) and import them as the sync does; the counts.

        The sale orders are marked not up to date first, so the import applies
        the store's order even when its modification date did not change
        (a total edited in Odoo, a refund whose credit note was deleted).
        """
        self.ensure_one()
        self.env["sale.order"].sudo()._wc_bound(self, wc_ids).write({"wc_date_modified": False})
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        client = self._client()
        try:
            for index in range(0, len(wc_ids), PER_PAGE):
                chunk = wc_ids[index:index + PER_PAGE]
                params = {"include": ",".join(map(str, chunk)), "status": "any", "orderby": "id", "order": "asc"}
                for page in client.iter_pages("orders", params, per_page=PER_PAGE):
                    for key, value in self.sudo()._wc_import_orders(page.records).items():
                        counts[key] = counts.get(key, 0) + value
        finally:
            client.close()
        return counts

    # -- weekly --------------------------------------------------------------------------

    @api.model
    def _cron_wc_reconcile_weekly(self):
        """The weekly action: a reconciliation job per store that asks for it (last 7 whole days)."""
        today = fields.Date.context_today(self)
        for store in self.search([("active", "=", True), ("wc_reconcile_weekly", "=", True)]):
            date_from, date_to = today - timedelta(days=7), today - timedelta(days=1)
            store.with_delay(
                channel=store._wc_channel(),
                identity_key=f"wc.store({store.id}).reconcile({date_from},{date_to})",
                description=self.env._("%(store)s: reconciliation %(start)s – %(end)s",
                                       store=store.name, start=date_from, end=date_to),
            )._wc_job_reconcile(str(date_from), str(date_to))
        return True

    def _wc_job_reconcile(self, date_from, date_to):
        """Reconcile the period and mail the managers when anything differs; the job's result sentence."""
        self.ensure_one()
        record = self.env["wc.reconcile"].sudo().create(
            {"store_id": self.id, "date_from": date_from, "date_to": date_to})
        self._wc_reconcile(record)
        if record.difference_ids:
            self._wc_mail_reconcile(record)
        return f"{len(record.difference_ids)} differences in {record.store_order_count} store orders."

    def _wc_managers(self):
        """The active internal users of the WooCommerce manager group who work in the store's company."""
        return self.env.ref(MANAGER_GROUP).sudo()[GROUP_USERS].filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids)

    def _wc_mail_reconcile(self, record):
        """Mail the reconciliation (summary and PDF) to the store's managers."""
        managers = self._wc_managers()
        if not managers:
            return
        attachments = []
        try:
            pdf, _format = self.env["ir.actions.report"].sudo()._render_qweb_pdf(
                "woocommerce_connector.action_report_wc_reconcile", record.ids)
            attachments.append((f"reconciliation-{record.date_from}-{record.date_to}.pdf", pdf))
        except Exception:  # noqa: BLE001 - no PDF engine (wkhtmltopdf) must not stop the mail
            _logger.warning("Store %s: the reconciliation PDF could not be rendered", self.id, exc_info=True)
        record.message_post(
            body=self.env._(
                "%(store)s, %(start)s – %(end)s: %(count)s differences between the store's %(orders)s orders "
                "and Odoo. Open the reconciliation to re-import or explain them.",
                store=self.name, start=record.date_from, end=record.date_to,
                count=len(record.difference_ids), orders=record.store_order_count),
            subject=self.env._("WooCommerce reconciliation of %s: differences found", self.name),
            partner_ids=managers.partner_id.ids,
            attachments=attachments,
            subtype_xmlid="mail.mt_comment",
        )


def _summary_vals(row):
    return {
        "status": row.status,
        "store_count": row.store_count,
        "odoo_count": row.odoo_count,
        **{f"store_{measure}": float(row.store[measure]) for measure in rules.MEASURES},
        **{f"odoo_{measure}": float(row.odoo[measure]) for measure in rules.MEASURES},
        "matches": row.matches,
    }


def _difference_vals(difference):
    def text(value):
        return "" if value is None else str(value)

    return {
        "kind": difference.kind,
        "wc_order_id": difference.wc_id,
        "number": difference.number,
        "sale_order_id": difference.sale_id,
        "store_value": text(difference.store_value),
        "odoo_value": text(difference.odoo_value),
        "amount": float(difference.amount) if difference.amount is not None else 0.0,
    }
