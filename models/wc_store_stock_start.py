"""Starting a store's stock: nothing is sent until the shop says where the first numbers come from.

A new store's stock flow is off (``rules.directions``). A store just
connected has products Odoo created on first sight with nothing on hand, and
a history import's deliveries drive them below zero: pushing that (or the
nightly reconcile) would show the whole shop sold out. The shop starts its
stock from the Stock page of the store form:

* **from the store**: the store's count of every linked item it manages
  (read as the reconcile reads it, 100 per GET) becomes Odoo's on-hand
  quantity in the store's stock warehouse (plus what the store's open
  deliveries still take: the store counted those orders out already), in
  one inventory adjustment; the
  links are marked as pushed at that count, so nothing is sent back; then
  stock flows Odoo → store;
* **from Odoo's quantities**, for a shop whose Odoo stock is already right:
  stock flows Odoo → store and every linked item is pushed now.
"""

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..wc_connector.errors import WooCommerceError
from ..wc_connector.rules import directions
from ..wc_connector.rules import stock as rules
from .const import MANAGER_GROUP
from .wc_access import check_wc_group


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_stock_notice = fields.Char(compute="_compute_wc_stock_notice", string="Stock notice")

    @api.depends("wc_stock_flow")
    def _compute_wc_stock_notice(self):
        for store in self:
            store.wc_stock_notice = False if store._wc_allows_export(directions.STOCK) else self.env._(
                "Stock is not sent to the store yet: start it from the Stock page (Start stock from the store, "
                "or from Odoo's quantities)."
            )

    def action_wc_stock_start_from_store(self):
        """Take the store's stock counts as Odoo's on-hand quantities, then send Odoo's stock to the store."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Start stock from the store"))
        for store in self.filtered("active"):
            try:
                store.sudo()._wc_stock_start_from_store()
            except (WooCommerceError, RetryableJobError) as error:
                # Read before anything is written: nothing was taken, the flow stays off.
                raise UserError(self.env._("The store's stock could not be read: %s", error)) from None
        return True

    def action_wc_stock_start_from_odoo(self):
        """Send Odoo's stock to the store from now on, starting with every linked item."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Start stock from Odoo's quantities"))
        for store in self.filtered("active"):
            store = store.sudo()
            store.wc_stock_flow = directions.ODOO_TO_STORE
            links = self.env["wc.product.link"].sudo().search([("store_id", "=", store.id)])
            links.write({"wc_stock_dirty": True, "wc_stock_pushed_at": False})
            store._wc_enqueue_stock_push()
            store.message_post(body=self.env._(
                "Stock started from Odoo's quantities: %(count)s linked products are sent to the store.",
                count=len(links)))
        return True

    def _wc_stock_start_from_store(self):
        """Read the store's counts, adjust Odoo's on hand to them, mark them pushed, turn the flow on."""
        self.ensure_one()
        links = self.env["wc.product.link"].search([("store_id", "=", self.id)])
        links = links.filtered(lambda link: link.product_id.is_storable)
        run = self._wc_stock_run("stock_start", len(links))
        shown, gets = self._wc_read_store_stock(links)
        taken = rules.starting_quantities(shown, [(link.wc_product_id, link.wc_variation_id) for link in links])
        taken_links = links.filtered(lambda link: (link.wc_product_id, link.wc_variation_id) in taken)
        targets = {}
        for link in taken_links:
            # A product linked to two store items of this store keeps the first count.
            targets.setdefault(link.product_id.id, taken[(link.wc_product_id, link.wc_variation_id)])
        adjusted = self._wc_set_on_hand(targets)
        # Marked as pushed at the store's own count: the first push and reconcile send nothing back.
        now = fields.Datetime.now()
        for quantity in set(taken.values()):
            taken_links.filtered(
                lambda link, quantity=quantity: taken[(link.wc_product_id, link.wc_variation_id)] == quantity
            ).write({"wc_stock_pushed": quantity, "wc_stock_pushed_at": now, "wc_stock_dirty": False})
        self.wc_stock_flow = directions.ODOO_TO_STORE
        run._wc_add({"updated": len(taken_links), "unchanged": len(links) - len(taken_links)},
                    pages=gets, requests=gets)
        run._wc_finish("done")
        self.message_post(body=Markup("<p>%s</p>") % self.env._(
            "Stock started from the store: %(taken)s of %(linked)s linked products took the store's count "
            "(%(adjusted)s on-hand quantities adjusted in %(warehouse)s); %(left)s the store does not count kept "
            "Odoo's quantity. Stock now flows Odoo → store.",
            taken=len(taken_links), linked=len(links), adjusted=adjusted,
            warehouse=self._wc_stock_warehouses()[:1].display_name, left=len(links) - len(taken_links),
        ) + self._wc_stock_start_details(taken_links, taken))
        return run

    def _wc_stock_start_details(self, links, taken):
        """The first counts taken, as a list for the chatter note."""
        rows = [
            Markup("<li>%s: %s</li>") % (link.product_id.display_name,
                                         taken[(link.wc_product_id, link.wc_variation_id)])
            for link in links[:50]
        ]
        return Markup("<ul>%s</ul>") % Markup("").join(rows) if rows else Markup("")

    def _wc_set_on_hand(self, targets):
        """Set the on-hand quantity of each product (``{product id: quantity}``) in the store's stock warehouse.

        The quantity is the store's count plus what the store's open
        deliveries from that warehouse still take (``rules.starting_on_hand``);
        those deliveries are reserved afterwards. One inventory adjustment: the
        difference to the warehouse's on hand (one batched compute) goes to its
        stock location's untracked quant, existing quants found in one search
        and missing ones created in one batch. Returns how many quantities
        changed.
        """
        warehouse = self._wc_stock_warehouses()[:1]
        if not targets or not warehouse:
            return 0
        location = warehouse.lot_stock_id
        open_moves = self.env["stock.move"].search([
            ("product_id", "in", list(targets)), ("sale_line_id.order_id.wc_store_id", "=", self.id),
            ("state", "not in", ("draft", "done", "cancel")),
            ("location_id", "child_of", warehouse.view_location_id.id),
        ])
        to_deliver = {}
        for move in open_moves.filtered(lambda move: move.location_dest_id.usage == "customer"):
            to_deliver[move.product_id.id] = to_deliver.get(move.product_id.id, 0) + move.product_qty
        targets = {product_id: rules.starting_on_hand(count, to_deliver.get(product_id))
                   for product_id, count in targets.items()}
        products = self.env["product.product"].browse(list(targets)).with_company(self.company_id)
        on_hand = {product.id: product.qty_available
                   for product in products.with_context(warehouse_id=warehouse.id)}
        # As the superuser, a stock manager: Odoo applies inventory quantities only in its inventory mode.
        Quant = self.env["stock.quant"].with_user(SUPERUSER_ID).with_company(self.company_id).with_context(
            inventory_mode=True, inventory_name=self.env._("WooCommerce: stock taken from %s", self.name))
        quants = {quant.product_id.id: quant for quant in Quant.search([
            ("product_id", "in", list(targets)), ("location_id", "=", location.id), ("lot_id", "=", False),
            ("package_id", "=", False), ("owner_id", "=", False),
        ])}
        to_apply, to_create = Quant, []
        for product in products:
            difference = targets[product.id] - on_hand[product.id]
            if float_is_zero(difference, precision_rounding=product.uom_id.rounding):
                continue
            quant = quants.get(product.id)
            if quant:
                quant.inventory_quantity = quant.quantity + difference
                to_apply |= quant
            else:
                to_create.append({"product_id": product.id, "location_id": location.id,
                                  "inventory_quantity": difference})
        to_apply |= Quant.create(to_create)
        to_apply.with_context(set_inventory_quantity_auto_apply=True).action_apply_inventory()
        # The open deliveries take their units now, so Odoo's free quantity is the store's count.
        open_moves.filtered(
            lambda move: move.location_id.parent_path.startswith(location.parent_path))._action_assign()
        return len(to_apply)
