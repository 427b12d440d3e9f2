"""A store error reaches the user in their language (the core's English templates, translated by Odoo).

``wc_connector/errors.py`` writes each sentence as an English template marked
for Odoo's exporter; ``models/wc_error_text.py`` translates the template into
the reader's language and fills in the store's own words, which stay as the
store wrote them. The English is ``tests/core/test_error_texts.py``'s.
"""

import copy

from odoo.tests import new_test_user, tagged

from ..wc_emulator import EmulatedStore
from .common import MANAGER_GROUP, WcStoreCase, activate_persian_and_russian, unused_port
from .order_fixtures import capture_body


@tagged("post_install", "-at_install")
class TestStoreErrorsTranslated(WcStoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_persian_and_russian(cls.env)
        cls.readers = {
            lang: new_test_user(cls.env, login=f"manager_{lang}", groups=f"base.group_user,{MANAGER_GROUP}", lang=lang)
            for lang in ("fa_IR", "ru_RU")
        }

    def as_reader(self, store, lang):
        """``store`` as the manager reading ``lang`` uses it (the web client sends the user's language)."""
        return store.with_user(self.readers[lang]).with_context(lang=lang)

    def test_refused_credentials_are_told_in_persian_with_the_stores_own_words(self):
        with EmulatedStore() as emulated:
            store = self.store_for(emulated)
            store.consumer_secret = "cs_not_the_right_secret"
            action = self.as_reader(store, "fa_IR").action_test_connection()
        message = store.connection_message
        self.assertTrue(message.startswith("فروشگاه اعتبارنامهٔ ما را نپذیرفت: کلید مصرف‌کننده"), message)
        # What the store said is its own text and code, after the Persian "The store said:".
        self.assertIn("پاسخ فروشگاه: ", message)
        self.assertIn("(woocommerce_rest_authentication_error)", message)
        self.assertNotIn("The store refused", message)
        self.assertEqual(action["params"]["message"], message)
        self.assertIn(message, store.message_ids[0].body)
        self.assertNotIn("cs_not_the_right_secret", message)

    def test_an_unreachable_store_is_told_in_russian(self):
        store = self.create_store(url=f"http://127.0.0.1:{unused_port()}", consumer_key="ck_x", consumer_secret="cs_x")
        self.as_reader(store, "ru_RU").action_test_connection()
        self.assertTrue(
            store.connection_message.startswith("Магазин недоступен или сейчас не работает; мы попробуем снова."),
            store.connection_message,
        )

    def test_an_order_the_store_sent_broken_is_logged_in_russian(self):
        store = self.create_store()
        broken = copy.deepcopy(capture_body("order_single_guest.json"))
        broken.update(id=9102, customer_id="abc")
        # The import job runs as the system, in the language of the database's (here Russian) administrator.
        counts = store.with_user(self.env.user).with_context(lang="ru_RU")._wc_import_orders([broken])
        self.assertEqual(counts["failed"], 1, counts)
        log = self.env["wc.sync.log"].search([("store_id", "=", store.id), ("wc_id", "=", 9102)])
        # The sentence and what is wrong are Russian; the record type, field and value are the store's.
        self.assertEqual(
            log.reason, "В записи магазина order 9102 недопустимое поле «customer_id»: ожидалось целое число, получено: 'abc'"
        )

    def test_an_english_reader_reads_the_cores_english(self):
        with EmulatedStore() as emulated:
            store = self.store_for(emulated)
            store.consumer_secret = "cs_not_the_right_secret"
            store.with_context(lang="en_US").action_test_connection()
        self.assertTrue(store.connection_message.startswith("The store refused our credentials"), store.connection_message)
