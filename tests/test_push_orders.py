"""Odoo → store for orders: statuses, tracking, payments and the customer rules flow back, and the two
sides never fight (issue 8). Real Odoo, real PostgreSQL, real HTTP to the store emulator."""

import json

from odoo import Command
from odoo.tests import tagged

from ..wc_connector.rules.echo import TOKEN_KEY
from .sync_fixtures import SyncCase

PUSH_METHOD = "_wc_push_orders"


@tagged("post_install", "-at_install")
class PushCase(SyncCase):
    ORDERS = 2

    def setUp(self):
        super().setUp()
        data = self.emulated.data
        self.product = next(p for p in data.products.values()
                            if p["type"] == "simple" and p.get("manage_stock") and p.get("price"))
        self.customer = next(iter(data.customers.values()))
        self.other_customer = list(data.customers.values())[1]

    # -- the store's side ------------------------------------------------------------------------------

    def store_order(self, status="processing", customer=None, **values):
        """A new order in the store (as a buyer makes it), imported into Odoo; ``(store order, sale order)``."""
        customer = customer or self.customer
        person = {key: customer["billing"][key] for key in ("first_name", "last_name", "email", "phone")}
        address = {"address_1": "Lindenstraße 12", "city": "Berlin", "postcode": "10969", "country": "DE"}
        body = {"status": status, "customer_id": customer["id"], "payment_method": "bacs",
                "payment_method_title": "Direct bank transfer",
                "billing": dict(person, company="", **address),
                "shipping": dict(first_name=person["first_name"], last_name=person["last_name"], company="",
                                 phone=person["phone"], **address),
                "line_items": [{"product_id": self.product["id"], "quantity": 2}], **values}
        with self.emulated._lock:
            order, _error = self.emulated.orders.create_order(body)
        self.emulated.data.clock.advance(1)
        payload = self.emulated.current_payload("order", order["id"])
        self.store._wc_import_orders([payload])
        sale = self.env["sale.order"].search([("wc_store_id", "=", self.store.id), ("wc_order_id", "=", order["id"])])
        self.assertTrue(sale, "the store order was imported")
        self.run_jobs()
        self.emulated.request_log.clear()
        self.emulated.events.queue.clear()
        self.emulated.data.clock.advance(1)
        return order, sale

    def writes(self):
        """The writes the store received: ``[(method, path tail, body)]``."""
        prefix = "/wp-json/wc/v3/"
        return [(entry.method, entry.path[len(prefix):], entry.body) for entry in self.emulated.request_log
                if entry.method in ("PUT", "POST", "DELETE")]

    def stored(self, order_id):
        return self.emulated.data.orders[order_id]

    def run_jobs(self, *args, **kwargs):
        waits = super().run_jobs(*args, **kwargs)
        self.assertEqual(self.failed_jobs, [], "no job failed")
        return waits

    def push_jobs(self):
        return self.queued_jobs().filtered(lambda job: job.method_name == PUSH_METHOD)

    # -- Odoo's side ------------------------------------------------------------------------------------

    def validate_delivery(self, sale, carrier=None, reference=None):
        picking = sale.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "done")
        self.assertEqual(len(picking), 1, "one delivery to validate")
        if carrier:
            picking.carrier_id = carrier
        if reference:
            picking.carrier_tracking_ref = reference
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def pay(self, sale):
        """Invoice what is left to invoice and register its payment, as a user does."""
        invoice = sale.invoice_ids.filtered(lambda move: move.state == "posted" and move.move_type == "out_invoice")
        if not invoice:
            invoice = sale._create_invoices()
            invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({}).action_create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        return invoice

    def carrier(self, name="DHL Express"):
        product = self.env["product.product"].create({"name": name, "type": "service"})
        return self.env["delivery.carrier"].create({"name": name, "product_id": product.id})


