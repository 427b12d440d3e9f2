"""The catalog to the store: Odoo products marked for a store are created or updated there, in batches.

Which products: a template published for the store (its "Publish in stores"
field), or any sellable template in one of the store's publishing
categories (and their subcategories). What goes: name, SKU, description,
regular price (with tax when the store's prices include it), category,
active → ``publish``/``draft``; a template with variants goes as a variable
product with its attributes, its variants as variations.

How: one job per store (identity key ``wc:<store>:push_catalog``) sends the
products through ``products/batch`` (creates and updates together, ≤ 100 per
call), then each variable product's variants through
``products/<id>/variations/batch``. The store answers 200 with per-item
errors (``reverse/4_products``: a duplicate SKU fails alone with
``product_invalid_sku``); each failed item is noted on the product (chatter
and its link) and in the sync log, whose Retry sends it again. Categories
Odoo has not mapped yet are created in the store first (a name the store
already has under that parent is ``term_exists``: its id is mapped). What a
write returns (``date_modified``) marks the link, so the ``product.updated``
the store fires back is recognised as our echo (``rules.echo``).
"""

import hashlib
import json
import logging

from odoo import api, fields, models

from ..wc_connector.errors import WooCommerceError
from ..wc_connector.retry import RetryPolicy
from ..wc_connector.rules import catalog as rules
from ..wc_connector.rules import directions
from .const import MANAGER_GROUP
from .wc_access import check_wc_group
from .wc_store_stock import _job_error, _naive

_logger = logging.getLogger(__name__)


