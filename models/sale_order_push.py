"""What in Odoo asks for an order push to the store, and the Odoo state a push reads.

An order of a store asks for a push when, in Odoo and not by the import:
its delivery is validated (``stock.picking._action_done``), its invoice is
paid (``account.move._invoice_paid_hook``), it is cancelled
(``sale.order._action_cancel``) — the *status* scope — or its customer,
invoice or delivery address is changed — the *customer* scope. Asking only
marks the order (``wc_push_scope``, ``wc_push_requested_at``) and queues the
store's push job (identity-keyed, a few seconds later); the job reads the
order's state *when it runs*, so quick successive changes end as one write
with the final state, and no HTTP ever happens inside the user's
transaction: the job exists only once that transaction commits.

The import writes with ``wc_import`` in its context: what the store itself
did is never pushed back to it.
"""


from odoo import fields, models

from ..wc_connector.payloads.dates import as_utc
from ..wc_connector.rules import echo, order_push
from ..wc_connector.rules.directions import CONTACTS, ORDERS

#: Which kind of data (who is master of what) each push scope belongs to.
SCOPE_KINDS = {order_push.SCOPE_STATUS: ORDERS, order_push.SCOPE_CUSTOMER: CONTACTS}

#: The sale order fields whose change is a customer change of the store order.
CUSTOMER_FIELDS = ("partner_id", "partner_invoice_id", "partner_shipping_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    wc_push_scope = fields.Char(
        string="Waiting to be sent to the store", copy=False, readonly=True,
        help="What Odoo changed that the next push writes to the store order (status, customer).")
    wc_push_requested_at = fields.Datetime(string="Changed in Odoo at", copy=False, readonly=True)
    wc_sync_token = fields.Char(string="Last write token", copy=False, readonly=True,
                                help="The token of the connector's last write to the store order (its echo carries it).")
    wc_pushed_modified = fields.Datetime(string="Last write modified", copy=False, readonly=True,
                                         help="The store's date_modified after the connector's last write.")

    # -- asking for a push -------------------------------------------------------------------------

    def _wc_request_push(self, scope):
        """Mark these orders' ``scope`` to be written to their stores and queue the stores' push jobs.

        Orders not from a store, writes by the import, and scopes whose kind
        of data does not flow Odoo → store (the store's directions) ask for
        nothing.
        """
        if self.env.context.get("wc_import"):
            return
        orders = self.sudo().filtered(
            lambda sale: sale.wc_store_id and sale.wc_order_id
            and sale.wc_store_id._wc_allows_export(SCOPE_KINDS[scope]))
        if not orders:
            return
        now = fields.Datetime.now()
        groups = {}
        for sale in orders:
            scopes = ",".join(sorted(set(filter(None, (sale.wc_push_scope or "").split(","))) | {scope}))
            groups[scopes] = groups.get(scopes, sale.browse()) | sale
        for scopes, sales in groups.items():
            # Plain write on our own bookkeeping fields (one per scope set): it is not a customer change.
            super(SaleOrder, sales).write(  # pylint: disable=super-method-mismatch
                {"wc_push_scope": scopes, "wc_push_requested_at": now})
        for store in orders.wc_store_id:
            store._wc_enqueue_order_push()

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in CUSTOMER_FIELDS):
            self._wc_request_push(order_push.SCOPE_CUSTOMER)
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._wc_request_push(order_push.SCOPE_STATUS)
        return result

    def _wc_is_push_echo(self, data):
        """Whether the store record ``data`` is exactly what our last write to it left (:func:`echo.is_echo`)."""
        self.ensure_one()
        pushed = self.wc_pushed_modified
        return echo.is_echo(data, self.wc_sync_token, as_utc(pushed))

    # -- the Odoo state a push reads ---------------------------------------------------------------------

    def _wc_push_facts(self):
        """:class:`~..wc_connector.rules.order_push.OrderFacts` of this order, as it is now."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")
        outgoing = self.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing")
        done = outgoing.filtered(lambda picking: picking.state == "done")
        return order_push.OrderFacts(
            cancelled=self.state == "cancel",
            delivered=bool(done) and all(picking.state in ("done", "cancel") for picking in outgoing),
            paid=bool(invoices) and all(move.payment_state in ("paid", "in_payment") for move in invoices),
            tracking=tuple(_trackings(done)),
        )

    def _wc_push_customer(self, links):
        """:class:`~..wc_connector.rules.order_push.CustomerFacts` of this order's customer.

        ``links`` is ``{partner id: store customer id}`` of the order's store
        (gathered in bulk by the job). A partner that belongs to a company is
        the company's contact person; a company's own account, else the
        person's, is the store customer.
        """
        self.ensure_one()
        partner = self.partner_id
        commercial = partner.commercial_partner_id
        company = commercial if commercial.is_company else partner.browse()
        person = partner if not partner.is_company else partner.browse()
        shipping = self.partner_shipping_id if self.partner_shipping_id not in (partner, company) else person
        account = links.get(partner.id) or (links.get(company.id) if company else 0) or 0
        return order_push.CustomerFacts(
            name=person.name or "",
            phone=person.phone or "",
            email=person.email or "",
            company=company.name or partner.company_name or "",
            corporate=bool(company) or bool(partner.company_name),
            store_customer_id=account,
            shipping_name=shipping.name or "",
            shipping_phone=shipping.phone or "",
        )


def _trackings(pickings):
    """Carrier and tracking reference of validated deliveries (``stock_delivery``'s fields)."""
    for picking in pickings:
        number = picking.carrier_tracking_ref
        if number:
            yield order_push.Tracking(
                carrier=picking.carrier_id.name or "",
                number=number,
                shipped_on=fields.Date.to_string(picking.date_done.date()) if picking.date_done else "",
            )


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        delivered = self.filtered(lambda picking: picking.picking_type_code == "outgoing" and picking.state == "done")
        delivered.sale_id._wc_request_push(order_push.SCOPE_STATUS)
        return result


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self.line_ids.sale_line_ids.order_id._wc_request_push(order_push.SCOPE_STATUS)
        return result
