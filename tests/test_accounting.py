"""Invoices, payments, refunds, balance and stock of store orders (issue 3: Payments, Balance, Refunds, Stock).

Each test is one rule. The sale orders are made with the ORM from the real
captured orders (lines at the store's prices, the store's tax rates, the
store line ids refunds point at), confirmed as the order importer leaves
them, then handed to the accounting hook ``sale.order._wc_sync_accounting``
with the parsed captured order and refunds.
"""

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import tagged

from ..models.compat import LINE_TAXES
from ..wc_connector.payloads import parse_order, parse_refund
from .order_fixtures import OrderImportCase, order_body

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "woocommerce"


def capture(name):
    """The body of a captured store answer."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def captured_order(name, order_id=None):
    """A captured order, parsed; ``order_id`` picks one from a list."""
    body = capture(name)
    if isinstance(body, list):
        body = next(data for data in body if data["id"] == order_id)
    return parse_order(body)


def captured_refunds(name, order_id):
    """A captured refunds answer (one refund or a list), parsed."""
    body = capture(name)
    return [parse_refund(data, order_id=order_id) for data in (body if isinstance(body, list) else [body])]


class AccountingCase(AccountTestInvoicingCommon):
    """A store with the captured gateways, a customer, and the sale orders the importer would have made."""

    @classmethod
    def get_default_groups(cls):
        # The accounting test user makes sale orders too: on Odoo 19 it has no Sales rights by default
        # (Odoo's own sale tests add the same group the same way).
        return super().get_default_groups() | cls.env.ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["wc.store"].create({"name": "Lab Shop", "url": "https://shop.example.com"})
        cls.store._wc_setup_gateways(capture("payment_gateways.json"))
        # Set up from store makes the company round tax per line, as the store does; Odoo 19's default is per tax.
        cls.env.company.tax_calculation_rounding_method = "round_per_line"
        cls.customer = cls.env["res.partner"].create({"name": "Anna Schmidt", "email": "anna@example.com"})
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.service = cls.env["product.product"].create(
            {"name": "Shipping and fees", "type": "service", "invoice_policy": "order"}
        )

    def setUp(self):
        super().setUp()
        # Per test: what a test creates is rolled back after it.
        self.products = {}
        self.taxes = {}

    # -- building the sale order the importer would have made -------------------------------------

    def store_tax(self, percent):
        """A price-excluded sale tax of ``percent`` (one per rate, like the store's)."""
        percent = Decimal(percent)
        if percent not in self.taxes:
            self.taxes[percent] = self.env["account.tax"].create(
                {"name": f"VAT {percent} %", "amount": float(percent), "type_tax_use": "sale"}
            )
        return self.taxes[percent]

    def store_product(self, line):
        if line.product_id not in self.products:
            self.products[line.product_id] = self.env["product.product"].create(
                {"name": line.name, "is_storable": True, "invoice_policy": "order", "taxes_id": [Command.clear()]}
            )
        return self.products[line.product_id]

    def sale_for(self, order, confirm=True):
        """The sale order of ``order``: one line per store line at the store's net price, its taxes, its id."""
        rates = {tax_line.rate_id: tax_line.rate_percent for tax_line in order.tax_lines}

        def taxes(part):
            ids = [self.store_tax(rates[tax.rate_id]).id for tax in part.taxes if tax.rate_id in rates]
            return [Command.set(ids)]

        lines = [
            Command.create(
                {
                    "product_id": self.store_product(line).id,
                    "product_uom_qty": line.quantity,
                    "price_unit": float(line.total / line.quantity),
                    LINE_TAXES: taxes(line),
                    "wc_line_id": line.id,
                }
            )
            for line in order.line_items
        ]
        lines += [
            Command.create(
                {
                    "product_id": self.service.id,
                    "name": getattr(part, "method_title", "") or getattr(part, "name", "") or "Fee",
                    "product_uom_qty": 1,
                    "price_unit": float(part.total),
                    LINE_TAXES: taxes(part),
                    "wc_line_id": part.id,
                }
            )
            for part in (*order.shipping_lines, *order.fee_lines)
        ]
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "wc_store_id": self.store.id,
                "wc_order_id": order.id,
                "wc_order_number": order.number,
                "wc_postcode": order.billing.postcode,
                "wc_phone": order.billing.phone,
                "wc_payment_method": order.payment_method,
                "wc_transaction_id": order.transaction_id,
                "order_line": lines,
            }
        )
        self.assertEqual(Decimal(str(sale.amount_total)), order.total, "the test order adds up like the store's")
        if confirm:
            sale.action_confirm()
        return sale

    def order_78(self, **changes):
        """The completed, paid order 78 (T-shirts and shipping, AT 20 %), its refund left out unless asked."""
        return replace(captured_order("order_single_partial_refund.json"), **{"refunds": (), **changes})

    def store_payments(self, order):
        return self.env["account.payment"].search([("wc_store_id", "=", self.store.id), ("wc_order_id", "=", order.id)])


