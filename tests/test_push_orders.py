"""Odoo → store for orders: statuses, tracking, payments and the customer rules flow back, and the two
sides never fight (issue 8). Real Odoo, real PostgreSQL, real HTTP to the store emulator."""

import json

from odoo import Command
from odoo.tests import tagged

from ..wc_connector.rules.echo import TOKEN_KEY
from ..wc_connector.webhooks import parse_delivery
from ..wc_emulator.inbox import WebhookInbox
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
        payload = self.emulated.current_payload("order", order["id"])
        self.store._wc_import_orders([payload])
        sale = self.env["sale.order"].search([("wc_store_id", "=", self.store.id), ("wc_order_id", "=", order["id"])])
        self.assertTrue(sale, "the store order was imported")
        self.run_jobs()
        self.emulated.request_log.clear()
        self.emulated.events.queue.clear()
        return order, sale

    def writes(self):
        """The order writes the store received: ``[(method, path tail, body)]`` (stock pushes are not theirs)."""
        prefix = "/wp-json/wc/v3/"
        return [(entry.method, entry.path[len(prefix):], entry.body) for entry in self.emulated.request_log
                if entry.method in ("PUT", "POST", "DELETE") and entry.path[len(prefix):].startswith("orders")]

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

    def change_customer(self, sale, partner):
        """What the sale order form does when the user picks another customer."""
        addresses = partner.address_get(["invoice", "delivery"])
        sale.write({"partner_id": partner.id, "partner_invoice_id": addresses["invoice"],
                    "partner_shipping_id": addresses["delivery"]})

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
        self.emulated.data.clock.advance(2)  # a later second: the import applies it (not "unchanged")
        self.emulated.touch_order(order["id"], status="completed")
        self.store._wc_import_orders([self.emulated.current_payload("order", order["id"])])
        self.assertEqual(sale.picking_ids.mapped("state"), ["done"], "the import delivered it")
        self.assertFalse(self.push_jobs())
        self.assertFalse(sale.wc_push_scope)


