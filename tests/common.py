"""Fixtures shared by the Odoo-layer tests: users of each WooCommerce group,
a store factory, and small real HTTP servers that are not WooCommerce."""

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import TransactionCase, new_test_user

from ..models.const import MANAGER_GROUP, USER_GROUP


def activate_persian_and_russian(env):
    """Activate Persian and Russian with this addon's translations (the seeds' users read them)."""
    for code in ("fa_IR", "ru_RU"):
        env["res.lang"]._activate_lang(code)
    env["ir.module.module"]._load_module_terms(["woocommerce_connector"], ["fa_IR", "ru_RU"])


def ensure_currency_rate(env, code="EUR"):
    """Give ``code`` an exchange rate in the company when it is a foreign currency without one.

    The test database books in USD and has no rates; the captured and
    generated stores sell in EUR, and an order in a currency without a rate is
    refused (it would be booked at a rate of 1). 1.0 keeps every amount as the
    tests expect it.
    """
    company = env.company
    currency = env["res.currency"].with_context(active_test=False).search([("name", "=", code)], limit=1)
    if currency == company.currency_id or env["res.currency.rate"].search_count(
        [("currency_id", "=", currency.id), ("company_id", "in", [False, *company.parent_ids.ids])]
    ):
        return
    currency.active = True
    env["res.currency.rate"].create(
        {"currency_id": currency.id, "rate": 1.0, "name": "2000-01-01", "company_id": company.root_id.id}
    )


class WcStoreCase(TransactionCase):
    """A database with a WooCommerce manager, a WooCommerce user and an
    internal user without any WooCommerce group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_currency_rate(cls.env)
        cls.wc_manager = new_test_user(
            cls.env, login="wc_manager", name="Wanda Manager", groups=f"base.group_user,{MANAGER_GROUP}"
        )
        cls.wc_user = new_test_user(
            cls.env, login="wc_user", name="Walter User", groups=f"base.group_user,{USER_GROUP}"
        )
        cls.employee = new_test_user(cls.env, login="wc_outsider", name="Olga Outsider", groups="base.group_user")

    def create_store(self, **values):
        """Create a store as the WooCommerce manager (the one who may)."""
        values.setdefault("name", "Test Shop")
        values.setdefault("url", "https://shop.example.com")
        return self.env["wc.store"].with_user(self.wc_manager).create(values)

    def store_for(self, emulated, **values):
        """A store record pointing at an `EmulatedStore` with its valid key."""
        return self.create_store(
            url=emulated.url,
            consumer_key=emulated.consumer_key,
            consumer_secret=emulated.consumer_secret,
            **values,
        )


def unused_port():
    """A 127.0.0.1 port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _HtmlSiteHandler(BaseHTTPRequestHandler):
    """Answers every GET with a plain HTML page, as an ordinary website does."""

    def do_GET(self):
        body = b"<!DOCTYPE html><html><head><title>Just a website</title></head><body>Hello</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


@contextmanager
def html_site():
    """Serve a website that is not WooCommerce on 127.0.0.1; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlSiteHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
