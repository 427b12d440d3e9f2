"""The addon's groups under its application category, and actions restricted to groups, on Odoo 18 and 19."""

from odoo import api, models

from . import compat


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model
    def _wc_put_in_category(self, category_xmlid, group_xmlids, privilege_xmlid):
        """Called from security/wc_security.xml: the XML spelling differs between the versions."""
        compat.put_groups_in_category(self.env, category_xmlid, group_xmlids, privilege_xmlid)

    @api.model
    def _wc_restrict_to_groups(self, record_xmlids, group_xmlids):
        """Show actions or menus (``record_xmlids``) to ``group_xmlids`` only (``groups_id`` / ``group_ids``)."""
        groups = [self.env.ref(xmlid).id for xmlid in group_xmlids]
        for xmlid in record_xmlids:
            self.env.ref(xmlid).write({compat.GROUPS_FIELD: [(6, 0, groups)]})