@tagged("post_install", "-at_install")
class TestAccounting(AccountingCase):
    # -- gateways ---------------------------------------------------------------------------------

    def test_gateway_journals_are_created_once(self):
        gateways = self.store.wc_gateway_ids
        self.assertEqual(sorted(gateways.mapped("gateway")), ["bacs", "cheque", "cod"])
        self.assertTrue(all(gateway.journal_id.type == "bank" for gateway in gateways))
        self.assertEqual(len(gateways.journal_id), 3)
        self.assertEqual(
            gateways.filtered(lambda g: g.gateway == "bacs").journal_id.name, "WC Direct bank transfer"
        )
        journals = self.env["account.journal"].search_count([])
        self.store._wc_setup_gateways(capture("payment_gateways.json"))
        self.assertEqual(self.env["account.journal"].search_count([]), journals)
        self.assertEqual(self.store.wc_gateway_ids, gateways)

    # -- status actions and payments ------------------------------------------------------------

    def test_completed_paid_order_is_invoiced_and_paid_with_gateway_and_transaction(self):
        order = self.order_78()
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)

        invoice = sale.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 62.16)
        self.assertEqual((invoice.wc_store_id, invoice.wc_order_number, invoice.wc_transaction_id),
                         (self.store, "78", "TX-100021"))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        payment = self.store_payments(order)
        self.assertEqual(len(payment), 1)
        self.assertEqual((payment.wc_gateway, payment.wc_transaction_id), ("bacs", "TX-100021"))
        self.assertEqual(payment.journal_id, self.store.wc_gateway_ids.filtered(lambda g: g.gateway == "bacs").journal_id)
        self.assertEqual(payment.amount, 62.16)
        self.assertEqual(payment.date, order.date_paid.date())
        self.assertTrue(payment.is_reconciled)
        self.assertEqual(payment.reconciled_invoice_ids, invoice)

    def test_completed_unpaid_order_leaves_the_invoice_open(self):
        order = self.order_78(date_paid=None)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)

        self.assertEqual(sale.invoice_ids.state, "posted")
        self.assertEqual(sale.invoice_ids.payment_state, "not_paid")
        self.assertEqual(sale.invoice_ids.amount_residual, 62.16)
        self.assertFalse(self.store_payments(order))

    def test_processing_order_is_invoiced_when_orders_arrive_as_invoice(self):
        order = self.order_78(status="processing", date_paid=None)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)
        self.assertFalse(sale.invoice_ids, "a processing order stays a confirmed order by default")

        self.store.wc_orders_arrive_as = "invoice"
        sale._wc_sync_accounting(order, self.store)
        self.assertEqual(sale.invoice_ids.state, "posted")
        self.assertEqual(sale.invoice_ids.move_type, "out_invoice")

    # -- refunds --------------------------------------------------------------------------------

    def test_partial_refund_by_lines_gives_a_credit_note_of_the_refunded_lines_and_a_refund_payment(self):
        order = captured_order("order_single_partial_refund.json")
        refunds = captured_refunds("order_refunds_line_item.json", order.id)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=refunds)

        credit = sale._wc_posted_credit_notes()
        self.assertEqual(len(credit), 1)
        self.assertEqual(credit.state, "posted")
        self.assertEqual((credit.wc_refund_id, credit.wc_refund_reason), (98, "Item damaged in transit"))
        self.assertEqual(credit.amount_total, 23.88)
        line = credit.invoice_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_id, self.products[25])
        self.assertEqual((line.quantity, line.price_unit), (1, 19.90))
        self.assertEqual(line.tax_ids, self.store_tax(20))
        self.assertEqual(sale.order_line.filtered(lambda l: l.wc_line_id == 109).qty_invoiced, 1)
        refund_payment = self.store_payments(order).filtered(lambda pay: pay.payment_type == "outbound")
        self.assertEqual(len(refund_payment), 1)
        self.assertEqual((refund_payment.amount, refund_payment.wc_refund_id, refund_payment.wc_gateway),
                         (23.88, 98, "bacs"))
        self.assertTrue(refund_payment.is_reconciled)
        self.assertIn(credit.payment_state, ("paid", "in_payment"))

    def test_refunds_of_lines_and_of_shipping_credit_the_store_amounts_to_the_cent(self):
        # Order 744 (DE 19 % and 7 %): refund 745 takes back 2 of 3 papers and the coffee, refund 746 the shipping.
        # The store taxes the 2 refunded papers 1.89 (its share of the line's 2.8443), where 9.98 × 19 % is 1.90.
        order = replace(captured_order("more/refunds/07_order_after_refund2_get.json"), status="completed")
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("more/refunds/08_order_refunds_list.json", 744))

        credits = sale._wc_posted_credit_notes().sorted("wc_refund_id")
        self.assertEqual(credits.mapped("wc_refund_id"), [745, 746])
        self.assertEqual(credits.mapped("amount_total"), [32.09, 5.83])
        self.assertEqual(credits.mapped("amount_tax"), [3.21, 0.93])
        self.assertEqual(
            [(line.sale_line_ids.wc_line_id, line.quantity, line.price_unit) for line in credits[0].invoice_line_ids],
            [(2812, 2, 4.99), (2814, 1, 18.90)],
        )
        self.assertEqual(credits[1].invoice_line_ids.sale_line_ids.wc_line_id, 2815)

    def test_refund_by_amount_gives_a_credit_note_of_the_amount(self):
        # Its split over the invoice's taxes: test_accounting_signoff.
        order = captured_order("orders_list_p2_with_headers.json", order_id=77)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("order_refunds_amount_only.json", 77))

        credit = sale._wc_posted_credit_notes()
        self.assertEqual(len(credit), 1)
        self.assertEqual(credit.wc_refund_id, 97)
        self.assertFalse(credit.invoice_line_ids.product_id, "an amount, not goods")
        self.assertEqual(credit.amount_total, 10.0)
        self.assertTrue(all("Goodwill: late delivery" in name for name in credit.invoice_line_ids.mapped("name")))
        self.assertEqual(self.store_payments(order).filtered(lambda pay: pay.payment_type == "outbound").amount, 10.0)

    def test_refunded_order_is_credited_whole(self):
        order = captured_order("order_single_refunded_russian.json")
        sale = self.sale_for(order)
        # The refund records were not fetched: the order's status alone credits what is not credited.
        sale._wc_sync_accounting(order, self.store, refunds=[])

        invoice = sale.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        credit = sale._wc_posted_credit_notes()
        self.assertEqual(len(credit), 1)
        self.assertEqual(credit.reversed_entry_id, invoice)
        self.assertEqual(credit.amount_total, invoice.amount_total)
        self.assertEqual(credit.amount_total, 1912.25)
        self.assertEqual(len(credit.invoice_line_ids), len(invoice.invoice_line_ids))
        self.assertEqual(credit.wc_refund_id, 100, "linked to the order's refund, so the record is not credited again")
        self.assertEqual((credit.wc_store_id, credit.wc_order_number), (self.store, "95"))
        refund_payment = self.store_payments(order).filtered(lambda pay: pay.payment_type == "outbound")
        self.assertEqual((refund_payment.amount, refund_payment.wc_gateway), (1912.25, "cod"))
        self.assertIn(credit.payment_state, ("paid", "in_payment"))

    def test_running_the_hook_twice_creates_nothing_new(self):
        order = captured_order("order_single_partial_refund.json")
        refunds = captured_refunds("order_refunds_line_item.json", order.id)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=refunds)
        moves, payments = sale.invoice_ids | sale._wc_posted_credit_notes(), self.store_payments(order)
        messages = len(sale.message_ids)
        self.assertEqual(len(moves), 2)
        self.assertEqual(len(payments), 2)

        sale._wc_sync_accounting(order, self.store, refunds=refunds)
        # The order lists refund 98, now credited: nothing is fetched from the store either.
        sale._wc_sync_accounting(order, self.store)
        sale._wc_sync_refunds([capture("order_refunds_line_item.json")[0]], self.store)
        self.assertEqual(sale.invoice_ids | sale._wc_posted_credit_notes(), moves)
        self.assertEqual(self.store_payments(order), payments)
        self.assertEqual(len(sale.message_ids), messages)

    # -- balance --------------------------------------------------------------------------------

    def test_balance_follows_invoice_payment_and_refund(self):
        self.assertEqual(self.customer.wc_balance, 0)
        paid = self.order_78()
        unpaid = self.order_78(date_paid=None)
        sale = self.sale_for(paid)
        sale._wc_sync_accounting(unpaid, self.store)
        self.customer.invalidate_recordset(["wc_balance"])
        self.assertAlmostEqual(self.customer.wc_balance, 62.16, msg="the invoice is owed")

        sale._wc_sync_accounting(paid, self.store)
        self.customer.invalidate_recordset(["wc_balance"])
        self.assertAlmostEqual(self.customer.wc_balance, 0, msg="the payment settles it")

        sale._wc_sync_refunds(captured_refunds("order_refunds_line_item.json", 78), self.store)
        self.customer.invalidate_recordset(["wc_balance"])
        self.assertAlmostEqual(self.customer.wc_balance, 0, msg="credit note and refund payment cancel out")

    def test_balance_of_an_unpaid_refunded_order_is_what_is_left_and_counts_for_the_company(self):
        company = self.env["res.partner"].create({"name": "Muster GmbH", "is_company": True})
        self.customer.parent_id = company
        order = self.order_78(date_paid=None)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("order_refunds_line_item.json", 78))

        self.assertFalse(self.store_payments(order), "nothing was paid, so no money went back")
        self.assertAlmostEqual(self.customer.wc_balance, 62.16 - 23.88)
        self.assertAlmostEqual(company.wc_balance, 62.16 - 23.88)
        invoice = sale.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        self.assertAlmostEqual(invoice.amount_residual, 62.16 - 23.88, msg="the credit note settles part of the invoice")

    # -- stock ----------------------------------------------------------------------------------

    def test_completed_order_validates_its_delivery_and_stock_moves(self):
        order = self.order_78()
        sale = self.sale_for(order, confirm=False)
        tshirt = self.products[25]
        self.env["stock.quant"]._update_available_quantity(tshirt, self.warehouse.lot_stock_id, 10)
        sale.action_confirm()
        self.assertEqual(tshirt.qty_available, 10)

        sale._wc_sync_accounting(order, self.store)
        self.assertEqual(sale.picking_ids.mapped("state"), ["done"])
        self.assertEqual(tshirt.with_context(warehouse_id=self.warehouse.id).qty_available, 8)
        self.assertEqual(sale.order_line.filtered(lambda line: line.product_id == tshirt).qty_delivered, 2)

    def test_delivery_is_left_to_the_warehouse_when_the_store_setting_is_off(self):
        self.store.wc_validate_delivery = False
        order = self.order_78()
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)
        self.assertEqual(sale.picking_ids.mapped("state"), ["confirmed"])
        self.assertEqual(sale.invoice_ids.state, "posted")

    def test_completed_mapped_to_invoiced_only_leaves_the_delivery_to_the_warehouse(self):
        # The store's status table says "completed" means invoiced, not shipped: no delivery is validated.
        self.store.wc_status_ids = [Command.create({"wc_status": "completed", "target": "invoice"})]
        order = self.order_78()
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)
        self.assertEqual(sale.picking_ids.mapped("state"), ["confirmed"])
        self.assertEqual(sale.invoice_ids.state, "posted")

    def test_a_custom_status_mapped_to_delivered_validates_the_delivery(self):
        # A plugin's "shipped" status is what the store's table maps to "delivered and invoiced".
        self.store.wc_status_ids = [Command.create({"wc_status": "shipped", "target": "delivered"})]
        order = self.order_78(status="shipped")
        sale = self.sale_for(order, confirm=False)
        sale._wc_sync_accounting(order, self.store)
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.picking_ids.mapped("state"), ["done"])
        self.assertEqual(sale.invoice_ids.state, "posted")


