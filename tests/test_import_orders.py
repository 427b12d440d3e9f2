"""Store orders become sale orders: one per store order, safe to import again, held when they cannot be imported."""

import copy
import json
import logging
from datetime import datetime, timedelta
from decimal import Decimal

from odoo.tests import tagged

from ..models.compat import LINE_TAXES
from ..wc_emulator import EmulatedStore
from ..wc_emulator.generator import generate_store
from .order_fixtures import OrderImportCase, capture_body, captured_orders, order_body

_logger = logging.getLogger(__name__)


def money(value):
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def later(data, **changes):
    """A copy of an order payload modified an hour later in the store."""
    data = copy.deepcopy(data)
    modified = datetime.fromisoformat(data["date_modified_gmt"]) + timedelta(hours=1)
    data["date_modified_gmt"] = data["date_modified"] = modified.isoformat(timespec="seconds")
    data.update(changes)
    return data


def by_id(order_id):
    return next(data for data in captured_orders() if data["id"] == order_id)


@tagged("post_install", "-at_install")
class TestImportOrders(OrderImportCase):
    # -- setup on connect --------------------------------------------------------------------

    def test_setup_from_store_creates_taxes_and_shipping_methods_once(self):
        links = self.store.wc_tax_link_ids
        self.assertEqual(set(links.mapped("wc_rate_id")), {1, 2, 3, 4, 5})
        self.assertFalse(any(links.mapped("price_include")))  # the store's prices exclude tax
        nl = links.filtered(lambda link: link.wc_rate_id == 5)
        self.assertEqual((nl.tax_id.amount, nl.tax_id.name), (21.0, "BTW 21% (NL)"))
        methods = set(self.store.wc_shipping_method_ids.mapped("method_id"))
        self.assertTrue(methods >= {"flat_rate", "free_shipping", "local_pickup"}, methods)
        self.assertEqual(self.store.company_id.tax_calculation_rounding_method, "round_per_line")
        # A bank journal per enabled payment gateway of the store.
        gateways = self.store.wc_gateway_ids.filtered("enabled")
        self.assertTrue(gateways and all(gateways.mapped("journal_id")), gateways.mapped("gateway"))
        taxes = self.env["account.tax"].search_count([])
        self.store.action_setup_from_store()
        self.assertEqual(self.env["account.tax"].search_count([]), taxes)
        self.assertEqual(self.store.wc_tax_link_ids, links)
        self.assertEqual(self.store.wc_gateway_ids.filtered("enabled"), gateways)

    # -- the "Online shop" fields, lines, coupons ----------------------------------------------

    def test_b2b_order_with_a_coupon_has_its_lines_coupon_shipping_and_19_percent(self):
        data = order_body("order_single_b2b_coupon.json")
        self.assertEqual(self.import_orders(data), {"created": 1, "updated": 0, "unchanged": 0, "failed": 0})
        sale = self.sale_of(73)
        self.assertEqual(money(sale.amount_total), Decimal("1253.27"))
        products = sale.order_line.filtered(lambda line: line.wc_line_kind == "product")
        self.assertEqual(
            [(line.product_id.default_code, line.product_uom_qty, line.price_unit) for line in products],
            [("LAB-TSHIRT-WHI-M", 3, 17.91), ("LAB-GIFT-25", 5, 22.50), ("LAB-CHAIR-ERG", 4, 225.00)],
        )
        self.assertEqual(set(products.mapped(LINE_TAXES).mapped("amount")), {19.0})
        self.assertIn("welcome10: -118.47", sale.wc_coupons)
        [note] = sale.order_line.filtered(lambda line: line.display_type == "line_note")
        self.assertEqual(note.name, "Coupon welcome10: -118.47")
        shipping = sale.order_line.filtered(lambda line: line.wc_line_kind == "shipping")
        self.assertTrue(shipping and shipping.product_id == self.store.wc_shipping_method_ids.filtered(
            lambda method: method.method_id == data["shipping_lines"][0]["method_id"]).product_id)
        self.assertEqual(sale.wc_order_number, "73")
        self.assertEqual(sale.wc_postcode, data["billing"]["postcode"])
        self.assertEqual(sale.wc_phone, data["billing"]["phone"])
        self.assertIn(data["billing"]["city"], sale.wc_address)
        self.assertEqual(sale.wc_customer_note or "", data["customer_note"])
        self.assertEqual(sale.wc_payment_method, data["payment_method_title"])
        self.assertEqual(sale.wc_order_url, f"{self.store.url}/wp-admin/admin.php?page=wc-orders&action=edit&id=73")
        self.assertTrue(sale.name.startswith(f"WC{self.store.id}/"))
        self.assertEqual(sale.partner_id.commercial_partner_id.name, data["billing"]["company"])
        self.assertEqual(sale.currency_id.name, "EUR")
        self.assertEqual(sale.state, "draft")  # on-hold → quotation

    def test_order_names_follow_the_store_prefix(self):
        self.store.wc_order_prefix = "SHOP-"
        self.import_orders(by_id(57))
        self.assertTrue(self.sale_of(57).name.startswith("SHOP-"))

    def test_a_page_of_orders_is_numbered_in_sequence_and_a_no_gap_numbering_too(self):
        prefix = f"WC{self.store.id}/"

        def numbers(orders):
            names = [self.sale_of(data["id"]).name for data in orders]
            self.assertTrue(all(name.startswith(prefix) for name in names), names)
            return sorted(int(name.removeprefix(prefix)) for name in names)

        quotations = [data for data in captured_orders() if data["status"] in ("on-hold", "pending")]
        self.assertGreaterEqual(len(quotations), 4)
        self.import_orders(*quotations[:2])
        first = numbers(quotations[:2])
        self.assertEqual(first[1], first[0] + 1, "one page, consecutive numbers")
        sequence = self.store.wc_order_sequence_id
        # Odoo's no-gap numbering goes on from the sequence's stored next number.
        sequence.write({"implementation": "no_gap", "number_next": sequence.number_next_actual})
        self.import_orders(*quotations[2:4])
        second = numbers(quotations[2:4])
        self.assertEqual(second[1], second[0] + 1)
        self.assertGreater(second[0], first[1])

    def test_an_analytic_distribution_model_and_a_fiscal_position_still_apply(self):
        # With none defined the import tells Odoo they are empty (no search per order and line); with one
        # defined Odoo computes them as always.
        data = by_id(57)
        plan = self.env["account.analytic.plan"].create({"name": "Channels"})
        account = self.env["account.analytic.account"].create({"name": "Web shop", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create({"analytic_distribution": {str(account.id): 100}})
        country = self.env["res.country"].search([("code", "=", data["billing"]["country"])])
        position = self.env["account.fiscal.position"].create(
            {"name": "Shop customers", "auto_apply": True, "country_id": country.id}
        )
        self.import_orders(data)
        sale = self.sale_of(57)
        self.assertEqual(sale.fiscal_position_id, position)
        products = sale.order_line.filtered(lambda line: not line.display_type)
        self.assertEqual(products.mapped("analytic_distribution"), [{str(account.id): 100}] * len(products))

    def test_without_analytic_models_and_fiscal_positions_the_order_has_none(self):
        self.assertFalse(self.env["account.analytic.distribution.model"].search_count([]))
        self.env["account.fiscal.position"].with_context(active_test=False).search([]).unlink()
        self.import_orders(by_id(57))
        sale = self.sale_of(57)
        self.assertFalse(sale.fiscal_position_id)
        self.assertFalse(any(sale.order_line.mapped("analytic_distribution")))

    def test_orders_get_the_stores_team_warehouse_and_a_pricelist_in_their_currency(self):
        team = self.env["crm.team"].create({"name": "Online shop team"})
        warehouse = self.env["stock.warehouse"].create({"name": "Web warehouse", "code": "WEB"})
        self.store.write({"wc_team_id": team.id, "wc_warehouse_id": warehouse.id})
        self.import_orders(by_id(57))
        sale = self.sale_of(57)
        self.assertEqual((sale.team_id, sale.warehouse_id), (team, warehouse))
        self.assertEqual(sale.pricelist_id.currency_id.name, by_id(57)["currency"])
        self.assertIn(sale.pricelist_id, self.store.wc_pricelist_ids)

    def test_guest_order_imports(self):
        data = order_body("order_single_guest.json")
        self.assertEqual(data["customer_id"], 0)
        self.assertEqual(self.import_orders(data)["created"], 1)
        sale = self.sale_of(data["id"])
        self.assertEqual(money(sale.amount_total), Decimal(data["total"]))
        self.assertTrue(sale.partner_id)

    def test_a_product_id_0_line_does_not_drop_the_order(self):
        data = order_body("more/paging/orders_modified_asc_reference_per_page_100.json", 102)
        self.assertEqual(self.import_orders(data)["created"], 1)
        [line] = self.sale_of(102).order_line
        self.assertEqual(line.product_id, self.env.ref("woocommerce_connector.product_wc_removed"))
        self.assertEqual(data["line_items"][0]["name"], "")  # the store kept no name either
        self.assertEqual((line.name, money(line.price_unit)), ("Item 196", Decimal(data["line_items"][0]["total"])))
        self.assertTrue(any("product_id 0" in (body or "") for body in self.sale_of(102).message_ids.mapped("body")))

    def test_variations_become_variants_of_one_template(self):
        self.import_orders(by_id(57), by_id(59))  # T-shirt Blue S, T-shirt White L (store product 25)
        shirts = (self.sale_of(57) | self.sale_of(59)).order_line.filtered(lambda line: line.wc_line_kind == "product")
        self.assertEqual(len(shirts.product_id), 2)
        self.assertEqual(len(shirts.product_id.product_tmpl_id), 1)
        self.assertEqual(set(shirts.product_id.mapped("default_code")), {"LAB-TSHIRT-BLU-S", "LAB-TSHIRT-WHI-L"})
        links = self.env["wc.product.link"].search([("store_id", "=", self.store.id), ("wc_product_id", "=", 25)])
        self.assertEqual(set(links.mapped("product_id")), set(shirts.product_id))

    def test_variations_as_separate_products(self):
        self.store.wc_variations_as_products = True
        self.import_orders(by_id(57), by_id(59))
        shirts = (self.sale_of(57) | self.sale_of(59)).order_line.filtered(lambda line: line.wc_line_kind == "product")
        self.assertEqual(len(shirts.product_id.product_tmpl_id), 2)

    def test_a_changed_customer_moves_the_sale_order_to_the_new_customer(self):
        self.import_orders(order_body("more/customer_change/a0_order74_before_get.json"))
        sale = self.sale_of(74)
        self.assertEqual(sale.partner_id.email, "julia.weber@example.de")
        self.assertEqual(self.import_orders(order_body("more/customer_change/a2_order74_after_get.json"))["updated"], 1)
        self.assertEqual(sale.partner_id.email, "sophie.wagner@example.de")
        self.import_orders(order_body("more/customer_change/b0_order75_before_get.json"))
        self.import_orders(order_body("more/customer_change/b1_order75_after_get.json"))
        self.assertEqual(self.sale_of(75).partner_id.commercial_partner_id.name, "Spedition Fischer Süd GmbH & Co. KG")

    # -- held orders and Retry -------------------------------------------------------------------

    def test_unknown_sku_is_held_with_the_reason_and_retry_imports_it(self):
        self.store.wc_create_missing_products = False
        known = by_id(60)  # LAB-TEA-GREEN
        self.env["product.product"].create({"name": "Green tea", "default_code": "LAB-TEA-GREEN"})
        unknown = by_id(57)  # LAB-TSHIRT-BLU-S
        counts = self.import_orders(known, unknown)
        self.assertEqual(counts, {"created": 1, "updated": 0, "unchanged": 0, "failed": 1})
        self.assertTrue(self.sale_of(60))
        self.assertFalse(self.sale_of(57))
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("wc_id", "=", 57)])
        self.assertEqual((log.state, log.entity), ("failed", "order"))
        self.assertIn("unknown product SKU 'LAB-TSHIRT-BLU-S'", log.reason)
        self.assertEqual(json.loads(log.payload)["id"], 57)
        # Still unknown: retrying keeps one entry, still failed.
        log.action_retry()
        self.assertEqual(log.state, "failed")
        self.assertEqual(self.env["wc.sync.log"].search_count([("store_id", "=", self.store.id), ("wc_id", "=", 57)]), 1)
        self.store.wc_create_missing_products = True
        log.action_retry()
        self.assertEqual(log.state, "done")
        self.assertEqual(money(self.sale_of(57).amount_total), Decimal("33.08"))

    def test_unmapped_tax_rate_holds_the_order_with_the_rate_named(self):
        self.store.wc_tax_link_ids.filtered(lambda link: link.wc_rate_id == 5).unlink()
        nl = next(data for data in captured_orders() if any(t["rate_id"] == 5 for t in data["tax_lines"]))
        counts = self.import_orders(nl, by_id(57))
        self.assertEqual((counts["created"], counts["failed"]), (1, 1))
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("wc_id", "=", nl["id"])])
        self.assertEqual(log.reason, "tax rate 'BTW 21%' (NL, id 5) has no Odoo tax")
        self.store.action_setup_from_store()
        log.action_retry()
        self.assertEqual(log.state, "done")
        self.assertEqual(money(self.sale_of(nl["id"]).amount_tax), Decimal(nl["total_tax"]))

    def test_invalid_payload_is_logged_and_the_rest_of_the_page_imports(self):
        broken = dict(by_id(59), total="not money")
        counts = self.import_orders(broken, by_id(57))
        self.assertEqual((counts["created"], counts["failed"]), (1, 1))
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("wc_id", "=", 59)])
        self.assertIn("total", log.reason)

    # -- idempotent and safe -------------------------------------------------------------------

    def test_importing_the_same_page_twice_changes_nothing(self):
        page = [by_id(order_id) for order_id in (57, 58, 73, 77)]
        self.assertEqual(self.import_orders(*page)["created"], 4)
        sales = self.env["sale.order"].search([("wc_store_id", "=", self.store.id)])
        before = [(sale.write_date, sale.state, sale.amount_total, len(sale.order_line)) for sale in sales]
        self.assertEqual(self.import_orders(*page), {"created": 0, "updated": 0, "unchanged": 4, "failed": 0})
        after = self.env["sale.order"].search([("wc_store_id", "=", self.store.id)])
        self.assertEqual(after, sales)
        self.assertEqual([(sale.write_date, sale.state, sale.amount_total, len(sale.order_line)) for sale in after], before)

    def test_an_older_payload_is_ignored(self):
        data = by_id(59)
        newer = later(data, customer_note="Please ring twice")
        self.import_orders(newer)
        self.assertEqual(self.import_orders(data), {"created": 0, "updated": 0, "unchanged": 1, "failed": 0})
        self.assertEqual(self.sale_of(59).wc_customer_note, "Please ring twice")

    def test_a_changed_quotation_updates_its_lines_in_place(self):
        data = by_id(61)  # pending, 4 lines
        self.import_orders(data)
        sale = self.sale_of(61)
        dropped = data["line_items"][-1]
        total = Decimal(data["total"]) - Decimal(dropped["total"]) - Decimal(dropped["total_tax"])
        total_tax = Decimal(data["total_tax"]) - Decimal(dropped["total_tax"])
        changed = later(data, line_items=data["line_items"][:-1], total=str(total), total_tax=str(total_tax))
        self.assertEqual(self.import_orders(changed)["updated"], 1)
        self.assertEqual(self.sale_of(61), sale)
        self.assertEqual(len(sale.order_line.filtered(lambda line: line.wc_line_kind == "product")), 3)
        self.assertEqual(money(sale.amount_total), total)
        self.assertFalse(sale.wc_total_difference)

    def test_a_confirmed_order_keeps_its_lines_and_says_so(self):
        data = by_id(105)  # processing
        self.import_orders(data)
        sale = self.sale_of(105)
        lines = sale.order_line
        changed = later(data, line_items=data["line_items"][:1], total=str(Decimal(data["line_items"][0]["total"])))
        self.import_orders(changed)
        self.assertEqual(sale.order_line, lines)
        self.assertTrue(any("after it was confirmed" in (body or "") for body in sale.message_ids.mapped("body")))

    # -- status workflow --------------------------------------------------------------------------

    def test_processing_confirms_the_order_and_its_delivery_reserves_stock(self):
        data = by_id(63)
        stock = self.env.ref("stock.stock_location_stock")
        for line in data["line_items"]:
            product = self.env["product.product"].create(
                {"name": line["name"], "default_code": line["sku"], "type": "consu", "is_storable": True}
            )
            self.env["stock.quant"]._update_available_quantity(product, stock, 100)
        self.import_orders(data)
        sale = self.sale_of(63)
        self.assertEqual(sale.state, "sale")
        self.assertTrue(sale.picking_ids)
        moves = sale.picking_ids.move_ids
        self.assertEqual(set(moves.mapped("state")), {"assigned"})
        self.assertEqual(sale.date_order.strftime("%Y-%m-%d %H:%M:%S"), data["date_created_gmt"].replace("T", " "))

    def test_cancelled_and_failed_orders_are_cancelled(self):
        self.import_orders(by_id(87), by_id(91))
        self.assertEqual(self.sale_of(87).state, "cancel")
        self.assertEqual(self.sale_of(91).state, "cancel")

    def test_a_quotation_cancelled_in_the_store_is_cancelled(self):
        data = by_id(59)
        self.import_orders(data)
        self.import_orders(later(data, status="cancelled"))
        self.assertEqual(self.sale_of(59).state, "cancel")

    def test_orders_arrive_as_quotation_or_as_invoice(self):
        self.import_orders(by_id(59))
        self.assertEqual(self.sale_of(59).state, "draft")
        self.assertFalse(self.sale_of(59).invoice_ids)
        self.store.wc_orders_arrive_as = "invoice"
        self.import_orders(by_id(60))
        sale = self.sale_of(60)
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.invoice_ids.mapped("state"), ["posted"])
        self.assertEqual(money(sale.invoice_ids.amount_total), Decimal("68.50"))

    def test_a_status_override_replaces_the_default(self):
        self.store.wc_status_ids = [(0, 0, {"wc_status": "on-hold", "target": "sale"})]
        self.import_orders(by_id(57))
        self.assertEqual(self.sale_of(57).state, "sale")

    # -- bounded queries -------------------------------------------------------------------------

    def test_a_page_costs_a_bounded_number_of_queries_per_order(self):
        data = generate_store(seed=7, orders=80)
        with EmulatedStore(data) as emulated:
            # The sync runs as the scheduled job's user, not as the WooCommerce manager who created the store.
            warm = self.store_for(emulated, name="Warm-up").with_env(self.env)
            client = warm._client()
            try:
                orders = list(client.iter_records("orders", {"per_page": 100}))
            finally:
                client.close()
        orders = [dict(order, status="pending") for order in orders][:60]
        self.assertEqual(len(orders), 60)
        warm._wc_setup_orders(capture_body("taxes.json"), False)
        warm._wc_import_orders(orders)  # creates the products and customers once
        store = self.env["wc.store"].create({"name": "Measured", "url": "https://measured.example.com"})
        store._wc_setup_orders(capture_body("taxes.json"), False)
        self.env.flush_all()
        self.env.invalidate_all()

        def queries(page):
            start = self.env.cr.sql_log_count
            counts = store._wc_import_orders(page)
            self.env.flush_all()
            self.assertEqual(counts["created"], len(page))
            return self.env.cr.sql_log_count - start

        ten = queries(orders[:10])
        fifty = queries(orders[10:60])
        per_order = (fifty - ten) / 40
        _logger.info("Import queries: 10 orders %s, 50 orders %s, %.1f per extra order", ten, fifty, per_order)
        # Lookups, inserts, order numbers, fiscal position and analytic distribution are per page: an extra
        # order in a page costs nearly nothing of its own (9.4 queries before numbers, analytic distribution and
        # fiscal position were gathered per page, and the per-order savepoints went).
        self.assertLess(per_order, 4, f"10 orders: {ten} queries, 50 orders: {fifty} queries, {per_order} per order")