@tagged("post_install", "-at_install")
class TestPushCustomer(PushCase):
    """The reverse customer-change rules of the second seed (003, part B), one test each."""

    def linked_partner(self, customer):
        """The Odoo partner of a store customer, imported as the sync does."""
        self.store._wc_import_customers([self.emulated.current_payload("customer", customer["id"])])
        link = self.env["wc.customer.link"].search(
            [("store_id", "=", self.store.id), ("wc_customer_id", "=", customer["id"])])
        self.assertTrue(link)
        return link.partner_id

    def test_individual_who_exists_in_the_store_becomes_the_store_orders_customer(self):
        order, sale = self.store_order("processing")
        partner = self.linked_partner(self.other_customer)
        partner.phone = "+49 89 7654321"
        self.emulated.request_log.clear()
        self.change_customer(sale, partner)
        self.run_jobs()
        [(method, _path, body)] = self.writes()
        self.assertEqual(method, "PUT")
        self.assertEqual(body["customer_id"], self.other_customer["id"])
        first, _, last = partner.name.rpartition(" ")
        stored = self.stored(order["id"])
        self.assertEqual((stored["customer_id"], stored["billing"]["first_name"], stored["billing"]["last_name"],
                          stored["billing"]["phone"]), (self.other_customer["id"], first, last, "+49 89 7654321"))
        self.assertEqual((stored["shipping"]["first_name"], stored["shipping"]["last_name"],
                          stored["shipping"]["phone"]), (first, last, "+49 89 7654321"))
        self.assertEqual(stored["billing"]["address_1"], "Lindenstraße 12", "an address is not a customer change")

    def test_individual_missing_in_the_store_makes_no_store_customer_but_changes_name_and_phone(self):
        order, sale = self.store_order("processing")
        customers = len(self.emulated.data.customers)
        guest = self.env["res.partner"].create({"name": "Gast Kunde", "phone": "+49 40 111222"})
        self.change_customer(sale, guest)
        self.run_jobs()
        [(_method, _path, body)] = self.writes()
        self.assertEqual(body["customer_id"], 0, "no account in the store: a guest order")
        self.assertEqual(body["billing"]["first_name"], "Gast")
        self.assertEqual((body["shipping"]["first_name"], body["shipping"]["last_name"], body["shipping"]["phone"]),
                         ("Gast", "Kunde", "+49 40 111222"))
        self.assertEqual(len(self.emulated.data.customers), customers, "the store created no customer")
        stored = self.stored(order["id"])
        self.assertEqual((stored["customer_id"], stored["billing"]["phone"]), (0, "+49 40 111222"))

    def test_corporate_customer_needs_a_company_name_and_changes_the_billing_company(self):
        order, sale = self.store_order("processing")
        nameless = self.env["res.partner"].create({"name": " ", "is_company": True})
        person = self.env["res.partner"].create({"name": "Anna Schmidt", "parent_id": nameless.id})
        self.change_customer(sale, person)
        self.run_jobs()
        self.assertEqual(self.writes(), [], "nothing is sent without a company name")
        self.assertIn("company without a name", sale.message_ids[0].body)
        self.assertFalse(sale.wc_push_scope)
        nameless.name = "Schmidt Handel GmbH"
        self.change_customer(sale, person)
        self.run_jobs()
        [(_method, _path, body)] = self.writes()
        self.assertEqual(body["billing"]["company"], "Schmidt Handel GmbH")
        self.assertEqual(self.stored(order["id"])["billing"]["company"], "Schmidt Handel GmbH")
        self.assertEqual(body["customer_id"], 0, "a company without a store account")

    def test_contact_person_changed_sends_only_the_fields_that_differ(self):
        company = self.env["res.partner"].create({"name": "Schmidt Handel GmbH", "is_company": True})
        anna = self.env["res.partner"].create({"name": "Anna Schmidt", "parent_id": company.id,
                                               "phone": "+49 30 1234567", "email": "anna@schmidt.example"})
        jonas = self.env["res.partner"].create({"name": "Jonas Schmidt", "parent_id": company.id,
                                                "phone": "+49 30 7654321", "email": "jonas@schmidt.example"})
        order, sale = self.store_order("processing")
        self.change_customer(sale, anna)
        self.run_jobs()
        self.emulated.request_log.clear()
        self.change_customer(sale, jonas)
        self.run_jobs()
        [(_method, _path, body)] = self.writes()
        self.assertEqual(body["billing"], {"first_name": "Jonas", "phone": "+49 30 7654321",
                                           "email": "jonas@schmidt.example"})
        self.assertEqual(body["shipping"], {"first_name": "Jonas", "phone": "+49 30 7654321"})
        self.assertNotIn("customer_id", body)
        stored = self.stored(order["id"])
        self.assertEqual((stored["billing"]["company"], stored["billing"]["last_name"]),
                         ("Schmidt Handel GmbH", "Schmidt"))

    def test_a_total_the_store_moved_after_the_write_is_flagged_on_the_order(self):
        order, sale = self.store_order("processing")
        before = self.stored(order["id"])["total"]
        # The store's rate changed since the order was placed: any billing/shipping write recalculates.
        for rate in self.emulated.data.taxes.values():
            rate["rate"] = "7.0000"
        self.change_customer(sale, self.env["res.partner"].create({"name": "Gast Kunde"}))
        self.run_jobs()
        after = self.stored(order["id"])["total"]
        self.assertNotEqual(before, after)
        self.assertAlmostEqual(sale.wc_total, float(after))
        self.assertIn("total moved", sale.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestPushNoEcho(PushCase):
    def setUp(self):
        super().setUp()
        self.inbox = WebhookInbox()
        self.addCleanup(self.inbox.close)
        self.emulated.data.webhooks.clear()
        # The store's webhooks for orders, delivering to the inbox (the controller's tests cover the route).
        client = self.store._client()
        try:
            for topic in ("order.created", "order.updated"):
                client.request("POST", "webhooks", json={"name": topic, "topic": topic, "status": "active",
                                                         "delivery_url": self.inbox.url,
                                                         "secret": self.store.webhook_secret})
        finally:
            client.close()
        self.emulated.request_log.clear()

    def deliver_webhooks(self):
        """The store's queue runs; every delivery is handed to Odoo as the controller does; the topics."""
        self.inbox.received.clear()
        self.emulated.flush_webhooks()
        topics = []
        for _path, headers, body in self.inbox.received:
            delivery = parse_delivery(headers, body, self.store.webhook_secret)
            self.store._wc_enqueue_delivery(delivery)
            topics.append((delivery.topic, delivery.resource_id))
        self.run_jobs()
        return topics

    def snapshot(self, sale):
        self.env.flush_all()
        return (sale.write_date, sale.state, sale.wc_status, sale.wc_date_modified, len(sale.message_ids),
                sale.invoice_ids.ids, sale.picking_ids.mapped("state"))

    def test_round_trip_odoo_change_store_webhook_cron_changes_nothing_and_sends_nothing_more(self):
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        order, sale = self.store_order("processing")
        self.validate_delivery(sale)
        self.run_jobs()
        [(method, _path, body)] = self.writes()
        self.assertEqual((method, body["status"]), ("PUT", "completed"))
        before = self.snapshot(sale)
        self.emulated.request_log.clear()
        # The store's echo: one order.updated carrying our token and our write's date_modified.
        topics = self.deliver_webhooks()
        self.assertIn(("order.updated", order["id"]), topics)
        # And the next cron window lists the order again.
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.assertTrue(any(entry.method == "GET" and entry.path.endswith("/orders")
                            for entry in self.emulated.request_log), "the cron read the window")
        self.assertEqual(self.snapshot(sale), before, "nothing changed in Odoo")
        self.assertEqual(self.writes(), [], "nothing more was sent")
        self.assertFalse(self.push_jobs())
        self.assertEqual(sale.invoice_ids.filtered(lambda m: m.state == "posted"), sale.invoice_ids.browse(),
                         "the echoed 'completed' did not invoice the order")

    def test_a_shop_change_coalesced_with_our_echo_is_imported(self):
        order, sale = self.store_order("processing")
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.run_jobs()
        self.emulated.data.clock.advance(2)
        self.emulated.touch_order(order["id"], customer_note="Please ring twice")
        self.deliver_webhooks()
        self.assertEqual(sale.wc_customer_note, "Please ring twice", "not our echo: the shop's change arrived")
        self.assertEqual(self.writes()[-1][1], f"orders/{order['id']}", "and nothing was pushed back for it")
        self.assertEqual(len(self.writes()), 1)


@tagged("post_install", "-at_install")
class TestPushConflicts(PushCase):
    def cancelled_in_odoo_then_held_in_the_shop(self):
        """A processing order cancelled in Odoo and, before the push job runs, put on hold in the shop
        (later than Odoo's change); the job has run. ``(store order, sale order)``."""
        order, sale = self.store_order("processing")
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.emulated.data.clock.advance(30)
        self.emulated.touch_order(order["id"], status="on-hold")
        self.emulated.request_log.clear()
        self.run_jobs()
        return order, sale

    def test_a_newer_store_change_is_not_overwritten_and_the_loser_is_noted(self):
        order, sale = self.cancelled_in_odoo_then_held_in_the_shop()
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.stored(order["id"])["status"], "on-hold")
        self.assertIn("Not sent to", sale.message_ids[0].body)

    def test_odoo_wins_when_the_store_says_so_and_the_stores_change_is_noted(self):
        self.store.wc_orders_conflict = "odoo"
        order, sale = self.cancelled_in_odoo_then_held_in_the_shop()
        [(_method, _path, body)] = self.writes()
        self.assertEqual(body["status"], "cancelled")
        self.assertEqual(self.stored(order["id"])["status"], "cancelled")
        self.assertIn("change wins and is sent", sale.message_ids[0].body + sale.message_ids[1].body)


