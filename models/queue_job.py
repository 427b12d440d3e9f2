"""What a job of the addon works on: the "Related" button of a queued job opens it.

queue_job calls a job function's ``related_action`` (set on every job
function of the addon in ``data/queue_job_data.xml``) on the ``queue.job``
record. :meth:`QueueJob.related_action_wc_open` opens the order, customer,
product(s), run or reconciliation the job applies — found from the job's
method and arguments by the link lookups (``wc.binding``) — and the store
itself when the job works on the whole store or its record is gone.
"""

from odoo import models


class QueueJob(models.Model):
    _inherit = "queue.job"

    def related_action_wc_open(self):
        """The action opening what this store job works on (a form for one record, a list for several)."""
        self.ensure_one()
        store = self.records.exists()
        if store._name != "wc.store" or len(store) != 1:
            return self.related_action_open_record()
        records = self._wc_job_records(store.sudo()) or store
        action = {"type": "ir.actions.act_window", "res_model": records._name}
        if len(records) == 1:
            return dict(action, name=records.display_name, view_mode="form", views=[(False, "form")], res_id=records.id)
        return dict(action, name=self.name, view_mode="list,form", views=[(False, "list"), (False, "form")],
                    domain=[("id", "in", records.ids)])

    def _wc_job_records(self, store):
        """The records job ``self`` of ``store`` works on, from its method and arguments; empty for the store."""
        args, method = self.args or [], self.method_name
        if method == "_wc_job_process_delivery":  # (topic, store id of the resource, payload)
            resource, wc_id = args[0].partition(".")[0], args[1]
            if resource == "order":
                return self.env["sale.order"]._wc_bound(store, [wc_id])
            if resource == "customer":
                return self.env["wc.customer.link"]._wc_bound(store, [wc_id]).partner_id
            if resource == "product":
                return self.env["wc.product.link"]._wc_bound(store, [wc_id]).product_id
        elif method == "_wc_job_read_run":  # (entity, since, until, run id)
            return self.env["wc.sync.run"].browse(args[3]).exists()
        elif method == "_wc_job_import_page":  # (page id)
            return self.env["wc.sync.page"].browse(args[0]).exists().run_id
        elif method == "_wc_job_close_run":  # (run id, newest)
            return self.env["wc.sync.run"].browse(args[0]).exists()
        elif method == "_wc_push_orders":  # the orders still waiting to be sent
            return self.env["sale.order"].search([("wc_store_id", "=", store.id), ("wc_push_scope", "!=", False)])
        elif method == "_wc_push_catalog" and args and args[0]:  # (template ids, or None for the whole catalog)
            return self.env["product.template"].browse(args[0]).exists()
        elif method == "_wc_push_stock":  # the products whose stock is still to send
            return self.env["wc.product.link"].search([("store_id", "=", store.id), ("wc_stock_dirty", "=", True)]).product_id
        elif method == "_wc_job_reconcile":  # (date from, date to): the reconciliation the job made
            return self.env["wc.reconcile"].search(
                [("store_id", "=", store.id), ("date_from", "=", args[0]), ("date_to", "=", args[1])], order="id desc", limit=1)
        return self.env["wc.store"]
