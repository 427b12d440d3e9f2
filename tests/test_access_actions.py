"""Buttons are not the boundary: every action that changes data checks its group itself, and Retry
imports what the store says, never a stored payload someone could have edited."""

import copy
import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import MANAGER_GROUP, USER_GROUP
from .order_fixtures import OrderImportCase, captured_orders


def by_id(order_id):
    return copy.deepcopy(next(data for data in captured_orders() if data["id"] == order_id))


@tagged("post_install", "-at_install")
class TestActionsCheckTheirGroup(OrderImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_name = cls.env.ref("woocommerce_connector.group_wc_manager").full_name
        cls.user_name = cls.env.ref("woocommerce_connector.group_wc_user").full_name

    def failed_log(self, data):
        """Import ``data`` (made to fail) and return its sync-log entry."""
        self.import_orders(data)
        return self.env["wc.sync.log"].search(
            [("store_id", "=", self.store.id), ("wc_id", "=", data["id"]), ("state", "=", "failed")])

    def assert_refused(self, call, group_name):
        with self.assertRaises(AccessError) as refused:
            call()
        self.assertIn(group_name, str(refused.exception))

    def test_manager_actions_are_refused_to_a_woocommerce_user_over_rpc(self):
        store = self.store.with_user(self.wc_user)
        webhook = self.env["wc.webhook"].create(
            {"store_id": self.store.id, "topic": "order.updated", "wc_webhook_id": 1, "status": "disabled"})
        log = self.failed_log(dict(by_id(59), total="not money"))
        calls = {
            "action_setup_from_store": store.action_setup_from_store,
            "action_sync_all_customers": store.action_sync_all_customers,
            "action_import_history": store.action_import_history,
            "action_register_webhooks": store.action_register_webhooks,
            "action_refresh_webhooks": store.action_refresh_webhooks,
            "action_regenerate_webhook_secret": store.action_regenerate_webhook_secret,
            "action_reenable_webhook": webhook.with_user(self.wc_user).action_reenable_webhook,
            "action_retry": log.with_user(self.wc_user).action_retry,
        }
        self.emulated.request_log.clear()
        for name, call in calls.items():
            with self.subTest(action=name):
                self.assert_refused(call, self.manager_name)
        self.assertEqual(self.emulated.request_log, [], "nothing was asked of the store")
        self.assertEqual(log.state, "failed")

    def test_user_actions_are_refused_to_an_employee_without_a_woocommerce_group(self):
        store = self.store.with_user(self.employee)
        for name, call in {"action_sync_now": store.action_sync_now,
                           "action_test_connection": store.action_test_connection}.items():
            with self.subTest(action=name):
                self.assert_refused(call, self.user_name)

    def test_a_woocommerce_user_may_still_sync_now(self):
        action = self.store.with_user(self.wc_user).action_sync_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(self.env["wc.sync.run"].search([("store_id", "=", self.store.id)]))

    def test_history_wizard_refuses_a_woocommerce_user(self):
        wizard = self.env["wc.history.wizard"].create(
            {"store_id": self.store.id, "date_from": "2026-01-01", "date_to": "2026-01-02"})
        self.assert_refused(wizard.with_user(self.wc_user).action_import, self.manager_name)

    def test_settings_sync_now_is_a_manager_action(self):
        plain_employee = new_test_user(self.env, login="wc_plain_employee", groups="base.group_user")
        settings = self.env["res.config.settings"].create({})
        self.assert_refused(settings.with_user(plain_employee).action_wc_sync_now, self.manager_name)


@tagged("post_install", "-at_install")
class TestRetryReadsTheStoreAgain(OrderImportCase):
    def failed_log(self, data):
        self.import_orders(data)
        return self.env["wc.sync.log"].search(
            [("store_id", "=", self.store.id), ("wc_id", "=", data["id"]), ("state", "=", "failed")])

    def test_the_payload_is_read_only_for_everyone(self):
        log = self.failed_log(dict(by_id(59), total="not money"))
        admin = self.env.ref("base.user_admin")
        for user in (self.wc_manager, admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                log.with_user(user).write({"payload": json.dumps(by_id(59))})
        self.assertIn("not money", log.payload)
        self.assertTrue(self.env["wc.sync.log"].fields_get(["payload"])["payload"]["readonly"])

    def test_retry_imports_the_order_the_store_has_not_the_stored_payload(self):
        log = self.failed_log(dict(by_id(59), total="not money"))
        self.assertIn("not money", log.payload)
        # Whatever the row says (here: written by the system itself, the only one who may), Retry asks the store.
        forged = by_id(59)
        forged["billing"]["first_name"], forged["billing"]["email"] = "Mallory", "mallory@example.com"
        log.sudo().write({"payload": json.dumps(forged)})
        self.emulated.request_log.clear()
        log.with_user(self.wc_manager).action_retry()
        self.assertEqual(log.state, "done")
        sale = self.sale_of(59)
        store_order = by_id(59)
        self.assertEqual(sale.partner_id.email, store_order["billing"]["email"])
        self.assertNotIn("Mallory", sale.partner_id.name)
        gets = [entry for entry in self.emulated.request_log
                if entry.method == "GET" and entry.path.rstrip("/").endswith("/orders")]
        self.assertEqual(len(gets), 1)
        self.assertEqual(gets[0].params.get("include"), "59")
        # The evidence stays as it was kept.
        self.assertIn("Mallory", log.payload)

    def test_retry_of_records_the_store_no_longer_has_says_so(self):
        gone = dict(by_id(59), id=999999, total="not money")
        log = self.failed_log(gone)
        log.action_retry()
        self.assertEqual(log.state, "failed")
        self.assertIn("no longer has", log.reason)
        self.assertFalse(self.sale_of(999999))

    def test_the_views_show_retry_to_managers_only(self):
        for view_type in ("list", "form"):
            with self.subTest(view=view_type):
                def arch(user):
                    return self.env["wc.sync.log"].with_user(user).get_views([(False, view_type)])["views"][view_type]["arch"]
                self.assertIn('name="action_retry"', arch(self.wc_manager))
                self.assertNotIn('name="action_retry"', arch(self.wc_user))


@tagged("post_install", "-at_install")
class TestActionsOverRpc(HttpCase):
    """The same refusals through Odoo's web client endpoints, as a browser or a script would call them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wc_user = new_test_user(cls.env, login="wc_rpc_user", groups=f"base.group_user,{USER_GROUP}")
        cls.wc_manager = new_test_user(cls.env, login="wc_rpc_manager", groups=f"base.group_user,{MANAGER_GROUP}")
        cls.store = cls.env["wc.store"].create({"name": "RPC Shop", "url": "https://shop.example.com"})
        cls.log = cls.env["wc.sync.log"].create(
            {"store_id": cls.store.id, "wc_id": 59, "reason": "held", "payload": json.dumps(by_id(59))})

    def call(self, login, model, method, ids, *args):
        self.authenticate(login, login)
        route = "/web/dataset/call_button" if method.startswith("action_") else "/web/dataset/call_kw"
        return self.make_jsonrpc_request(route, {
            "model": model, "method": method, "args": [ids, *args], "kwargs": {},
        })

    @mute_logger("odoo.http")
    def test_a_woocommerce_user_calling_manager_actions_is_refused(self):
        for model, method, ids in (("wc.sync.log", "action_retry", self.log.ids),
                                   ("wc.store", "action_setup_from_store", self.store.ids),
                                   ("wc.store", "action_register_webhooks", self.store.ids)):
            with self.subTest(method=method), self.assertRaises(JsonRpcException) as refused:
                self.call("wc_rpc_user", model, method, ids)
            self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")

    @mute_logger("odoo.http")
    def test_nobody_edits_a_payload_over_rpc(self):
        with self.assertRaises(JsonRpcException) as refused:
            self.call("wc_rpc_manager", "wc.sync.log", "write", self.log.ids, {"payload": "{}"})
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        self.log.invalidate_recordset()
        self.assertEqual(json.loads(self.log.payload)["id"], 59)
