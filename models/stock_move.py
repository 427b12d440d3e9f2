"""Stock moves tell the stores whose stock comes from Odoo that a product's quantity changed.

Done and cancelled moves always change what a store shows; reserving and
releasing stock change the *free* quantity, so they count when the store
says so (``wc_stock_on_reservation``). The push itself is a debounced job
per store (:mod:`.wc_store_stock`); here the products are only marked.
"""

from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        self.env["wc.store"]._wc_stock_changed((moves | self).product_id)
        return moves

    def _action_cancel(self):
        result = super()._action_cancel()
        self.env["wc.store"]._wc_stock_changed(self.product_id)
        return result

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self.env["wc.store"]._wc_stock_changed(self.product_id, reservation=True)
        return result

    def _do_unreserve(self):
        result = super()._do_unreserve()
        self.env["wc.store"]._wc_stock_changed(self.product_id, reservation=True)
        return result
