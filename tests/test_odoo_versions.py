"""The same addon on Odoo 18 and Odoo 19: what one of them would silently drop or refuse.

- The UNIQUE and CHECK constraints exist in the database: Odoo 19 ignores
  ``_sql_constraints`` with a mere warning, and without the UNIQUE links the
  import locks and the exactly-once guarantees break without a sound.
- The views and data files use only forms both versions accept (Odoo 19's
  schema rejects some that Odoo 18 takes), so a view written and tested on 18
  cannot break the install on 19.
"""

import ast
import os

import psycopg2
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models import compat

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: The constraints the sync's guarantees rest on (table, constraint, type: u = UNIQUE, c = CHECK).
ESSENTIAL_CONSTRAINTS = [
    ("sale_order", "sale_order_wc_order_unique", "u"),
    ("wc_customer_link", "wc_customer_link_store_customer_unique", "u"),
    ("wc_customer_link", "wc_customer_link_wc_customer_id_positive", "c"),
    ("wc_import_lock", "wc_import_lock_key_unique", "u"),
    ("wc_product_link", "wc_product_link_store_product_unique", "u"),
    ("wc_tax_link", "wc_tax_link_rate_mode_unique", "u"),
    ("wc_webhook_delivery", "wc_webhook_delivery_store_delivery_unique", "u"),
    ("wc_webhook", "wc_webhook_store_webhook_unique", "u"),
    ("wc_payment_gateway", "wc_payment_gateway_gateway_unique", "u"),
    ("wc_shipping_method", "wc_shipping_method_store_method_unique", "u"),
    ("wc_order_status", "wc_order_status_store_status_unique", "u"),
    ("wc_store", "wc_store_timeout_positive", "c"),
]


def declared_constraints(model):
    """The SQL constraints a model declares, as the running Odoo sees them: {database name: definition}."""
    if hasattr(model, "_table_objects"):  # Odoo 19
        return {
            obj.full_name(model): obj.get_definition(model.pool)
            for obj in model._table_objects.values()
            if isinstance(obj, compat.Constraint)
        }
    return {f"{model._table}_{key}": definition for key, definition, _message in model._sql_constraints}


@tagged("post_install", "-at_install")
class TestConstraintsInDatabase(TransactionCase):
    def existing(self, table):
        self.env.cr.execute(
            "SELECT conname, contype FROM pg_constraint WHERE conrelid = %s::regclass", [table]
        )
        return dict(self.env.cr.fetchall())

    def test_the_constraints_the_sync_rests_on_exist(self):
        for table, name, kind in ESSENTIAL_CONSTRAINTS:
            with self.subTest(constraint=name):
                self.assertEqual(self.existing(table).get(name), kind, f"{name} is missing on {table}")

    def test_every_constraint_a_model_of_the_addon_declares_exists(self):
        models = [self.env[name] for name in self.env.registry if name.startswith("wc.")] + [self.env["sale.order"]]
        checked = 0
        for model in models:
            if model._abstract or not model._auto:
                continue
            existing = self.existing(model._table)
            for name in declared_constraints(model):
                if model._name.startswith("wc.") or "_wc_" in name:
                    with self.subTest(constraint=name):
                        self.assertIn(name, existing)
                    checked += 1
        self.assertGreaterEqual(checked, len(ESSENTIAL_CONSTRAINTS))

    def test_no_model_of_the_addon_declares_a_constraint_odoo_19_would_ignore(self):
        # A plain _sql_constraints list installs on 19 with a mere warning and no constraint: every entry must come
        # from a compat.Constraint (which fills that list on Odoo 18 only).
        checked = 0
        for model_name in self.env.registry:
            for cls in type(self.env[model_name]).mro():
                if getattr(cls, "pool", None) is not None:
                    continue  # the registry's class (merges every addon's), not a class an addon wrote
                if getattr(cls, "_module", None) != "woocommerce_connector" or "_sql_constraints" not in vars(cls):
                    continue
                for key, *_definition in vars(cls)["_sql_constraints"]:
                    with self.subTest(model=model_name, constraint=key):
                        self.assertIsInstance(vars(cls).get(f"_{key}"), compat.Constraint,
                                              f"{model_name}: declare {key} as _{key} = Constraint(...)")
                        checked += 1
        self.assertEqual(bool(checked), compat.ODOO_VERSION < 19)

    def test_a_second_sale_order_for_the_same_store_order_is_refused_by_the_database(self):
        store = self.env["wc.store"].create({"name": "Constraint shop", "url": "https://constraint.example.com"})
        partner = self.env["res.partner"].create({"name": "Buyer"})
        values = {"partner_id": partner.id, "wc_store_id": store.id, "wc_order_id": 4242}
        self.env["sale.order"].create(values)
        with self.assertRaises(psycopg2.errors.UniqueViolation) as caught, mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["sale.order"].create(values)
                self.env.flush_all()
        self.assertEqual(caught.exception.diag.constraint_name, "sale_order_wc_order_unique")


#: Forms Odoo 18 accepts and Odoo 19 refuses: (XPath, what to write instead).
REJECTED_BY_19 = [
    ("//search//group[@expand or @string]", "a plain <group> in a search view (19: no expand/string)"),
    ("//record[@model='ir.actions.act_window']/field[@name='target'][normalize-space()='inline']",
     "no target (19 has no 'inline' target)"),
    ("//record/field[@name='groups_id' or @name='group_ids']",
     "res.groups._wc_restrict_to_groups (groups_id on 18, group_ids on 19)"),
    ("//record[@model='res.groups']/field[@name='category_id' or @name='privilege_id']",
     "res.groups._wc_put_in_category (category_id on 18, a privilege on 19)"),
    ("//field[@name='tax_id' and ancestor::field[@name='order_line']]", "tax_ids on 19, tax_id on 18"),
    ("//field[@name='mobile']", "phone (res.partner.mobile is gone on 19)"),
]


@tagged("post_install", "-at_install")
class TestFormsBothVersionsAccept(TransactionCase):
    def data_files(self):
        with open(os.path.join(ADDON_DIR, "__manifest__.py"), encoding="utf-8") as handle:
            manifest = ast.literal_eval(handle.read())
        return [name for name in manifest["data"] if name.endswith(".xml")]

    def test_no_data_file_uses_a_form_odoo_19_rejects(self):
        files = self.data_files()
        self.assertIn("views/wc_store_views.xml", files)
        for name in files:
            tree = etree.parse(os.path.join(ADDON_DIR, name))
            for xpath, instead in REJECTED_BY_19:
                with self.subTest(file=name, form=xpath):
                    found = tree.xpath(xpath)
                    self.assertFalse(found, f"{name}:{found[0].sourceline if found else ''} — use {instead}")

    def test_the_views_of_the_addon_validate_on_this_odoo(self):
        views = self.env["ir.ui.view"].search([("model_data_id.module", "=", "woocommerce_connector")])
        self.assertTrue(views)
        views._check_xml()

    def test_the_retry_action_is_for_managers_only(self):
        action = self.env.ref("woocommerce_connector.wc_sync_log_action_retry")
        self.assertEqual(action[compat.GROUPS_FIELD], self.env.ref("woocommerce_connector.group_wc_manager"))
