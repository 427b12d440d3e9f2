"""What a store order's status, payment and refunds make of its sale order's accounting and stock.

The order importer calls :meth:`SaleOrder._wc_sync_accounting` after it has
created or updated the sale order (and applied quotation / confirm /
cancel). From there, following :mod:`..wc_connector.rules.statuses`:

* a completed order (or any order of a store whose orders "arrive as
  invoice") is confirmed, its delivery validated (store setting), and it is
  invoiced from the sale order and the invoice posted;
* when the store says the order is paid (``date_paid``) the payment is
  registered on the invoice in the gateway's journal and reconciled;
* each store refund becomes a credit note — by lines or by amount, as the
  store recorded it — and, when money went back, a refund payment;
* a refunded order has whatever the refunds left uncredited credited too.

Every step looks first for what it would create (invoice, payment by store
and order, credit note and refund payment by store and refund id), so
calling the hook again with the same order changes nothing.

An accountant signs these off: each document is dated by the store's own
date in the company's time zone (:mod:`..wc_connector.rules.document_dates`;
a credit note never before its invoice); a payment the store totals a
rounding difference off the invoice closes it, the difference written off
with a note (:mod:`..wc_connector.rules.settlement`); a credit note credits
the store's amounts to the cent and reverses their VAT
(:func:`..wc_connector.rules.credit_notes.plan_credit_note` decides, this
file gathers the invoice's lines and applies the plan); and a line the store
refunded is not offered for invoicing again.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..wc_connector.payloads.refunds import Refund, parse_refund
from ..wc_connector.rules import odoo_math
from ..wc_connector.rules.credit_notes import InvoicedLine, plan_credit_note
from ..wc_connector.rules.document_dates import credit_note_date, invoice_date, payment_date
from ..wc_connector.rules.settlement import settle_payment
from ..wc_connector.rules.statuses import (
    CREDIT_NOTE,
    STEP_CONFIRM,
    STEP_DELIVER,
    STEP_INVOICE,
    OdooOrderState,
    status_action,
    transition,
)
from .compat import LINE_UOM

_logger = logging.getLogger(__name__)

#: The sale order line field holding the store's line id (refunds point at it with ``_refunded_item_id``).
STORE_LINE_FIELD = "wc_line_id"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # -- invoices carry the Online shop fields ------------------------------------------------

    def _prepare_invoice(self):
        return {**super()._prepare_invoice(), **self._wc_online_shop_values()}

    # -- the hook -------------------------------------------------------------------------------

    def _wc_sync_accounting(self, order, store, refunds=None, documents=True, remainder=None):
        """Bring the sale order's invoice, payments, credit notes and delivery in line with store ``order``.

        ``order`` is the parsed :class:`~..wc_connector.payloads.orders.Order`,
        ``store`` the ``wc.store``. ``refunds`` are the order's refunds (parsed
        :class:`Refund` or raw dicts); ``None`` fetches them from the store
        when the order lists refunds that are not credited yet — except for a
        refunded order, whose remainder is credited from the order itself,
        and an order already credited in full. ``documents=False`` skips the
        confirmation, delivery, invoice and remainder credit note: the page's
        import made them together with :meth:`_wc_sync_documents`, which
        handed over ``remainder`` (``(draft credit note, refund id, date)``
        from :meth:`_wc_credit_remainders`, or ``None``) to post and settle
        here, once the payment is registered. Idempotent.
        """
        self.ensure_one()
        action = status_action(order.status, store._wc_status_settings())
        if documents:
            self._wc_sync_documents([(self, order)], store)
        invoices = self._wc_posted_invoices()
        if not invoices:
            return
        if order.is_paid:
            self._wc_register_payment(invoices, order, store)
        if (
            refunds is None
            and action.target != CREDIT_NOTE
            and self._wc_uncredited_refund_ids(order, store)
            and not self._wc_odoo_order_state().credited
        ):
            # A partial refund needs its lines: the store lists them only per order (no /refunds route).
            refunds = store._wc_fetch_refunds(order.id)
        if refunds:
            self._wc_sync_refunds(refunds, store)
        if action.target == CREDIT_NOTE and documents:
            self._wc_credit_remainder(order, store)
        elif action.target == CREDIT_NOTE and remainder:
            credit, refund_id, day = remainder
            credit.action_post()
            self._wc_settle_credit_note(credit, invoices, store, refund_id, day, money_back=order.is_paid)

    def _wc_sync_documents(self, pairs, store):
        """Confirm, deliver and invoice the sale orders of ``pairs`` ``[(sale, order)]`` as the steps of their
        status transitions say — all together: one ``action_confirm``, one validation per wave of transfers,
        one ``_create_invoices`` and one ``action_post``. Call it on ``sale.order`` in the import's context."""
        action_of = {}
        confirm = []
        settings = store._wc_status_settings()
        tz, today = store._wc_tz(), store._wc_today()
        dates = {sale.id: invoice_date(order, tz, today) for sale, order in pairs}
        for sale, order in pairs:
            action = status_action(order.status, settings)
            steps = transition(action, sale._wc_odoo_order_state()).steps
            action_of[sale.id] = (action, steps)
            if STEP_CONFIRM in steps and sale.state in ("draft", "sent"):
                confirm.append(sale.id)
        sales = self.browse([sale.id for sale, _order in pairs])
        if confirm:
            self.browse(confirm).action_confirm()
        sales.filtered(lambda sale: STEP_DELIVER in action_of[sale.id][1] and sale.state == "sale")._wc_validate_deliveries()
        sales.filtered(lambda sale: STEP_INVOICE in action_of[sale.id][1] and sale.state == "sale")._wc_invoice(dates)

    def _wc_odoo_order_state(self):
        """Where the sale order is, for :func:`~..wc_connector.rules.statuses.transition`."""
        self.ensure_one()
        invoices = self._wc_posted_invoices()
        credits = self._wc_posted_credit_notes()
        credited = bool(credits) and self.currency_id.compare_amounts(
            sum(credits.mapped("amount_total")), sum(invoices.mapped("amount_total"))
        ) >= 0
        # Read only for a confirmed order: a draft one has no transfer yet, and is not "delivered".
        delivered = self.state == "sale" and not any(
            picking.state not in ("done", "cancel") for picking in self.picking_ids
        )
        return OdooOrderState(
            state=self.state if self.id else None, invoiced=bool(invoices), credited=credited, delivered=delivered
        )

    # -- delivery -------------------------------------------------------------------------------

    def _wc_validate_deliveries(self):
        """Validate the orders' open transfers with the ordered quantities (no backorder, no wizard).

        Several orders: in waves (every order's first open transfer, then
        every second one: pick before pack before ship), each wave validated
        at once; when a wave is refused, order by order, so that the one that
        cannot be validated is noted and the others are validated.
        """
        chains = [
            sale.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).sorted("id")
            for sale in self
        ]
        if not any(chains):
            return
        if len(self) > 1:
            try:
                with self.env.cr.savepoint():
                    for rank in range(max(len(chain) for chain in chains)):
                        wave = self.env["stock.picking"].browse([chain[rank].id for chain in chains if len(chain) > rank])
                        self._wc_validate_pickings(wave)
                return
            except UserError:
                _logger.info("%s orders' deliveries refused as a batch, validating order by order", len(self))
        for sale, pickings in zip(self, chains):
            # Pick before pack before ship: transfers of a chain are created in that order.
            for picking in pickings:
                try:
                    with self.env.cr.savepoint():
                        self._wc_validate_pickings(picking)
                except UserError as error:
                    # E.g. products tracked by lot or serial: the warehouse validates it; the order still imports.
                    sale.message_post(
                        body=self.env._("Delivery %(picking)s was not validated: %(error)s", picking=picking.name, error=error.args[0]),
                        subtype_xmlid="mail.mt_note",
                    )
                    break

    def _wc_validate_pickings(self, pickings):
        """Validate ``pickings`` at once with their ordered quantities."""
        for move in pickings.move_ids.filtered(lambda move: move.state not in ("done", "cancel")):
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True, skip_immediate=True).button_validate()

    # -- invoice --------------------------------------------------------------------------------

    def _wc_posted_invoices(self):
        return self.invoice_ids.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")

    def _wc_posted_credit_notes(self):
        """The order's posted credit notes: those reversing its invoices (a credit note by amount has no
        sale order line, so ``invoice_ids`` does not list it)."""
        invoices = self.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        if not invoices:
            return self.env["account.move"]
        return self.env["account.move"].search(
            [("move_type", "=", "out_refund"), ("state", "=", "posted"), ("reversed_entry_id", "in", invoices.ids)]
        ) | self.invoice_ids.filtered(lambda move: move.move_type == "out_refund" and move.state == "posted")

    def _wc_invoice(self, dates=None):
        """Invoice the orders from their sale orders (Odoo's ``_create_invoices``, one invoice per order) and post
        the invoices; once. Several orders are invoiced together; one with nothing to invoice (e.g. products
        invoiced on delivery, delivery not done) gets a note in its chatter and the others are invoiced.
        ``dates`` ``{sale id: date}`` dates the invoices (the store's day, not the day of the import)."""
        Move = self.env["account.move"]
        todo = self.filtered(lambda sale: not sale._wc_posted_invoices())
        current = todo.invoice_ids.filtered(lambda move: move.move_type == "out_invoice" and move.state != "cancel")
        drafts = current.filtered(lambda move: move.state == "draft")
        new = todo.filtered(lambda sale: not (sale.invoice_ids & current))
        made = Move
        if len(new) > 1:
            try:
                with self.env.cr.savepoint():
                    made = new._create_invoices(grouped=True, final=True)
            except UserError:
                _logger.info("%s orders could not be invoiced as a batch, invoicing order by order", len(new))
            new -= made.line_ids.sale_line_ids.order_id
        for sale in new:
            try:
                made |= sale._create_invoices(final=True)
            except UserError as error:
                sale.message_post(
                    body=self.env._("The store order could not be invoiced: %s", error.args[0]),
                    subtype_xmlid="mail.mt_note",
                )
        drafts |= made
        by_date = defaultdict(lambda: Move)
        for sale in todo:
            day = (dates or {}).get(sale.id)
            if day:
                by_date[day] |= (sale.invoice_ids & drafts).filtered(lambda move: not move.invoice_date)
        for day, moves in by_date.items():
            if moves:
                moves.invoice_date = day
        drafts.action_post()
        return drafts

    # -- payment --------------------------------------------------------------------------------

    def _wc_register_payment(self, invoices, order, store):
        """Register the store's payment of ``order`` on ``invoices`` in the gateway's journal; once per order."""
        Payment = self.env["account.payment"]
        existing = Payment.search(
            [
                ("wc_store_id", "=", store.id),
                ("wc_order_id", "=", order.id),
                ("payment_type", "=", "inbound"),
                ("state", "!=", "canceled"),
            ],
            limit=1,
        )
        if existing:
            return existing
        open_invoices = invoices.filtered(lambda move: move.payment_state in ("not_paid", "partial"))
        if not open_invoices or order.total <= 0:
            return Payment
        gateway = store._wc_gateway(order.payment_method, order.payment_method_title)
        settlement = settle_payment(
            Decimal(repr(sum(open_invoices.mapped("amount_residual")))),
            order.total,
            order.currency,
            Decimal(repr(store.wc_write_off_limit or 0)),
        )
        write_off = store._wc_write_off_account(settlement.is_loss) if settlement.write_off else None
        payment = self._wc_pay(
            open_invoices,
            gateway,
            amount=order.total,
            day=payment_date(order, store._wc_tz(), store._wc_today()),
            memo=order.transaction_id or order.number,
            write_off=(write_off, self.env._("Store rounding difference, order %s", order.number)) if write_off else None,
        )
        if settlement.write_off and not write_off:
            open_invoices[:1].message_post(
                body=self.env._(
                    "The store charged %(paid)s where the invoice says %(total)s; the difference stays open because "
                    "neither the store nor the company has a rounding write-off account.",
                    paid=settlement.paid,
                    total=settlement.open_amount,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if write_off:
            for invoice in open_invoices:
                invoice.message_post(
                    body=self.env._(
                        "The store charged %(paid)s where the invoice says %(total)s (the store rounds tax at "
                        "subtotal): the difference of %(difference)s was written off to %(account)s, so the "
                        "invoice is paid.",
                        paid=settlement.paid,
                        total=settlement.open_amount,
                        difference=settlement.write_off,
                        account=write_off.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        payment.write(
            {
                "wc_store_id": store.id,
                "wc_order_id": order.id,
                "wc_gateway_id": gateway.id,
                "wc_gateway": gateway.gateway,
                "wc_transaction_id": order.transaction_id or False,
            }
        )
        return payment

    def _wc_pay(self, moves, gateway, amount, day, memo, write_off=None):
        """Register a payment of ``amount`` on ``moves`` on ``day`` the way Odoo's "Register payment" does;
        reconciled. ``write_off`` ``(account, label)``: the difference to what ``moves`` have open goes there
        (the store's rounding, decided by :func:`..wc_connector.rules.settlement.settle_payment`); otherwise
        a difference stays open."""
        values = {
            "journal_id": gateway.journal_id.id,
            "amount": float(amount),
            "payment_date": day,
            "communication": memo,
            # The store's amount is what changed hands.
            "payment_difference_handling": "open",
        }
        if write_off:
            account, label = write_off
            values.update(payment_difference_handling="reconcile", writeoff_account_id=account.id, writeoff_label=label)
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(values)
        )
        return wizard._create_payments()

    # -- refunds --------------------------------------------------------------------------------

    def _wc_sync_refunds(self, refunds, store):
        """Credit each store refund of the order once: a credit note (by lines or by amount) and, when
        money went back, a refund payment reconciled with it.

        ``refunds``: parsed :class:`Refund` or raw refund dicts (``GET
        orders/<id>/refunds``). Refunds wait until the order has a posted
        invoice. Returns the credit notes created.
        """
        self.ensure_one()
        Move = self.env["account.move"]
        invoices = self._wc_posted_invoices()
        parsed = [refund if isinstance(refund, Refund) else parse_refund(refund) for refund in refunds]
        if not invoices or not parsed:
            return Move
        credited = set(self._wc_linked_refund_moves(store, [refund.id for refund in parsed]).mapped("wc_refund_id"))
        paid = bool(self._wc_order_payments(store))
        tz, today = store._wc_tz(), store._wc_today()
        created = Move
        # Oldest first: the store numbers refunds (posts) in the order they were made.
        for refund in sorted(parsed, key=lambda refund: refund.id):
            if refund.id in credited or refund.amount <= 0:
                continue
            day = credit_note_date(refund.date_created, invoices[:1].invoice_date, tz, today)
            values, plan = self._wc_credit_note_values(refund, invoices[:1], store, day)
            credit = Move.create(values)
            self._wc_set_tax_amounts(credit, plan)
            credit.action_post()
            self._wc_settle_credit_note(credit, invoices, store, refund.id, day, money_back=refund.refunded_payment or paid)
            created |= credit
            credited.add(refund.id)
        return created

    def _wc_credit_remainder(self, order, store):
        """A refunded order: credit what its refunds left uncredited — the whole invoice when nothing was."""
        remainder = self._wc_credit_remainders([(self, order)], store).get(self.id)
        if not remainder:
            return self.env["account.move"]
        credit, refund_id, day = remainder
        credit.action_post()
        self._wc_settle_credit_note(credit, self._wc_posted_invoices(), store, refund_id, day, money_back=order.is_paid)
        return credit

    def _wc_credit_remainders(self, pairs, store):
        """The remainder credit notes of refunded orders ``pairs`` ``[(sale, order)]``, made together as drafts:
        ``{sale id: (credit note, refund id, date)}`` for the orders with something left.

        Posted only after the order's payment is registered: a posted credit
        note reversing the invoice is reconciled with it, leaving nothing to pay.
        Nothing credited yet: the invoice's own lines; else what is left,
        split over what is left of each tax (:func:`plan_credit_note`).
        """
        Move = self.env["account.move"]
        creations = []
        tz, today = store._wc_tz(), store._wc_today()
        for sale, order in pairs:
            invoices = sale._wc_posted_invoices()
            if not invoices:
                continue
            credits = sale._wc_posted_credit_notes()
            currency = sale.currency_id
            remainder = sum(invoices.mapped("amount_total")) - sum(credits.mapped("amount_total"))
            if currency.compare_amounts(remainder, 0) <= 0:
                continue
            linked = set(sale._wc_linked_refund_moves(store, [summary.id for summary in order.refunds]).mapped("wc_refund_id"))
            refund_id = next((summary.id for summary in order.refunds if summary.id not in linked), 0)
            day = credit_note_date(order.date_modified or order.date_completed, invoices[:1].invoice_date, tz, today)
            reason = next((s.reason for s in order.refunds if s.id == refund_id), "") or False
            refund = Refund(
                id=refund_id or 0,
                order_id=order.id,
                amount=Decimal(repr(currency.round(remainder))),
                reason=reason or "",
            )
            credit_values, plan = sale._wc_credit_note_values(refund, invoices[:1], store, day, credits)
            credit_values.update(wc_refund_id=refund_id or False, wc_refund_reason=reason)
            if not credits and len(invoices) == 1:
                # Nothing credited yet: the invoice's own lines, as Odoo's "Reverse" makes them (one create for
                # the page, where ``_reverse_moves`` copies each invoice on its own).
                credit_values.update(ref=self.env._("Refund of %s", invoices.name), invoice_line_ids=[
                    Command.create(line) for line in sale._wc_reversal_lines(invoices)
                ])
                plan = None
            creations.append((sale, refund_id, day, credit_values, plan))
        result = {}
        if creations:
            made = Move.create([item[3] for item in creations])
            for (sale, refund_id, day, _values, plan), credit in zip(creations, made):
                if plan:
                    self._wc_set_tax_amounts(credit, plan)
                result[sale.id] = (credit, refund_id, day)
        return result

    def _wc_reversal_lines(self, invoice):
        """The lines of a credit note reversing all of ``invoice``: its lines, same quantities, prices and taxes."""
        values = []
        for line in invoice.invoice_line_ids:
            if line.display_type != "product":
                values.append({"display_type": line.display_type, "name": line.name, "sequence": line.sequence})
                continue
            values.append(
                {
                    "sequence": line.sequence,
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "quantity": line.quantity,
                    "product_uom_id": line.product_uom_id.id,
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                    "tax_ids": [Command.set(line.tax_ids.ids)],
                    "account_id": line.account_id.id,
                    "analytic_distribution": line.analytic_distribution,
                    "sale_line_ids": [Command.set(line.sale_line_ids.ids)],
                }
            )
        return values

    def _wc_settle_credit_note(self, credit, invoices, store, refund_id, day, money_back):
        """Money went back: a refund payment in the gateway's journal, reconciled with the credit note.
        Otherwise the credit note settles what the invoice still has open."""
        if money_back:
            existing = self.env["account.payment"].search(
                [("wc_store_id", "=", store.id), ("wc_refund_id", "=", refund_id), ("wc_order_id", "=", self.wc_order_id)]
            ) if refund_id else False
            if existing:
                return
            payment = self._wc_order_payments(store)[:1]
            gateway = payment.wc_gateway_id or self._wc_refund_gateway(store)
            refund_payment = self._wc_pay(
                credit,
                gateway,
                amount=credit.amount_residual,
                day=day,
                memo=credit.ref or credit.name,
            )
            refund_payment.write(
                {
                    "wc_store_id": store.id,
                    "wc_order_id": self.wc_order_id,
                    "wc_refund_id": refund_id or False,
                    "wc_gateway_id": gateway.id,
                    "wc_gateway": gateway.gateway,
                    "wc_transaction_id": payment.wc_transaction_id or False,
                }
            )
            return
        lines = (invoices | credit).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        if lines.filtered(lambda line: line.move_id in invoices) and lines.filtered(lambda line: line.move_id == credit):
            lines.reconcile()

    def _wc_refund_gateway(self, store):
        """The gateway money went back through when the order's payment is not in Odoo: the store gateway
        whose title the order shows as its payment method, else the store's "other" gateway."""
        title = self.wc_payment_method if "wc_payment_method" in self._fields else ""
        gateway = store.wc_gateway_ids.filtered(lambda record: title and title in (record.name, record.gateway))[:1]
        return gateway or store._wc_gateway("")

    def _wc_credit_note_values(self, refund, invoice, store, day, credited=None):
        """The credit note of ``refund`` on ``invoice`` dated ``day``, as :func:`plan_credit_note` plans it: the
        refunded lines of ``invoice`` when the refund has lines that all point at invoiced lines, else the
        refunded amount over what ``invoice`` has left of each tax (``credited``: its posted credit notes,
        found when not given). Returns ``(values, plan)``; the plan's tax amounts are set once it exists
        (:meth:`_wc_set_tax_amounts`)."""
        if credited is None:
            credited = self._wc_posted_credit_notes()
        product_lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        plan = plan_credit_note(
            refund,
            self._wc_invoiced_lines(product_lines),
            self._wc_invoiced_lines(credited.invoice_line_ids.filtered(lambda line: line.display_type == "product")),
            currency=invoice.currency_id.name,
            price_digits=self.env["decimal.precision"].precision_get("Product Price"),
        )
        sale_lines = defaultdict(lambda: self.env["sale.order.line"])
        for line in product_lines:
            for sale_line in line.sale_line_ids:
                sale_lines[sale_line[STORE_LINE_FIELD]] |= sale_line
        label = self.env._("Refund %(id)s: %(reason)s", id=refund.id, reason=refund.reason or "-")
        lines = []
        for planned in plan.lines:
            source = self.env["account.move.line"].browse(planned.source) if planned.source else None
            values = {
                "quantity": float(planned.quantity),
                "price_unit": float(planned.price_unit),
                "tax_ids": [Command.set(list(planned.taxes))],
            }
            if planned.is_refunded_line:
                values.update(
                    product_id=source.product_id.id,
                    name=source.name,
                    product_uom_id=source.product_uom_id.id,
                    sale_line_ids=[Command.set(sale_lines[planned.store_line_id].ids)],
                )
            else:
                values["name"] = label
            if source:
                values["account_id"] = source.account_id.id
            lines.append(values)
        values = {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "partner_shipping_id": invoice.partner_shipping_id.id,
            "journal_id": invoice.journal_id.id,
            "currency_id": invoice.currency_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_payment_term_id": invoice.invoice_payment_term_id.id,
            "reversed_entry_id": invoice.id,
            "invoice_origin": invoice.invoice_origin,
            "invoice_date": day,
            "ref": refund.reason or self.env._("Store refund %s", refund.id),
            "wc_refund_id": refund.id or False,
            "wc_refund_reason": refund.reason or False,
            "invoice_line_ids": [Command.create(line) for line in lines],
        }
        values.update(invoice._wc_online_shop_values())
        return values, plan

    @api.model
    def _wc_invoiced_lines(self, lines):
        """Product lines of invoices or credit notes as :class:`InvoicedLine` (the credit note planner's input)."""
        return tuple(
            InvoicedLine(
                key=line.id,
                store_line_id=line.sale_line_ids[:1][STORE_LINE_FIELD] or 0,
                total=Decimal(repr(line.price_total)),
                taxes=tuple(
                    odoo_math.Tax(key=tax.id, amount=Decimal(repr(tax.amount)), price_include=tax.price_include)
                    for tax in line.tax_ids
                ),
            )
            for line in lines
        )

    def _wc_set_tax_amounts(self, credit, plan):
        """Give the draft credit note's tax lines the plan's amounts, to the cent.

        The store refunds its share of each line's tax (2 of 3 papers taxed
        2.8443 give back 1.89), where Odoo would tax the refunded net anew
        (9.98 × 19 % = 1.90); a refunded amount's VAT is its gross share less
        the net. Like a user editing a tax line of a draft invoice, the tax
        line takes that amount; the receivable follows. Only for a tax with one
        tax line (one repartition line).
        """
        if not plan.tax_amounts:
            return
        currency = credit.currency_id
        tax_lines = credit.line_ids.filtered(lambda line: line.display_type == "tax")
        changes = []
        for tax_id, amount in plan.tax_amounts.items():
            line = tax_lines.filtered(lambda line: line.tax_line_id.id == tax_id)
            if len(line) == 1 and currency.compare_amounts(line.amount_currency, float(amount)):
                changes.append(Command.update(line.id, {"amount_currency": float(amount)}))
        if changes:
            credit.write({"line_ids": changes})

    # -- lookups --------------------------------------------------------------------------------

    def _wc_linked_refund_moves(self, store, refund_ids):
        refund_ids = [refund_id for refund_id in refund_ids if refund_id]
        if not refund_ids:
            return self.env["account.move"]
        return self.env["account.move"].search(
            [("wc_store_id", "=", store.id), ("wc_refund_id", "in", refund_ids), ("state", "!=", "cancel")]
        )

    def _wc_uncredited_refund_ids(self, order, store):
        ids = [summary.id for summary in order.refunds]
        linked = set(self._wc_linked_refund_moves(store, ids).mapped("wc_refund_id"))
        return [refund_id for refund_id in ids if refund_id not in linked]

    def _wc_order_payments(self, store):
        return self.env["account.payment"].search(
            [
                ("wc_store_id", "=", store.id),
                ("wc_order_id", "=", self.wc_order_id),
                ("payment_type", "=", "inbound"),
                ("state", "!=", "canceled"),
            ]
        )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # -- a refunded line is not to invoice again --------------------------------------------------

    def _wc_store_credited_qty(self):
        """The quantity of the line the store refunded: on the store's posted credit notes (linked to the line)."""
        self.ensure_one()
        lines = self.invoice_lines.filtered(
            lambda line: line.move_id.move_type == "out_refund" and line.move_id.state == "posted" and line.move_id.wc_store_id
        )
        return sum(line.product_uom_id._compute_quantity(line.quantity, self[LINE_UOM]) for line in lines)

    @api.depends("qty_invoiced", "qty_delivered", "product_uom_qty", "state")
    def _compute_qty_to_invoice(self):  # pylint: disable=missing-return
        """A quantity the store refunded (and Odoo credited) was sold and given back: nothing to invoice again.

        Odoo counts a credit note's quantity as "no longer invoiced", so a
        refunded store order would invite "Create Invoice" for what the
        customer got their money back for.
        """
        super()._compute_qty_to_invoice()
        for line in self.filtered(lambda line: line.order_id.wc_store_id and line.qty_to_invoice > 0):
            credited = line._wc_store_credited_qty()
            if credited:
                line.qty_to_invoice = max(line.qty_to_invoice - credited, 0.0)

    @api.depends("state", "product_uom_qty", "qty_delivered", "qty_to_invoice", "qty_invoiced")
    def _compute_invoice_status(self):  # pylint: disable=missing-return
        """A store line invoiced and then refunded by the store is invoiced (nothing left to do), not "nothing
        to invoice" nor "to invoice"."""
        super()._compute_invoice_status()
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in self.filtered(
            lambda line: line.order_id.wc_store_id and line.state == "sale" and line.invoice_status == "no"
            and not line.display_type and float_is_zero(line.qty_to_invoice, precision_digits=precision)
        ):
            if float_compare(line.qty_invoiced + line._wc_store_credited_qty(), line.product_uom_qty, precision_digits=precision) >= 0:
                line.invoice_status = "invoiced"
