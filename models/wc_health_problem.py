"""A problem the health check raised for a store, kept while it lasts so that it is raised only once.

One open row per (store, problem key) — the database makes a second one
impossible. The check marks it resolved when the problem is gone; should it
come back later, that is a new problem with a new activity.
"""

from odoo import fields, models


class WcHealthProblem(models.Model):
    _name = "wc.health.problem"
    _description = "WooCommerce Store Health Problem"
    _order = "date desc, id desc"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    key = fields.Char(required=True, readonly=True, help="What the problem is about, e.g. lag:order or webhook:12.")
    name = fields.Text(string="Problem", required=True, readonly=True)
    state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], required=True, default="open", index=True)
    date = fields.Datetime(string="Raised", required=True, default=fields.Datetime.now, readonly=True)
    date_resolved = fields.Datetime(string="Resolved", readonly=True)

    def init(self):
        # Once per problem: one open row per store and key, whatever two checks running at once do.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS wc_health_problem_open_uniq "
            "ON wc_health_problem (store_id, key) WHERE state = 'open'"
        )
