"""The addon is installed with its groups, menus and Settings section."""

from odoo.tests import tagged

from .common import MANAGER_GROUP, USER_GROUP, WcStoreCase


@tagged("post_install", "-at_install")
class TestStoreInstall(WcStoreCase):
    def test_groups_form_a_woocommerce_category_where_manager_implies_user(self):
        user_group = self.env.ref(USER_GROUP)
        manager_group = self.env.ref(MANAGER_GROUP)
        category = self.env.ref("woocommerce_connector.module_category_woocommerce")
        for group in (user_group, manager_group):
            # Odoo 18: res.groups.category_id; Odoo 19: the group's privilege has the category.
            group_category = group.privilege_id.category_id if "privilege_id" in group._fields else group.category_id
            self.assertEqual(group_category, category)
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertEqual(user_group.full_name, "WooCommerce / User")
        self.assertEqual(manager_group.full_name, "WooCommerce / Manager")

    def test_settings_administrators_are_woocommerce_managers(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group(MANAGER_GROUP))
        self.assertTrue(self.wc_manager.has_group(USER_GROUP))
        self.assertFalse(self.wc_user.has_group(MANAGER_GROUP))

    def test_app_menu_is_shown_to_woocommerce_users_only(self):
        root = self.env.ref("woocommerce_connector.menu_wc_root")
        stores = self.env.ref("woocommerce_connector.menu_wc_stores")
        configuration = self.env.ref("woocommerce_connector.menu_wc_configuration")
        self.assertEqual(stores.action, self.env.ref("woocommerce_connector.wc_store_action"))
        menus = self.env["ir.ui.menu"]
        visible_to_user = menus.with_user(self.wc_user)._visible_menu_ids()
        self.assertIn(root.id, visible_to_user)
        self.assertIn(stores.id, visible_to_user)
        self.assertNotIn(configuration.id, visible_to_user)
        self.assertIn(configuration.id, menus.with_user(self.wc_manager)._visible_menu_ids())
        self.assertNotIn(root.id, menus.with_user(self.employee)._visible_menu_ids())

    def test_settings_have_a_woocommerce_section_that_counts_the_stores(self):
        admin_env = self.env(user=self.env.ref("base.user_admin"))
        arch = admin_env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="woocommerce_connector"', arch)
        self.assertIn('name="wc_store_count"', arch)
        before = admin_env["res.config.settings"].create({}).wc_store_count
        self.create_store(name="Second Shop", url="https://second.example.com")
        self.assertEqual(admin_env["res.config.settings"].create({}).wc_store_count, before + 1)

    def test_settings_section_opens_the_stores(self):
        admin_env = self.env(user=self.env.ref("base.user_admin"))
        arch = admin_env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        action = self.env.ref("woocommerce_connector.wc_store_action")
        # The button's "%(xmlid)d" is resolved to the action's id when the view loads.
        self.assertIn(f'name="{action.id}"', arch)
        self.assertEqual(action.res_model, "wc.store")
