"""Company names and personal data (issue 7, section 5): one normalisation in SQL and in the rules, the shipping
company kept on the delivery address, and store data purged after the retention period."""

import copy
import json
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.wc_retention import RETENTION_PARAM
from ..wc_connector.payloads import parse_order
from ..wc_connector.rules.identity import company_name_key
from .common import WcStoreCase
from .order_fixtures import capture_body


def guest_order(wc_id, **billing):
    """The captured guest order as another order of a new buyer, with billing changes (no VAT number)."""
    data = copy.deepcopy(capture_body("order_single_guest.json"))
    data.update(id=wc_id, number=str(wc_id), meta_data=[])
    data["billing"].update(billing)
    return data


@tagged("post_install", "-at_install")
class TestCompanyNameKey(WcStoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["wc.store"].create({"name": "Lab Shop", "url": "https://shop.example.com"})

    def company_of(self, data):
        [values] = self.store._wc_resolve_customers([parse_order(data)]).values()
        return self.env["res.partner"].browse(values["partner_id"]).commercial_partner_id

    def assertFoundInSql(self, existing_name, store_spelling, email):
        existing = self.env["res.partner"].create({"name": existing_name, "is_company": True})
        self.assertEqual(existing.wc_company_name_key, company_name_key(store_spelling), "the core's own key")
        before = self.env["res.partner"].search_count([("is_company", "=", True)])
        company = self.company_of(guest_order(9200 + len(email), company=store_spelling, email=email))
        self.assertEqual(company, existing)
        self.assertEqual(self.env["res.partner"].search_count([("is_company", "=", True)]), before, "no second company")

    def test_arabic_and_persian_spellings_of_a_persian_company_are_one_company(self):
        # Arabic ي/ك in Odoo, Persian ی/ک from the store.
        self.assertFoundInSql("شركت پارس تجارت", "شرکت پارس تجارت", "pars@example.ir")

    def test_sharp_s_and_upper_case_are_one_company(self):
        self.assertFoundInSql("Straße Bau GmbH", "STRASSE BAU GMBH", "bau@example.de")

    def test_zero_width_characters_do_not_make_another_company(self):
        self.assertFoundInSql("Nord\u200bHandel AG", "NordHandel AG", "nord@example.de")

    def test_the_key_follows_the_name_and_is_indexed(self):
        partner = self.env["res.partner"].create({"name": "Alte Firma", "is_company": True})
        partner.name = "Straße Bau GmbH"
        self.assertEqual(partner.wc_company_name_key, "strasse bau gmbh")
        self.assertTrue(self.env["res.partner"]._fields["wc_company_name_key"].index)


@tagged("post_install", "-at_install")
class TestShippingCompany(WcStoreCase):
    def test_the_shipping_company_is_kept_on_the_delivery_address(self):
        store = self.env["wc.store"].create({"name": "Lab Shop", "url": "https://shop.example.com"})
        data = guest_order(9301, company="")
        data["shipping"].update(company="Kanzlei Nord GmbH", address_1="Hafenstraße 1", postcode="20457",
                                city="Hamburg", state="DE-HH")
        [values] = store._wc_resolve_customers([parse_order(data)]).values()
        delivery = self.env["res.partner"].browse(values["partner_shipping_id"])
        self.assertEqual((delivery.type, delivery.company_name), ("delivery", "Kanzlei Nord GmbH"))
        self.assertIn("Kanzlei Nord GmbH", delivery._display_address())
        # The next order to the same place and company finds the same address.
        again = guest_order(9302, company="")
        again["shipping"] = data["shipping"]
        [values] = store._wc_resolve_customers([parse_order(again)]).values()
        self.assertEqual(values["partner_shipping_id"], delivery.id)


@tagged("post_install", "-at_install")
class TestRetention(WcStoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["wc.store"].create({"name": "Lab Shop", "url": "https://shop.example.com"})

    def age(self, records, column, days):
        """Make ``records`` look ``days`` old in ``column`` (written in SQL: the ORM stamps its own dates)."""
        records.flush_recordset()
        self.env.cr.execute(
            f'UPDATE "{records._table}" SET "{column}" = %s WHERE id = ANY(%s)',  # noqa: S608 - test tables
            (fields.Datetime.now() - timedelta(days=days), records.ids),
        )
        records.invalidate_recordset()

    def log(self, state, wc_id):
        Log = self.env["wc.sync.log"]
        return Log.create(dict(Log._wc_failed(self.store, "order", wc_id, "reason", {"id": wc_id, "billing": {
            "email": "anna@example.de"}}), state=state))

    def delivery(self, state, number):
        Delivery = self.env["wc.webhook.delivery"]
        return Delivery.create({"store_id": self.store.id, "delivery_id": f"d{number}", "topic": "order.updated",
                                "resource": "order", "resource_id": number, "state": state,
                                "payload": json.dumps({"id": number}) if state == "pending" else False})

    def test_the_default_retention_is_thirty_days_and_a_setting(self):
        self.assertEqual(self.env["wc.retention"]._wc_retention_days(), 30)
        settings = self.env["res.config.settings"].create({"wc_retention_days": 7})
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param(RETENTION_PARAM), "7")
        self.assertEqual(self.env["wc.retention"]._wc_retention_days(), 7)
        cron = self.env.ref("woocommerce_connector.ir_cron_wc_purge_personal_data")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active), (1, "days", True))

    def test_the_daily_cron_purges_what_is_older_than_the_retention(self):
        old_done, old_failed, new_done = self.log("done", 1), self.log("failed", 2), self.log("done", 3)
        self.age(old_done | old_failed, "write_date", 31)
        self.age(new_done, "write_date", 29)
        old_processed, old_pending, new_processed = self.delivery("done", 1), self.delivery("pending", 2), \
            self.delivery("done", 3)
        self.age(old_processed | old_pending, "received", 31)
        self.age(new_processed, "received", 29)
        ours = self.store.with_delay(channel=self.store._wc_channel())._wc_job_process_delivery(
            "order.updated", 1, {"id": 1, "billing": {"email": "anna@example.de"}})
        other = self.env["res.partner"].with_delay(channel="root").search_count([("email", "=", "anna@example.de")])
        recent = self.store.with_delay(channel=self.store._wc_channel())._wc_job_process_delivery(
            "order.updated", 3, {"id": 3, "billing": {"email": "anna@example.de"}})
        jobs = self.env["queue.job"].search([("uuid", "in", [ours.uuid, other.uuid, recent.uuid])])
        jobs.write({"state": "done"})
        for job, days in zip(jobs.sorted(lambda j: [ours.uuid, other.uuid, recent.uuid].index(j.uuid)), (31, 31, 29)):
            self.age(job, "date_done", days)
        # The scheduled action as the scheduler runs it (its code, as its user), in this test's transaction:
        # Odoo 19's method_direct_trigger runs it in a new cursor, which outside HttpCase is another database
        # transaction that cannot see this test's uncommitted records (and commits what it does).
        cron = self.env.ref("woocommerce_connector.ir_cron_wc_purge_personal_data")
        cron.ir_actions_server_id.with_user(cron.user_id).run()
        self.assertFalse(old_done.payload, "a resolved entry's payload is purged")
        self.assertTrue(old_failed.payload, "an open failure keeps its evidence")
        self.assertTrue(new_done.payload, "younger than the retention")
        self.assertFalse(old_processed.exists())
        self.assertTrue(old_pending.exists() and old_pending.payload, "a pending delivery waits for its job")
        self.assertTrue(new_processed.exists())
        by_uuid = {job.uuid: job for job in jobs}
        self.assertFalse(by_uuid[ours.uuid].args or by_uuid[ours.uuid].kwargs, "this addon's done job: no arguments")
        self.assertTrue(by_uuid[other.uuid].args, "another addon's job is not ours to purge")
        self.assertEqual(by_uuid[recent.uuid].args[0], "order.updated", "younger than the retention")
        self.assertNotIn("anna@example.de", json.dumps(by_uuid[ours.uuid].args))