@tagged("post_install", "-at_install")
class TestPushOrderStatus(PushCase):
    def test_delivery_validated_completes_the_store_order_with_tracking_as_note_and_meta(self):
        order, sale = self.store_order("processing")
        self.validate_delivery(sale, carrier=self.carrier(), reference="00340434161094042557")
        # Nothing went to the store inside the user's transaction: a job waits for the commit.
        self.assertEqual(self.emulated.request_log, [])
        self.assertEqual(len(self.push_jobs()), 1)
        self.run_jobs()
        [(method, path, body), (note_method, note_path, note)] = self.writes()
        self.assertEqual((method, path), ("PUT", f"orders/{order['id']}"))
        self.assertEqual(body["status"], "completed")
        [tracking, token] = body["meta_data"]
        self.assertEqual(token["key"], TOKEN_KEY)
        self.assertEqual(tracking["key"], "_wc_shipment_tracking_items")
        self.assertEqual([(t["custom_tracking_provider"], t["tracking_number"]) for t in tracking["value"]],
                         [("DHL Express", "00340434161094042557")])
        self.assertEqual(set(body), {"status", "meta_data"}, "only what changed")
        self.assertEqual((note_method, note_path), ("POST", f"orders/{order['id']}/notes"))
        self.assertTrue(note["customer_note"])
        self.assertIn("00340434161094042557", note["note"])
        self.assertIn("DHL Express", note["note"])
        stored = self.stored(order["id"])
        self.assertEqual(stored["status"], "completed")
        self.assertTrue(stored["date_completed_gmt"])
        self.assertEqual((sale.wc_status, sale.wc_push_scope), ("completed", False))
        self.assertEqual(sale.wc_sync_token, token["value"])

    def test_sale_order_cancelled_in_odoo_cancels_the_store_order(self):
        order, sale = self.store_order("processing")
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.run_jobs()
        [(method, path, body)] = self.writes()
        self.assertEqual((method, body["status"]), ("PUT", "cancelled"))
        self.assertEqual(self.stored(order["id"])["status"], "cancelled")

    def test_payment_registered_marks_an_unpaid_store_order_paid(self):
        order, sale = self.store_order("pending")
        self.assertFalse(self.stored(order["id"])["date_paid"])
        sale.action_confirm()
        self.pay(sale)
        self.run_jobs()
        [(method, _path, body)] = self.writes()
        self.assertEqual((body["status"], body["set_paid"]), ("processing", True))
        stored = self.stored(order["id"])
        self.assertEqual(stored["status"], "processing")
        self.assertTrue(stored["date_paid_gmt"])

    def test_changes_in_quick_succession_end_as_one_write_with_the_final_state(self):
        order, sale = self.store_order("pending")
        sale.action_confirm()
        self.pay(sale)
        self.validate_delivery(sale)
        self.assertEqual(len(self.push_jobs()), 1, "one job: identity key")
        self.run_jobs()
        [(method, _path, body)] = self.writes()
        self.assertEqual((method, body["status"], body["set_paid"]), ("PUT", "completed", True))
        self.assertEqual(self.stored(order["id"])["status"], "completed")

    def test_the_stores_table_decides_which_status_an_event_sends(self):
        self.store.wc_push_status_ids = [
            Command.create({"event": "delivered", "wc_status": "none"}),
            Command.create({"event": "paid", "wc_status": "completed"}),
        ]
        order, sale = self.store_order("processing")
        self.validate_delivery(sale)
        self.run_jobs()
        self.assertEqual(self.writes(), [], "delivery validated sends no status in this store")
        self.pay(sale)
        self.run_jobs()
        [(_method, _path, body)] = self.writes()
        self.assertEqual(body["status"], "completed")

    def test_many_orders_go_in_one_batch(self):
        pairs = [self.store_order("processing") for _n in range(3)]
        for _order, sale in pairs:
            sale.with_context(disable_cancel_warning=True).action_cancel()
        self.run_jobs()
        [(method, path, body)] = self.writes()
        self.assertEqual((method, path), ("POST", "orders/batch"))
        self.assertEqual(sorted(item["id"] for item in body["update"]), sorted(order["id"] for order, _s in pairs))
        self.assertTrue(all(self.stored(order["id"])["status"] == "cancelled" for order, _s in pairs))

    def test_a_direction_that_is_off_sends_nothing(self):
        self.store.wc_orders_flow = "store_to_odoo"
        _order, sale = self.store_order("processing")
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(self.push_jobs())
        self.assertFalse(sale.wc_push_scope)
        self.assertIn("Orders", self.store.wc_directions_summary)

    def test_what_the_import_does_is_never_pushed_back(self):
        order, sale = self.store_order("processing")
        self.emulated.touch_order(order["id"], status="completed")
        self.store._wc_import_orders([self.emulated.current_payload("order", order["id"])])
        self.assertEqual(sale.picking_ids.mapped("state"), ["done"], "the import delivered it")
        self.assertFalse(self.push_jobs())
        self.assertFalse(sale.wc_push_scope)
