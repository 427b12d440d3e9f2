"""Accounting an accountant signs off (issue 7 §4): invoices close, documents carry the store's dates in the
company's time zone, refunds reverse their VAT to the cent, the connector's taxes post to the company's tax
accounts and report lines, nothing changes the company's rounding silently, a refunded order does not ask to
be invoiced again, and names say their currency once."""

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..wc_connector.payloads import parse_refund
from .order_fixtures import OrderImportCase, order_body
from .test_accounting import AccountingCase, captured_order, captured_refunds

UTC = timezone.utc


def money(value):
    return Decimal(repr(value)).quantize(Decimal("0.01"))


@tagged("post_install", "-at_install")
class TestAccountingSignOff(AccountingCase):
    # -- invoices close ------------------------------------------------------------------------

    def test_store_total_a_cent_below_the_invoice_is_written_off_and_the_invoice_closes(self):
        order = self.order_78()
        sale = self.sale_for(order)
        # The store rounded tax at subtotal: it charged 62.15 for lines Odoo (and the store's own lines) total 62.16.
        sale._wc_sync_accounting(replace(order, total=Decimal("62.15")), self.store)

        invoice = sale.invoice_ids
        self.assertEqual(invoice.amount_total, 62.16)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0)
        payment = self.store_payments(order)
        self.assertEqual(payment.amount, 62.15, "the payment is what the customer paid")
        expense = self.env.company.default_cash_difference_expense_account_id
        self.assertTrue(expense)
        write_off = payment.move_id.line_ids.filtered(lambda line: line.account_id == expense)
        self.assertEqual(write_off.balance, 0.01)
        notes = invoice.message_ids.mapped("body")
        self.assertTrue(any("0.01" in (body or "") and expense.code in (body or "") for body in notes), notes)

    def test_store_total_a_cent_above_goes_to_the_stores_own_write_off_account(self):
        account = self.env["account.account"].create(
            {"name": "Shop rounding", "code": "WCROUND", "account_type": "expense"}
        )
        self.store.wc_write_off_account_id = account
        order = self.order_78()
        sale = self.sale_for(order)
        sale._wc_sync_accounting(replace(order, total=Decimal("62.17")), self.store)

        self.assertIn(sale.invoice_ids.payment_state, ("paid", "in_payment"))
        payment = self.store_payments(order)
        self.assertEqual(payment.amount, 62.17)
        self.assertEqual(payment.move_id.line_ids.filtered(lambda line: line.account_id == account).balance, -0.01)

    def test_a_rounding_difference_without_a_write_off_account_stays_open_and_says_why(self):
        self.env.company.default_cash_difference_expense_account_id = False
        order = self.order_78()
        sale = self.sale_for(order)
        sale._wc_sync_accounting(replace(order, total=Decimal("62.15")), self.store)
        invoice = sale.invoice_ids
        self.assertEqual(invoice.payment_state, "partial")
        self.assertAlmostEqual(invoice.amount_residual, 0.01)
        notes = invoice.message_ids.mapped("body")
        self.assertTrue(any("write-off account" in (body or "") for body in notes), notes)

    def test_a_real_difference_is_not_written_off(self):
        order = self.order_78()
        sale = self.sale_for(order)
        sale._wc_sync_accounting(replace(order, total=Decimal("50.00")), self.store)
        self.assertEqual(sale.invoice_ids.payment_state, "partial")
        self.assertAlmostEqual(sale.invoice_ids.amount_residual, 12.16)

    # -- dates -----------------------------------------------------------------------------------

    def test_documents_are_dated_by_the_stores_dates_in_the_companys_time_zone(self):
        self.env.company.partner_id.tz = "Europe/Berlin"
        # Paid 23:40 and completed 23:50 UTC on the 23rd: the 24th in Berlin. The refund is stamped 14:50 UTC
        # on the 23rd, before the completion: its credit note may not come before the invoice.
        order = replace(
            captured_order("order_single_partial_refund.json"),
            date_paid=datetime(2026, 11, 23, 23, 40, tzinfo=UTC),
            date_completed=datetime(2026, 11, 23, 23, 50, tzinfo=UTC),
        )
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("order_refunds_line_item.json", 78))

        invoice = sale._wc_posted_invoices()
        self.assertEqual(invoice.invoice_date, date(2026, 11, 24))
        payments = self.store_payments(order)
        self.assertEqual(payments.filtered(lambda pay: pay.payment_type == "inbound").date, date(2026, 11, 24))
        credit = sale._wc_posted_credit_notes()
        self.assertEqual(credit.invoice_date, date(2026, 11, 24), "never before its invoice")
        self.assertEqual(payments.filtered(lambda pay: pay.payment_type == "outbound").date, date(2026, 11, 24))

    def test_a_later_refund_is_dated_by_its_own_day(self):
        self.env.company.partner_id.tz = "Europe/Berlin"
        order = self.order_78()  # completed and paid 2026-11-23 14:50 UTC
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)
        refund = replace(captured_refunds("order_refunds_line_item.json", 78)[0],
                         date_created=datetime(2026, 12, 1, 23, 15, tzinfo=UTC))
        sale._wc_sync_refunds([refund], self.store)
        self.assertEqual(sale._wc_posted_invoices().invoice_date, date(2026, 11, 23))
        self.assertEqual(sale._wc_posted_credit_notes().invoice_date, date(2026, 12, 2))

    # -- VAT on refunds ----------------------------------------------------------------------------

    def test_amount_only_refund_reverses_output_vat_over_the_invoice_tax_mix(self):
        # Order 77: 143.30 without tax (gift card, fees) and 1716.51 gross at NL 21 %; refund 97 is 10.00 by amount.
        order = captured_order("orders_list_p2_with_headers.json", order_id=77)
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("order_refunds_amount_only.json", 77))

        credit = sale._wc_posted_credit_notes()
        self.assertEqual(credit.amount_total, 10.0)
        self.assertEqual(credit.amount_tax, 1.60)
        self.assertEqual(credit.amount_untaxed, 8.40)
        taxed = credit.invoice_line_ids.filtered("tax_ids")
        self.assertEqual(taxed.tax_ids, self.store_tax(21))
        self.assertEqual(taxed.price_subtotal, 7.63)
        self.assertIn("Goodwill: late delivery", taxed.name)

    def test_refunded_order_remainder_after_a_line_refund_reverses_the_vat_left(self):
        # Order 78 (all AT 20 %): refund 98 credits one T-shirt by lines; the order then turns "refunded".
        order = captured_order("order_single_partial_refund.json")
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("order_refunds_line_item.json", 78))
        sale._wc_sync_accounting(replace(order, status="refunded"), self.store, refunds=[])

        invoice = sale._wc_posted_invoices()
        credits = sale._wc_posted_credit_notes()
        self.assertEqual(len(credits), 2)
        self.assertAlmostEqual(sum(credits.mapped("amount_total")), invoice.amount_total)
        self.assertAlmostEqual(sum(credits.mapped("amount_tax")), invoice.amount_tax, msg="all output VAT reversed")
        remainder = credits.filtered(lambda move: move.wc_refund_id != 98)
        self.assertEqual((remainder.amount_untaxed, remainder.amount_tax), (31.90, 6.38))

    def test_refund_by_lines_with_a_unit_price_not_exact_in_cents_credits_the_store_amount(self):
        # Order 744: 3 papers at 4.99 (19 %). A refund of 2 papers for 9.97 net (1.89 tax): 4.985 each.
        order = replace(captured_order("more/refunds/07_order_after_refund2_get.json"), status="completed", refunds=())
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store)
        refund = parse_refund({
            "id": 9001, "amount": "11.86", "reason": "Discounted return", "date_created_gmt": "2026-11-24T10:00:00",
            "line_items": [{"id": 9002, "name": "Copy Paper A4 80g (500 sheets)", "product_id": 11, "quantity": -2,
                            "total": "-9.97", "total_tax": "-1.89", "taxes": [{"id": 1, "total": "-1.8943"}],
                            "meta_data": [{"key": "_refunded_item_id", "value": "2812"}]}],
        }, order_id=744)
        sale._wc_sync_refunds([refund], self.store)

        credit = sale._wc_posted_credit_notes()
        self.assertEqual((credit.amount_untaxed, credit.amount_tax, credit.amount_total), (9.97, 1.89, 11.86))
        self.assertEqual(sorted(credit.invoice_line_ids.mapped("price_unit")), [4.98, 4.99])
        self.assertEqual(set(credit.invoice_line_ids.sale_line_ids.mapped("wc_line_id")), {2812})

    # -- nothing left to invoice -------------------------------------------------------------------

    def test_fully_refunded_order_does_not_invite_create_invoice(self):
        order = captured_order("order_single_refunded_russian.json")
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=[])
        self.assertTrue(sale._wc_posted_credit_notes())
        self.assertEqual(sale.invoice_status, "invoiced")
        self.assertFalse(any(sale.order_line.mapped("qty_to_invoice")))

    def test_a_line_refunded_by_the_store_is_not_to_invoice_again(self):
        order = captured_order("order_single_partial_refund.json")
        sale = self.sale_for(order)
        sale._wc_sync_accounting(order, self.store, refunds=captured_refunds("order_refunds_line_item.json", 78))
        line = sale.order_line.filtered(lambda l: l.wc_line_id == 109)
        self.assertEqual(line.qty_invoiced, 1)
        self.assertEqual(line.qty_to_invoice, 0)
        self.assertNotEqual(sale.invoice_status, "to invoice")

    # -- taxes of "Set up from store" ---------------------------------------------------------------

    def test_setup_taxes_post_to_the_accounts_and_report_lines_of_the_companys_sale_tax(self):
        company = self.env.company
        country = company.account_fiscal_country_id
        template = self.company_data["default_tax_sale"]
        tag = self.env["account.account.tag"].create(
            {"name": "+81 base", "applicability": "taxes", "country_id": country.id}
        )
        tax_tag = self.env["account.account.tag"].create(
            {"name": "+81 tax", "applicability": "taxes", "country_id": country.id}
        )
        for lines in (template.invoice_repartition_line_ids, template.refund_repartition_line_ids):
            lines.filtered(lambda line: line.repartition_type == "base").tag_ids = tag
            lines.filtered(lambda line: line.repartition_type == "tax").tag_ids = tax_tag
        rates = [
            {"id": 901, "country": country.code, "rate": "13.5000", "name": "Reduced", "class": "reduced-rate"},
            {"id": 902, "country": "", "rate": "%.4f" % template.amount, "name": "Standard", "class": ""},
            {"id": 903, "country": "ZZ" if country.code != "ZZ" else "YY", "rate": "13.5000", "name": "Foreign"},
        ]
        self.store._wc_setup_orders(rates, template.price_include)
        links = {link.wc_rate_id: link.tax_id for link in self.store.wc_tax_link_ids}

        self.assertEqual(links[902], template, "an existing tax of the same rate and price mode is used")
        created = links[901]
        self.assertNotEqual(created, template)
        self.assertEqual(created.amount, 13.5)
        for kind in ("invoice_repartition_line_ids", "refund_repartition_line_ids"):
            ours = created[kind].filtered(lambda line: line.repartition_type == "tax")
            theirs = template[kind].filtered(lambda line: line.repartition_type == "tax")
            self.assertTrue(theirs.account_id)
            self.assertEqual(ours.account_id, theirs.account_id)
            self.assertEqual(ours.tag_ids, tax_tag)
            self.assertEqual(created[kind].filtered(lambda line: line.repartition_type == "base").tag_ids, tag)
        foreign = links[903]
        self.assertNotEqual(foreign, created, "a foreign rate is not booked as a domestic one")
        foreign_tax_lines = foreign.invoice_repartition_line_ids.filtered(lambda line: line.repartition_type == "tax")
        self.assertEqual(foreign_tax_lines.account_id, template.invoice_repartition_line_ids.filtered(
            lambda line: line.repartition_type == "tax").account_id)
        self.assertFalse(foreign.invoice_repartition_line_ids.tag_ids, "the domestic report lines are not its lines")
        # The same rate in the other price mode: a tax of its own, posting and grouped like the company's.
        other_mode = self.env["wc.tax.link"]._wc_setup_taxes(self.store, [rates[1]], not template.price_include).tax_id
        self.assertNotEqual(other_mode, template)
        self.assertEqual(other_mode.price_include, not template.price_include)
        self.assertEqual(other_mode.tax_group_id, template.tax_group_id)
        self.assertEqual(other_mode.invoice_repartition_line_ids.tag_ids, tag | tax_tag)

    def test_setup_does_not_change_the_companys_rounding_silently(self):
        company = self.env.company
        company.tax_calculation_rounding_method = "round_globally"
        self.store._wc_setup_orders([], False)
        self.assertEqual(company.tax_calculation_rounding_method, "round_globally")
        self.assertTrue(self.store.wc_tax_rounding_warning)

        # A company-wide accounting setting: only on request, by a WooCommerce manager who administers accounting.
        clerk = new_test_user(self.env, login="wc_clerk", groups="base.group_user,woocommerce_connector.group_wc_manager")
        with self.assertRaises(AccessError):
            self.store.with_user(clerk).action_wc_round_tax_per_line()
        accountant = new_test_user(
            self.env, login="wc_accountant",
            groups="base.group_user,woocommerce_connector.group_wc_manager,account.group_account_manager",
        )
        self.store.with_user(accountant).action_wc_round_tax_per_line()
        self.assertEqual(company.tax_calculation_rounding_method, "round_per_line")
        self.assertFalse(self.store.wc_tax_rounding_warning)
        self.assertTrue(any("per line" in (body or "") for body in self.store.message_ids.mapped("body")))


@tagged("post_install", "-at_install")
class TestAccountingSignOffThroughImport(OrderImportCase):
    def test_imported_order_the_store_totals_a_cent_off_is_paid_in_full(self):
        data = order_body("more/tax/incl-no_rsub-yes/o3_de_guest_both-coupons_two-fees_paid.json")
        self.import_orders(dict(data, status="completed"))
        sale = self.sale_of(731)
        invoice = sale.invoice_ids
        self.assertEqual(money(invoice.amount_total) - Decimal(data["total"]), Decimal("0.01"))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0)

    def test_pricelist_names_say_their_currency_once(self):
        self.import_orders(order_body("order_single_partial_refund.json"))
        pricelist = self.sale_of(78).pricelist_id
        self.assertEqual(pricelist.display_name.count("(EUR)"), 1, pricelist.display_name)