@tagged("post_install", "-at_install")
class TestPushDurability(PushCase):
    def test_a_store_down_for_the_batch_is_retried_with_backoff_and_the_orders_stay_marked(self):
        pairs = [self.store_order("processing") for _n in range(2)]
        for _order, sale in pairs:
            sale.with_context(disable_cancel_warning=True).action_cancel()
        self.emulated.faults.fail(503, count=1, path="orders/batch")
        waits = self.run_jobs()
        self.assertEqual(waits, [10], "retried once, after the job function's 10 s")
        self.assertTrue(all(self.stored(order["id"])["status"] == "cancelled" for order, _s in pairs))
        self.assertFalse(any(sale.wc_push_scope for _o, sale in pairs))

    def test_a_refused_write_is_in_the_sync_log_as_odoo_to_store_and_retry_enqueues_it(self):
        order, sale = self.store_order("processing")
        partner = self.env["res.partner"].create({"name": "Gone Customer", "phone": "+49 1"})
        link = self.env["wc.customer.link"].create(
            {"store_id": self.store.id, "partner_id": partner.id, "wc_customer_id": 999999})
        self.change_customer(sale, partner)
        self.run_jobs()
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("state", "=", "failed")])
        self.assertEqual((log.direction, log.entity, log.wc_id), ("export", "order", order["id"]))
        self.assertEqual(log.reason, "Customer ID is invalid.")
        self.assertEqual(json.loads(log.payload)["body"]["customer_id"], 999999)
        self.assertEqual(self.stored(order["id"])["billing"]["first_name"], order["billing"]["first_name"],
                         "nothing of the refused write was saved")
        self.assertFalse(sale.wc_push_scope, "not retried by itself")
        # The cause is fixed (the stale link goes); Retry queues the push, it writes nothing itself.
        link.unlink()
        self.emulated.request_log.clear()
        log.action_retry()
        self.assertEqual(self.emulated.request_log, [], "no HTTP in the button")
        self.assertEqual(len(self.push_jobs()), 1)
        self.run_jobs()
        self.assertEqual(log.state, "done")
        self.assertEqual(self.stored(order["id"])["billing"]["first_name"], "Gone")
