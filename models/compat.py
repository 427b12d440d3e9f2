"""What differs between Odoo 18 and Odoo 19, in one place.

The same branch installs on both. Code that must say something the two
versions spell differently uses these names instead of testing the version
itself (see "Odoo 18 and 19" in ARCHITECTURE.md):

- :class:`Constraint` declares a SQL constraint the way Odoo 19 does
  (``_name = Constraint("UNIQUE(a, b)", "message")`` in the class body); on
  Odoo 18, which knows only ``_sql_constraints``, the same declaration is
  added to that list. Odoo 19 ignores ``_sql_constraints`` (a warning only),
  and without the constraints the import locks and the exactly-once
  guarantees would silently break.
- :data:`GROUPS_FIELD` is the field that restricts menus, actions and users
  to groups (``groups_id`` on 18, ``group_ids`` on 19).
- :data:`USABLE_ACCOUNTS_DOMAIN` leaves out the accounts one may no longer
  post to (``deprecated`` on 18; archived, so hidden anyway, on 19).
- :data:`LINE_TAXES` is the taxes field of a sale order line (``tax_id`` on
  18, ``tax_ids`` on 19).
- :func:`put_groups_in_category` files the addon's groups under its
  application category (``res.groups.category_id`` on 18, a
  ``res.groups.privilege`` on 19).
"""

from odoo import models, release

ODOO_VERSION = release.version_info[0]

GROUPS_FIELD = "groups_id" if ODOO_VERSION < 19 else "group_ids"

LINE_TAXES = "tax_id" if ODOO_VERSION < 19 else "tax_ids"

#: A group's users (``users`` on 18, ``user_ids`` on 19).
GROUP_USERS = "users" if ODOO_VERSION < 19 else "user_ids"

#: A sale order line's unit of measure (``product_uom`` on 18, ``product_uom_id`` on 19).
LINE_UOM = "product_uom" if ODOO_VERSION < 19 else "product_uom_id"

#: Accounts one may still post to: Odoo 18 flags the others ``deprecated``, Odoo 19 archives them.
USABLE_ACCOUNTS_DOMAIN = "[('deprecated', '=', False)]" if ODOO_VERSION < 19 else "[]"

if hasattr(models, "Constraint"):
    Constraint = models.Constraint
else:

    class Constraint:
        """Odoo 19's ``models.Constraint`` on Odoo 18: feeds the class's ``_sql_constraints``."""

        def __init__(self, definition, message=""):
            self.definition = definition
            self.message = message

        def __set_name__(self, owner, name):
            # Odoo 19 names the database constraint "<table>_<name without the leading _>",
            # Odoo 18 "<table>_<key>": the same key gives the same constraint on both.
            assert name.startswith("_"), "Names of SQL constraints in a model must start with '_'"
            declared = list(owner.__dict__.get("_sql_constraints", []))
            declared.append((name[1:], self.definition, self.message))
            owner._sql_constraints = declared


def put_groups_in_category(env, category_xmlid, group_xmlids, privilege_xmlid):
    """File ``group_xmlids`` under the application ``category_xmlid`` on either version.

    On Odoo 19 groups belong to a privilege (which belongs to the category);
    it is created once, under ``privilege_xmlid``, so that uninstalling the
    addon removes it with the rest of its data.
    """
    category = env.ref(category_xmlid)
    groups = env["res.groups"].browse([env.ref(xmlid).id for xmlid in group_xmlids])
    if "privilege_id" not in env["res.groups"]._fields:
        groups.filtered(lambda group: group.category_id != category).write({"category_id": category.id})
        return
    privilege = env.ref(privilege_xmlid, raise_if_not_found=False)
    if not privilege:
        privilege = env["res.groups.privilege"].create({"name": category.name, "category_id": category.id})
        module, name = privilege_xmlid.split(".")
        env["ir.model.data"].create({"module": module, "name": name, "model": privilege._name,
                                     "res_id": privilege.id, "noupdate": True})
    groups.filtered(lambda group: group.privilege_id != privilege).write({"privilege_id": privilege.id})