#: Product fields whose change the published stores must see.
EXPORTED_FIELDS = {"name", "list_price", "default_code", "description_sale", "categ_id", "active", "sale_ok",
                   "wc_publish_store_ids", "attribute_line_ids"}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    wc_publish_store_ids = fields.Many2many(
        "wc.store", "wc_store_product_publish_rel", "product_tmpl_id", "store_id",
        string="Publish in stores",
        help="The WooCommerce stores this product is created in and kept up to date from Odoo.",
    )

    def write(self, vals):
        result = super().write(vals)
        if EXPORTED_FIELDS.intersection(vals):
            self.env["wc.store"]._wc_catalog_changed(self)
        return result


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        result = super().write(vals)
        if {"default_code", "active"}.intersection(vals):
            self.env["wc.store"]._wc_catalog_changed(self.product_tmpl_id)
        return result


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_publish_categ_ids = fields.Many2many(
        "product.category", "wc_store_publish_categ_rel", "store_id", "categ_id",
        string="Publish categories",
        help="Every sellable product of these categories (and their subcategories) is published in the store.",
    )

    def _wc_products_to_publish(self, template_ids=None):
        """The templates this store publishes (all, or those of ``template_ids``)."""
        self.ensure_one()
        domain = [("wc_publish_store_ids", "in", self.id)]
        if self.wc_publish_categ_ids:
            domain = ["|", *domain, "&", ("sale_ok", "=", True), ("categ_id", "child_of", self.wc_publish_categ_ids.ids)]
        if template_ids is not None:
            domain = ["&", ("id", "in", list(template_ids)), *domain]
        return self.env["product.template"].sudo().with_context(active_test=False).search(domain, order="id")

    @api.model
    def _wc_catalog_changed(self, templates):
        """Published products changed in Odoo: queue each concerned store's catalog push (one waiting job per store).

        Not for the catalog import's own writes (``wc_catalog_import`` in the
        context): what came from the store does not go back to it.
        """
        if self.env.context.get("wc_catalog_import") or not templates:
            return
        for store in self.sudo().search([("active", "=", True)]):
            if not store._wc_allows_export(directions.PRODUCTS):
                continue
            if store._wc_products_to_publish(templates.ids) or store in templates.wc_publish_store_ids:
                store._wc_enqueue_catalog_push(delay=store.wc_stock_delay)

    def action_wc_push_catalog(self):
        """"Publish products now": send the store's published products (as a job)."""
        self.env["wc.store"].check_access("write")
        for store in self.filtered("active"):
            store._wc_enqueue_catalog_push()
        return True

    def _wc_enqueue_catalog_push(self, template_ids=None, delay=0):
        self.ensure_one()
        return self.sudo().with_delay(
            channel=self._wc_channel(),
            eta=delay or None,
            identity_key=f"wc:{self.id}:push_catalog:{','.join(map(str, sorted(template_ids))) if template_ids else 'all'}",
            description=self.env._("%(store)s: publish products in the store", store=self.name),
        )._wc_push_catalog(template_ids)

    # -- the job ---------------------------------------------------------------------------------

    def _wc_push_catalog(self, template_ids=None):
        """Job: create or update the published products in the store; return what happened."""
        self.ensure_one()
        store = self.sudo()
        if not store.active or not store._wc_allows_export(directions.PRODUCTS):
            return "Products do not flow to this store; nothing sent."
        templates = store._wc_products_to_publish(template_ids)
        run = self.env["wc.sync.run"].sudo().create(
            {"store_id": store.id, "entity": "product", "direction": "export", "kind": "push", "total": len(templates)})
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "requests": 0}
        failures = []
        client = store._client(retry=RetryPolicy(attempts=1))
        try:
            categories = store._wc_export_categories(client, templates.categ_id, counts)
            store._wc_export_templates(client, templates, categories, counts, failures)
        except WooCommerceError as error:
            raise _job_error(error) from None
        finally:
            client.close()
        if failures:
            self.env["wc.sync.log"].sudo().create(failures)
        requests = counts.pop("requests")
        run._wc_add(counts, pages=0, requests=requests)
        run._wc_finish("done")
        return f"{len(templates)} products: {counts['created']} created, {counts['updated']} updated, {counts['failed']} failed."

    def _wc_export_categories(self, client, categories, counts):
        """``{product.category id: store category id}``, creating in the store those not mapped yet."""
        Link = self.env["wc.category.link"].sudo()
        mapped = {}
        for link in Link._wc_bound_to(self, categories).sorted("id"):
            mapped.setdefault(link.categ_id.id, link.wc_category_id)
        for category in categories.filtered(lambda c: c.id not in mapped):
            counts["requests"] += 1
            try:
                answer = client.request("POST", "products/categories", json={"name": category.name})
                wc_id = answer.data.get("id") if isinstance(answer.data, dict) else None
            except WooCommerceError as error:
                if error.code != "term_exists":
                    raise
                wc_id = (error.data or {}).get("resource_id")  # the store has it already: use it
            if wc_id:
                Link.create({"store_id": self.id, "wc_category_id": wc_id, "name": category.name,
                             "categ_id": category.id})
                mapped[category.id] = wc_id
        return mapped

    def _wc_export_templates(self, client, templates, categories, counts, failures):
        Link = self.env["wc.product.link"].sudo()
        links = Link._wc_bound_to(self, templates.product_variant_ids)
        by_product = {link.product_id.id: link for link in links}
        tax_percent = self._wc_catalog_tax_percent() if self.wc_prices_include_tax else None
        creates, updates = [], []
        for template in templates:
            variants = template.with_context(active_test=False).product_variant_ids
            variable = len(variants) > 1 or bool(template.attribute_line_ids)
            if variable:
                parent_link = next((by_product[v.id] for v in variants if v.id in by_product), None)
                wc_id = parent_link.wc_product_id if parent_link else 0
                link = None  # a variable product's own state is sent each time; its variations only when changed
                sku = ""
            else:
                link = by_product.get(variants[:1].id)
                wc_id = link.wc_product_id if link else 0
                sku = variants[:1].default_code or ""
            payload = rules.product_payload(rules.ExportProduct(
                name=template.name,
                sku=sku,
                description=template.description_sale or "",
                price=None if variable else rules.gross_price(template.list_price, self.wc_prices_include_tax, tax_percent),
                active=template.active and template.sale_ok,
                category_ids=(categories[template.categ_id.id],) if template.categ_id.id in categories else (),
                attributes={
                    line.attribute_id.name: tuple(line.value_ids.mapped("name")) for line in template.attribute_line_ids
                } if variable else None,
                wc_id=wc_id,
            ))
            if not variable and link and link.wc_export_digest == _digest(payload):
                counts["unchanged"] = counts.get("unchanged", 0) + 1  # the store already shows it: no write, no webhook
                continue
            (updates if wc_id else creates).append((template, payload))
        result = client.batch("products", create=[p for _t, p in creates], update=[p for _t, p in updates])
        counts["requests"] += -(-len(result.items) // 100)
        new_links = []
        variable_parents = []
        for (template, payload), answer in zip(creates + updates, result.items):
            record = answer.record if isinstance(answer.record, dict) else {}
            if not answer.ok:
                failures.append(self._wc_export_failure(template, payload, answer.error))
                counts["failed"] += 1
                continue
            counts["created" if answer.action == "create" else "updated"] += 1
            written = _naive(record.get("date_modified_gmt"))
            if payload["type"] == "variable":
                variable_parents.append((template, record.get("id")))
                continue
            variant = template.with_context(active_test=False).product_variant_ids[:1]
            link = by_product.get(variant.id)
            done = {"wc_written_modified": written, "wc_error": False, "wc_export_digest": _digest(payload)}
            if link:
                link.write(done)
            else:
                new_links.append(dict(done, store_id=self.id, wc_product_id=record["id"], wc_variation_id=0,
                                      sku=variant.default_code or False, product_id=variant.id))
        if new_links:
            Link.create(new_links)
        for template, parent_id in variable_parents:
            self._wc_export_variations(client, template, parent_id, by_product, tax_percent, counts, failures)

    def _wc_export_variations(self, client, template, parent_id, by_product, tax_percent, counts, failures):
        Link = self.env["wc.product.link"].sudo()
        creates, updates = [], []
        for variant in template.with_context(active_test=False).product_variant_ids:
            link = by_product.get(variant.id)
            wc_id = link.wc_variation_id if link and link.wc_product_id == parent_id else 0
            payload = rules.variation_payload(rules.ExportVariation(
                sku=variant.default_code or "",
                price=rules.gross_price(variant.lst_price, self.wc_prices_include_tax, tax_percent),
                active=variant.active,
                options={ptav.attribute_id.name: ptav.name for ptav in variant.product_template_attribute_value_ids},
                wc_id=wc_id,
            ))
            if wc_id and link.wc_export_digest == _digest(payload):
                continue
            (updates if wc_id else creates).append((variant, payload))
        result = client.batch(f"products/{parent_id}/variations",
                              create=[p for _v, p in creates], update=[p for _v, p in updates])
        counts["requests"] += -(-len(result.items) // 100)
        new_links = []
        for (variant, payload), answer in zip(creates + updates, result.items):
            if not answer.ok:
                failures.append(self._wc_export_failure(template, payload, answer.error, variant))
                continue
            record = answer.record if isinstance(answer.record, dict) else {}
            written = _naive(record.get("date_modified_gmt"))
            link = by_product.get(variant.id)
            done = {"wc_written_modified": written, "wc_error": False, "wc_export_digest": _digest(payload)}
            if link and link.wc_product_id == parent_id:
                link.write(done)
            else:
                new_links.append(dict(done, store_id=self.id, wc_product_id=parent_id, wc_variation_id=record["id"],
                                      sku=variant.default_code or False, product_id=variant.id))
        if new_links:
            Link.create(new_links)

    def _wc_export_failure(self, template, payload, error, variant=None):
        """Note a failed item on the product (chatter, link) and return its sync-log values."""
        reason = self.env._(
            "%(product)s was not written to %(store)s: %(error)s",
            product=(variant or template).display_name, store=self.name,
            error=rules.export_error(error.code, error.message, error.data, sku=payload.get("sku", ""),
                                     item_id=payload.get("id", 0)),
        )
        template.message_post(body=reason, subtype_xmlid="mail.mt_note")
        link = self.env["wc.product.link"].sudo()._wc_bound_to(self, variant or template.product_variant_ids)[:1]
        if link:
            link.wc_error = reason
        values = self.env["wc.sync.log"]._wc_failed(
            self, "product", payload.get("id", 0), reason, {"odoo_template_id": template.id, "item": payload})
        values["direction"] = "export"
        return values


def _digest(payload):
    """What an export item says, without its id: equal digests mean the store already shows it."""
    text = json.dumps({key: value for key, value in payload.items() if key != "id"}, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


class WcSyncLog(models.Model):
    _inherit = "wc.sync.log"

    def action_retry(self):
        """Export entries are sent again (the product as Odoo has it now); import entries are read again."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Retry"))
        exports = self.filtered(lambda entry: entry.state == "failed" and entry.direction == "export")
        for store in exports.store_id:
            mine = exports.filtered(lambda entry: entry.store_id == store)
            products = mine.filtered(lambda entry: entry.entity == "product")
            if products:
                ids = {json.loads(entry.payload or "{}").get("odoo_template_id") for entry in products}
                products.write({"state": "done"})
                store.sudo()._wc_push_catalog(sorted(i for i in ids if i))
            stock = mine.filtered(lambda entry: entry.entity == "stock")
            if stock:
                store.sudo()._wc_retry_stock([json.loads(entry.payload or "{}") for entry in stock])
        return super(WcSyncLog, self - exports).action_retry()

