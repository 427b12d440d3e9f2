"""Store orders tell their customer about each step of the sale (seed A.6): once per step, in their language."""

import copy
from datetime import datetime, timedelta

import psycopg2

from odoo.addons.mail.tests.common import MockEmail
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import activate_persian_and_russian
from .order_fixtures import OrderImportCase, captured_orders

LONG_AGO = datetime(2000, 1, 1)


def by_id(order_id):
    return copy.deepcopy(next(data for data in captured_orders() if data["id"] == order_id))


def later(data, **changes):
    """A copy of an order payload modified an hour later in the store."""
    data = copy.deepcopy(data)
    modified = datetime.fromisoformat(data["date_modified_gmt"]) + timedelta(hours=1)
    data["date_modified_gmt"] = data["date_modified"] = modified.isoformat(timespec="seconds")
    data.update(changes)
    return data


@tagged("post_install", "-at_install")
class TestStepMessages(OrderImportCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_persian_and_russian(cls.env)

    def setUp(self):
        super().setUp()
        # The captured orders are from before the store was connected: let them count as new.
        self.store.wc_messages_go_live = LONG_AGO

    def steps(self, **switches):
        """Switch every step on and Odoo-sent, then apply ``switches`` {step: (enabled, store_sends)}."""
        for row in self.store.wc_message_step_ids:
            row.write(dict(zip(("enabled", "store_sends"), switches.get(row.step, (True, False)))))

    def customer_speaking(self, data, lang):
        """The order's store customer, known to Odoo already and reading ``lang``."""
        partner = self.env["res.partner"].create(
            {"name": data["billing"]["first_name"], "email": data["billing"]["email"], "lang": lang})
        self.env["wc.customer.link"].create(
            {"store_id": self.store.id, "wc_customer_id": data["customer_id"], "partner_id": partner.id})
        return partner

    def customer_messages(self, sale):
        return sale.message_ids.filtered(lambda m: m.message_type == "comment" and sale.partner_id in m.partner_ids)

    def sent(self, sale):
        return {row.step: row.skip_reason or row.state for row in sale.wc_message_sent_ids}

    def test_a_store_gets_every_step_with_woocommerce_mails_left_to_the_store(self):
        rows = self.store.wc_message_step_ids
        self.assertEqual(rows.mapped("step"), ["received", "confirmed", "shipped", "invoiced", "paid", "refunded", "cancelled"])
        self.assertEqual(set(rows.filtered("store_sends").mapped("step")), {"received", "confirmed", "shipped", "refunded"})
        self.assertTrue(all(rows.mapped("enabled")) and all(rows.mapped("template_id")))

    def test_stores_connected_before_the_messages_existed_get_their_steps(self):
        self.store.wc_message_step_ids.unlink()
        self.env["wc.store"]._wc_ensure_message_steps()
        self.assertEqual(len(self.store.wc_message_step_ids), 7)
        self.assertEqual(self.store.wc_message_step_ids.filtered("store_sends").mapped("step"),
                         ["received", "confirmed", "shipped", "refunded"])

    def test_a_completed_paid_order_gets_shipping_and_invoice_once_in_persian_with_the_pdf(self):
        self.steps()
        data = by_id(81)  # completed and paid; Ali Rezaei, Iran
        partner = self.customer_speaking(data, "fa_IR")
        with self.mock_mail_gateway():
            self.import_orders(data)
        sale = self.sale_of(81)
        self.assertEqual(sale.partner_id.lang, "fa_IR")
        self.assertEqual(self.sent(sale), {
            "received": "superseded", "confirmed": "superseded", "shipped": "sent", "invoiced": "sent",
            "paid": "superseded",
        })
        messages = self.customer_messages(sale)
        self.assertEqual(len(messages), 2)
        invoice_mail = messages.filtered(lambda m: "فاکتور سفارش" in (m.subject or ""))
        self.assertIn(data["number"], invoice_mail.subject)
        self.assertIn("فاکتور سفارش شما به این پیام پیوست شده است.", invoice_mail.body)
        self.assertIn("سلام", invoice_mail.body)
        self.assertEqual(invoice_mail.attachment_ids.mapped("name"),
                         [f"{sale.invoice_ids[:1].name.replace('/', '_')}.pdf"])
        shipped_mail = messages - invoice_mail
        self.assertIn("سفارش شما در راه است.", shipped_mail.body)
        # The e-mails went out to the customer (the chatter keeps the messages).
        mailed = [mail for mail in self._mails if partner.email in "".join(mail["email_to"])]
        self.assertEqual(sorted(mail["subject"] for mail in mailed), sorted(messages.mapped("subject")))

        # The order syncs again, and again: nothing more is sent.
        self.import_orders(later(data))
        sale._wc_send_step_messages()
        self.assertEqual(len(self.customer_messages(sale)), 2)

    def test_the_invoice_message_goes_out_even_when_no_pdf_can_be_made(self):
        # force_report_rendering: Odoo renders a real PDF, which needs wkhtmltopdf; without it, no attachment.
        self.steps()
        with mute_logger("odoo.addons.woocommerce_connector.models.sale_order_messages"):
            self.store.with_context(force_report_rendering=True)._wc_import_orders([by_id(79)])
        sale = self.sale_of(79)
        self.assertEqual(self.sent(sale)["invoiced"], "sent")
        self.assertTrue(self.customer_messages(sale).filtered(lambda m: "invoice" in (m.subject or "")))

    def test_a_template_that_cannot_render_never_blocks_the_import(self):
        self.steps()
        self.env.ref("woocommerce_connector.mail_template_wc_step_received").body_html = '<p t-out="object.no_such_field"/>'
        with mute_logger("odoo.addons.woocommerce_connector.models.sale_order_messages"):
            self.import_orders(by_id(57))
        sale = self.sale_of(57)
        self.assertTrue(sale)
        self.assertFalse(sale.wc_message_sent_ids)  # nothing claimed: the next sync tries again

    def test_the_database_refuses_a_second_message_for_the_same_order_and_step(self):
        self.steps()
        self.import_orders(by_id(63))
        sale = self.sale_of(63)
        self.assertEqual(self.sent(sale)["confirmed"], "sent")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env["wc.message.sent"].create(
                {"sale_order_id": sale.id, "store_id": self.store.id, "step": "confirmed", "state": "sent"})
        # Claiming it again inserts nothing, so nothing is sent.
        self.assertEqual(self.env["wc.message.sent"]._wc_claim([(sale, self.store, "confirmed", "sent", None)]), [])

    def test_russian_customers_read_russian(self):
        self.steps(shipped=(False, False))
        data = by_id(79)  # completed and paid; Иван Петров, Russia
        self.customer_speaking(data, "ru_RU")
        self.import_orders(data)
        message = self.customer_messages(self.sale_of(79))
        self.assertEqual(len(message), 1)
        self.assertIn("Счёт по вашему заказу приложен к этому сообщению.", message.body)
        self.assertIn("Здравствуйте, ", message.body)
        self.assertIn(f"счёт по заказу {data['number']}", message.subject)

    def test_by_default_odoo_sends_only_what_the_store_does_not(self):
        # Out of the box WooCommerce mails "completed": Odoo sends the invoice, not the shipping notice.
        data = by_id(79)
        self.import_orders(data)
        sale = self.sale_of(79)
        self.assertEqual(self.sent(sale), {
            "received": "store_sends", "confirmed": "store_sends", "shipped": "store_sends", "invoiced": "sent",
            "paid": "superseded",
        })
        self.assertEqual(len(self.customer_messages(sale)), 1)

    def test_orders_placed_before_go_live_get_nothing(self):
        self.steps()
        self.store.wc_messages_go_live = datetime(2030, 1, 1)
        self.import_orders(by_id(79))
        sale = self.sale_of(79)
        self.assertFalse(self.customer_messages(sale))
        self.assertEqual(set(self.sent(sale).values()), {"before_go_live"})

    def test_history_imports_send_nothing_unless_asked(self):
        self.steps()
        self.store.with_context(wc_messages_history=True)._wc_import_orders([by_id(63)])
        self.assertFalse(self.customer_messages(self.sale_of(63)))
        self.assertEqual(set(self.sent(self.sale_of(63)).values()), {"history"})
        self.store.wc_messages_go_live = datetime(2030, 1, 1)
        self.store.with_context(wc_messages_history=True, wc_messages_force=True)._wc_import_orders([by_id(79)])
        self.assertEqual(len(self.customer_messages(self.sale_of(79))), 2)  # shipped and invoiced, as asked

    def test_the_history_wizard_asks_for_messages(self):
        wizard = self.env["wc.history.wizard"].create(
            {"store_id": self.store.id, "date_from": "2024-01-01", "date_to": "2024-12-31", "send_messages": True})
        run = self.env["wc.sync.run"].browse(wizard.action_import()["res_id"])
        self.assertTrue(run.wc_send_messages)

    def test_odoo_moving_an_order_on_tells_the_customer(self):
        self.steps()
        self.import_orders(by_id(57))  # on-hold: a quotation
        sale = self.sale_of(57)
        self.assertEqual(self.sent(sale), {"received": "sent"})
        sale.action_confirm()
        self.assertEqual(self.sent(sale)["confirmed"], "sent")
        sale._create_invoices().action_post()
        self.assertEqual(self.sent(sale)["invoiced"], "sent")
        invoice_mail = self.customer_messages(sale).filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(invoice_mail), 1)
        sale.with_context(disable_cancel_warning=True).invoice_ids.button_draft()
        sale.invoice_ids.button_cancel()
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(self.sent(sale)["cancelled"], "sent")
        self.assertEqual(len(self.customer_messages(sale)), 4)

    def test_a_switched_off_step_is_not_sent_later_either(self):
        self.steps(received=(False, False))
        self.import_orders(by_id(57))
        sale = self.sale_of(57)
        self.assertEqual(self.sent(sale), {"received": "switched_off"})
        self.steps()
        sale._wc_send_step_messages()
        self.assertFalse(self.customer_messages(sale))

    def test_sms_goes_with_the_message_when_the_sms_module_is_installed(self):
        if not hasattr(type(self.env["sale.order"]), "_message_sms"):
            self.skipTest("Odoo's sms module is not installed: the messages go by e-mail only")
        self.steps()
        data = by_id(63)
        self.import_orders(data)
        sale = self.sale_of(63)
        self.assertTrue(self.env["sms.sms"].search([("partner_id", "=", sale.partner_id.id)]))