@tagged("post_install", "-at_install")
class TestAccountingThroughImport(OrderImportCase):
    """The hook as the order import calls it: refunds fetched from the (emulated) store."""

    def test_imported_partially_refunded_order_gets_its_refunds_from_the_store_once(self):
        data = order_body("order_single_partial_refund.json")
        self.import_orders(data)
        sale = self.sale_of(78)
        invoice = sale.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", 62.16))
        self.assertEqual(invoice.wc_order_number, "78")
        payments = self.env["account.payment"].search([("wc_store_id", "=", self.store.id), ("wc_order_id", "=", 78)])
        self.assertEqual(sorted(payments.mapped("payment_type")), ["inbound", "outbound"])
        self.assertEqual(set(payments.mapped("wc_gateway")), {"bacs"})
        credit = sale._wc_posted_credit_notes()
        self.assertEqual((credit.wc_refund_id, credit.amount_total), (98, 23.88))
        self.assertEqual(credit.invoice_line_ids.sale_line_ids.wc_line_id, 109)

        # The store sends the order again, modified an hour later (nothing about it changed in accounting).
        self.import_orders(dict(data, date_modified_gmt=data["date_modified_gmt"].replace("T14:", "T15:")))
        self.assertEqual(sale._wc_posted_credit_notes(), credit)
        self.assertEqual(
            self.env["account.payment"].search([("wc_store_id", "=", self.store.id), ("wc_order_id", "=", 78)]),
            payments,
        )
        # A partial refund is not a refunded order: re-importing it writes no "already credited" note.
        self.assertFalse(sale.message_ids.filtered(lambda message: "credited" in (message.body or "")))

    def test_a_delivery_that_cannot_be_validated_leaves_the_rest_of_the_page_done(self):
        # The page's deliveries are validated together; a serial-tracked product (no serial numbers from
        # the store) makes that refuse, and the orders go one by one: only that order's delivery waits.
        self.env["product.product"].create(
            {"name": "Notebook (serials)", "default_code": "LAB-NOTEBOOK", "is_storable": True, "tracking": "serial"}
        )
        page = [order_body("orders_list_p2_with_headers.json", 79), order_body("orders_list_p2_with_headers.json", 83)]
        counts = self.import_orders(*page)
        self.assertEqual((counts["created"], counts["failed"]), (2, 0))
        tracked, plain = self.sale_of(79), self.sale_of(83)
        self.assertEqual(set(plain.picking_ids.mapped("state")), {"done"})
        self.assertNotIn("done", tracked.picking_ids.mapped("state"))
        self.assertTrue(any("deliver" in (body or "").lower() for body in tracked.message_ids.mapped("body")))
        for sale in (tracked, plain):
            self.assertEqual(sale.invoice_ids.filtered(lambda move: move.move_type == "out_invoice").state, "posted")
