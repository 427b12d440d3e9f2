"""Every string the addon shows is translated into Persian and Russian (the seeds' users read them)."""

from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"
MODULE = "woocommerce_connector"


def po_entries(path):
    """``{source: translation}`` of a .po or .pot file, read the way Odoo reads it."""
    with path.open("rb") as source:
        return {entry["src"]: entry["value"] for entry in PoFileReader(source)}


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What Odoo's own export finds in the code, views, data and templates: the strings users see.
        cls.terms = {
            row[4] for row in TranslationModuleReader(cls.env.cr, modules=[MODULE]) if row[0] == MODULE and row[4]
        }

    def test_the_pot_holds_every_string_of_the_code(self):
        # Odoo drops the translations of a msgid the .pot lacks: a stale .pot silently untranslates.
        missing = sorted(self.terms - set(po_entries(I18N / f"{MODULE}.pot")))
        # On Odoo 19 a field name here (e.g. "store_id") is no text: its exporter reads a tuple right after an inline
        # _() call, such as an action's domain after its name, as another _() call. Name the term before instead.
        self.assertEqual(missing, [], "add these terms to i18n/woocommerce_connector.pot")

    def test_every_shown_string_has_a_persian_and_a_russian_translation(self):
        for lang in ("fa", "ru"):
            with self.subTest(lang=lang):
                translated = po_entries(I18N / f"{lang}.po")
                missing = sorted(term for term in self.terms if not translated.get(term))
                self.assertEqual(missing, [], f"i18n/{lang}.po lacks these translations")
