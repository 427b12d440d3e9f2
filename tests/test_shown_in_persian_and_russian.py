"""Persian and Russian store data stays intact wherever Odoo shows it (issue 11, part 3).

The captured store's Persian and Russian customers are imported, then their
orders are shown the way a user reading Persian or Russian sees them: the sale
order form (its view and the values the web client reads), the sale order
report and the invoice PDF. The messages to the customer in those languages
are ``test_messages.py``'s (reused, not repeated). The browser opens the order
form as each reader (a tour in headless Chromium; Odoo skips it when no
Chromium is installed), and the invoice is printed with wkhtmltopdf and read
back with ``pdftotext`` when both are installed (Debian packages
``wkhtmltopdf``, ``poppler-utils``); without them only its HTML is checked.
"""

import copy
import re
import shutil
import subprocess
import unicodedata
from unittest import skipUnless

from odoo.tests import HttpCase, new_test_user, tagged

from .common import activate_persian_and_russian
from .order_fixtures import OrderImportCase, captured_orders

PERSIAN_COMPANY_ORDER = 82  # completed and paid: مریم کریمی of شرکت پارس تجارت, Tehran
RUSSIAN_ORDER = 79  # completed and paid: Иван Петров, Moscow
RUSSIAN_COMPANY_ORDER = 65  # processing: Мария Иванова of ООО «Север», Saint Petersburg


def by_id(order_id):
    return copy.deepcopy(next(data for data in captured_orders() if data["id"] == order_id))


def plain(text):
    """``text`` without bidi marks, its Arabic presentation forms (what a PDF's glyphs may map back to)
    folded to letters."""
    return "".join(char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char) != "Cf")


def letter_words(text):
    """The runs of letters of ``text`` (pdftotext loses some digits and punctuation of the report's web font)."""
    return re.findall(r"[^\W\d_]+", plain(text))


def pdf_text(pdf):
    """The text of a PDF, as poppler's ``pdftotext`` reads it."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@tagged("post_install", "-at_install")
class TestShownInPersianAndRussian(OrderImportCase, HttpCase):
    # An HttpCase: the browser opens the order form, and wkhtmltopdf loads the report's style sheets
    # from Odoo's HTTP server as it does in production (without them a PDF is not what a user gets).

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_persian_and_russian(cls.env)
        cls.data = {wc_id: by_id(wc_id) for wc_id in (PERSIAN_COMPANY_ORDER, RUSSIAN_ORDER, RUSSIAN_COMPANY_ORDER)}
        cls.store._wc_import_orders(list(cls.data.values()))
        groups = "base.group_user,sales_team.group_sale_manager,account.group_account_invoice"
        cls.readers = {
            lang: new_test_user(cls.env, login=f"reader_{lang}", groups=f"{groups},woocommerce_connector.group_wc_user", lang=lang)
            for lang in ("fa_IR", "ru_RU")
        }

    def assertShown(self, word, text, where):
        # Not assertIn: a report's HTML is too long to read in a failure.
        self.assertTrue(word in text, f"{word!r} is not in {where}")

    def sale(self, wc_id, lang):
        """The imported order as the user reading ``lang`` opens it (the web client sends the user's lang)."""
        sale = self.sale_of(wc_id)
        self.assertTrue(sale, f"order {wc_id} was imported")
        return sale.with_user(self.readers[lang]).with_context(lang=lang)

    def written(self, wc_id):
        """What the store holds for the order's customer: names, company, address, city."""
        billing = self.data[wc_id]["billing"]
        words = [billing["first_name"], billing["last_name"], billing["company"], billing["address_1"], billing["city"]]
        return [word for word in words if word]

    def billed(self, wc_id):
        """What an invoice addressed to the order's customer shows of them: the company, else the person."""
        billing = self.data[wc_id]["billing"]
        names = [billing["company"]] if billing["company"] else [billing["first_name"], billing["last_name"]]
        return [*names, billing["address_1"], billing["city"]]

    def test_a_persian_reader_opens_the_persian_customers_order(self):
        sale = self.sale_of(PERSIAN_COMPANY_ORDER)
        self.start_tour(f"/odoo/action-sale.action_orders/{sale.id}", "wc_sale_order_persian_tour", login="reader_fa_IR")

    def test_a_russian_reader_opens_the_russian_customers_order(self):
        sale = self.sale_of(RUSSIAN_COMPANY_ORDER)
        self.start_tour(f"/odoo/action-sale.action_orders/{sale.id}", "wc_sale_order_russian_tour", login="reader_ru_RU")

    def form_view(self, sale):
        """The order form's arch and its fields' labels, as the web client gets them."""
        views = sale.get_views([(False, "form")])
        fields = views["models"]["sale.order"]["fields"]
        return views["views"]["form"]["arch"], {name: field["string"] for name, field in fields.items()}

    def form_values(self, sale):
        """The values the web client reads to show the order form."""
        spec = {
            "partner_id": {"fields": {"display_name": {}}},
            "partner_invoice_id": {"fields": {"display_name": {}}},
            "partner_shipping_id": {"fields": {"display_name": {}}},
            "wc_address": {}, "wc_postcode": {}, "wc_phone": {}, "wc_store_id": {"fields": {"display_name": {}}},
        }
        return sale.web_read(spec)[0]

    def test_the_order_form_shows_persian_names_and_address_with_persian_labels(self):
        sale = self.sale(PERSIAN_COMPANY_ORDER, "fa_IR")
        arch, labels = self.form_view(sale)
        self.assertIn('string="فروشگاه اینترنتی"', arch)  # the "Online shop" tab, in Persian
        self.assertEqual(labels["wc_customer_note"], "توضیحات تکمیلی")  # "Additional description"
        values = self.form_values(sale)
        billing = self.data[PERSIAN_COMPANY_ORDER]["billing"]
        self.assertEqual(values["partner_id"]["display_name"], "شرکت پارس تجارت, مریم کریمی")
        for word in self.written(PERSIAN_COMPANY_ORDER):
            self.assertIn(word, values["wc_address"])
        self.assertEqual(values["wc_phone"], billing["phone"])
        self.assertEqual(values["wc_postcode"], billing["postcode"])

    def test_the_order_form_shows_russian_names_and_address_with_russian_labels(self):
        sale = self.sale(RUSSIAN_COMPANY_ORDER, "ru_RU")
        arch, labels = self.form_view(sale)
        self.assertIn('string="Интернет-магазин"', arch)
        self.assertEqual(labels["wc_customer_note"], "Дополнительное описание")
        values = self.form_values(sale)
        self.assertEqual(values["partner_id"]["display_name"], "ООО «Север», Мария Иванова")
        for word in self.written(RUSSIAN_COMPANY_ORDER):
            self.assertIn(word, values["wc_address"])

    def test_the_sale_order_report_keeps_the_customers_words(self):
        for wc_id, lang, direction in (
            (PERSIAN_COMPANY_ORDER, "fa_IR", "rtl"), (RUSSIAN_ORDER, "ru_RU", "ltr"), (RUSSIAN_COMPANY_ORDER, "ru_RU", "ltr"),
        ):
            with self.subTest(order=wc_id):
                sale = self.sale(wc_id, lang)
                sale.partner_id.sudo().lang = lang  # the report speaks the customer's language
                html, _kind = self.env["ir.actions.report"].with_context(lang=lang)._render_qweb_html(
                    "sale.report_saleorder", sale.ids)
                html = html.decode()
                self.assertIn(f'dir="{direction}"', html)
                for word in self.written(wc_id):
                    self.assertShown(word, html, "the sale order report")
                self.assertIn(self.data[wc_id]["number"], html)

    def invoice_of(self, wc_id, lang):
        invoice = self.sale(wc_id, lang).invoice_ids
        self.assertEqual(len(invoice), 1, f"the completed order {wc_id} was invoiced")
        invoice.partner_id.sudo().lang = lang
        return invoice

    def invoice_html(self, invoice):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)
        return html.decode()

    def test_the_invoice_keeps_the_customers_words(self):
        # The HTML the PDF is printed from: without wkhtmltopdf this is all Odoo can show.
        for wc_id, lang in ((PERSIAN_COMPANY_ORDER, "fa_IR"), (RUSSIAN_ORDER, "ru_RU")):
            with self.subTest(order=wc_id):
                html = self.invoice_html(self.invoice_of(wc_id, lang))
                for word in self.billed(wc_id):
                    self.assertShown(word, html, "the invoice's HTML")

    @skipUnless(shutil.which("wkhtmltopdf") and shutil.which("pdftotext"),
                "no wkhtmltopdf or pdftotext (Debian packages wkhtmltopdf, poppler-utils): the invoice PDF is not printed")
    def test_the_invoice_pdf_keeps_the_customers_words(self):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for wc_id, lang in ((PERSIAN_COMPANY_ORDER, "fa_IR"), (RUSSIAN_ORDER, "ru_RU")):
            with self.subTest(order=wc_id):
                invoice = self.invoice_of(wc_id, lang)
                pdf, kind = report._render_qweb_pdf("account.report_invoice", invoice.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"))
                text = plain(pdf_text(pdf))
                for word in self.billed(wc_id):
                    # Word by word: a PDF keeps glyph runs, not the store's line breaks or bidi order of a line.
                    for part in letter_words(word):
                        self.assertShown(part, text, f"the invoice PDF, whose text is:\n{text}")
