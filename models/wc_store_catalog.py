"""The catalog from the store: products, variable products and their variations, categories, attributes.

A page of the store's ``/products`` (the sync's ``product`` entity, read by
id inside a window of modification dates like orders) or a ``product.*``
webhook body is imported by :meth:`WcStore._wc_import_products`:

1. every record is parsed (a bad one goes to the sync log, the page goes on);
   a variable product's variations are read from the store
   (``products/<id>/variations``, 100 per GET), a variation delivered by
   webhook stands for itself;
2. links, SKU owners and their links are read in bulk, and
   :func:`..wc_connector.rules.catalog.decide_item` decides per store item:
   skip (not newer than applied, or the echo of our own write), update,
   link by SKU, create, or conflict (held in the sync log naming both);
3. categories are mapped (``wc.category.link``), new products are created in
   batches — simple products as products, variations as variants of one
   template per variable product (attributes and values found or created
   once per page), or as products of their own when the store says so
   (``wc_variations_as_products``) — and links are written.

Prices: the store's regular price (its price when there is none), net of
tax when the store's prices include tax; a variation's price becomes the
template's price plus attribute extras when one attribute explains the
differences, as in Odoo's own variant pricing. Stock is never taken from
the store: Odoo is the stock master (see :mod:`.wc_store_stock`).
"""

import logging
from collections import defaultdict
from decimal import Decimal

from odoo import fields, models
from odoo.tools import float_compare

from ..wc_connector.errors import PayloadError, WooCommerceError
from ..wc_connector.payloads.dates import as_utc, to_naive
from ..wc_connector.payloads.products import parse_product, parse_variation
from ..wc_connector.retry import RetryPolicy
from ..wc_connector.rules import catalog as rules
from ..wc_connector.rules import directions
from ..wc_connector.rules.echo import is_unchanged_since_our_write
from .wc_error_text import error_text
from .wc_store_stock import _job_error

_logger = logging.getLogger(__name__)



class _Item:
    """One store item of a page: a simple product, or one variation with its parent."""

    __slots__ = ("record", "parsed", "parent", "decision")

    def __init__(self, record, parsed, parent=None):
        self.record, self.parsed, self.parent, self.decision = record, parsed, parent, None

    @property
    def key(self):
        return (self.parent.id, self.parsed.id) if self.parent else (self.parsed.id, 0)

    @property
    def wc_id(self):
        return self.parsed.id


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_catalog_sync = fields.Boolean(
        string="Sync the catalog from the store",
        help="Each sync also reads the store's products changed since the last one (by id, like orders) and "
        "creates or updates their Odoo products; product webhooks do the same at once. Off: products are made "
        "from order lines only.",
    )
    wc_products_cursor = fields.Datetime(
        string="Products synced up to", copy=False,
        help="Products modified before this moment (UTC) have been imported.",
    )
    wc_category_link_ids = fields.One2many("wc.category.link", "store_id", string="Categories")
    wc_category_root_id = fields.Many2one("product.category", string="Root category", copy=False)

    # -- starting ---------------------------------------------------------------------------

    def _wc_syncs_catalog(self):
        """Whether the sync reads this store's products (setting on, and products flow from the store)."""
        self.ensure_one()
        return self.wc_catalog_sync and self._wc_allows_import(directions.PRODUCTS)

    def action_wc_import_catalog(self):
        """Import the whole catalog now (every product, as page jobs); later syncs read the changes."""
        self.env["wc.store"].check_access("write")
        now = fields.Datetime.now()
        for store in self.filtered("active"):
            store._wc_start_run("product", "sync_now", None, as_utc(now))
        return True

    def _wc_category_root(self):
        """The store's own root product category (created on first use)."""
        self.ensure_one()
        if not self.wc_category_root_id:
            all_category = self.env.ref("product.product_category_all", raise_if_not_found=False)
            self.sudo().wc_category_root_id = self.env["product.category"].create(
                {"name": self.name, "parent_id": all_category.id if all_category else False}
            )
        return self.wc_category_root_id

    # -- the importer --------------------------------------------------------------------------

    def _wc_import_products(self, records, with_variations=True):
        """Import a page of store products (or ``product.*`` webhook bodies); returns the counts.

        ``with_variations``: read the variations of each variable product
        from the store (the sync does; a webhook's variations come by their
        own webhooks).
        """
        self.ensure_one()
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        if not self._wc_allows_import(directions.PRODUCTS):
            counts["unchanged"] = len(records)
            return counts
        # What comes from the store is not sent back to it (the export watches product writes).
        self = self.with_context(wc_catalog_import=True)  # noqa: PLW0642
        items, parents, failures = self._wc_parse_catalog(records, with_variations)
        counts["failed"] += len(failures)
        if items:
            links = self._wc_decide_catalog(items)
            self._wc_apply_catalog(items, parents, links, counts, failures)
        self._wc_log_failures("product", failures)
        return counts

    def _wc_parse_catalog(self, records, with_variations):
        """``(items, {parent id: parsed parent}, failures)`` of a page."""
        items, parents, failures, variable = [], {}, [], []
        for data in records:
            try:
                if isinstance(data, dict) and data.get("type") == "variation":
                    variation = parse_variation(data)
                    items.append(_Item(data, variation, parse_product(
                        {"id": variation.parent_id, "type": "variable", "name": data.get("name") or ""})))
                    continue
                product = parse_product(data)
            except PayloadError as error:
                record_id = data.get("id") if isinstance(data, dict) else None
                failures.append((record_id, error_text(self.env, error), data))
                continue
            if product.is_variable:
                parents[product.id] = product
                variable.append((product, data))
            elif product.type in ("simple", "external", ""):
                items.append(_Item(data, product))
        if with_variations and variable:
            for product, data, variation_records in self._wc_fetch_variations(variable):
                for record in variation_records:
                    try:
                        items.append(_Item(record, parse_variation(record, product.id), product))
                    except PayloadError as error:
                        failures.append((product.id, error_text(self.env, error), data))
        # A variation delivered alone keeps its template: its parent is known from its links.
        return items, parents, failures

    def _wc_fetch_variations(self, variable):
        """Yield ``(parent, parent data, [variation dicts])``: 100 per GET, in id order."""
        client = self._client(retry=RetryPolicy(attempts=1))
        try:
            for product, data in variable:
                records = []
                for page in client.iter_pages(f"products/{product.id}/variations", {"orderby": "id", "order": "asc"}):
                    records.extend(page.records)
                yield product, data, records
        except WooCommerceError as error:
            raise _job_error(error) from None
        finally:
            client.close()

    def _wc_decide_catalog(self, items):
        """Give each item its :class:`~..wc_connector.rules.catalog.ItemDecision`; return the page's links by key.

        Three queries for the page: its links, the products owning its SKUs,
        and their links.
        """
        Link = self.env["wc.product.link"].sudo()
        links = {
            (link.wc_product_id, link.wc_variation_id): link
            for link in Link._wc_bound(self, {item.key[0] for item in items})
        }
        skus = {item.parsed.sku for item in items if item.parsed.sku}
        owners = defaultdict(list)
        if skus:
            Product = self.env["product.product"].sudo().with_context(active_test=False)
            for product in Product.search([("default_code", "in", list(skus))], order="id"):
                owners[product.default_code].append(product.id)
        owner_ids = [pid for ids in owners.values() for pid in ids]
        owner_links = defaultdict(list)
        if owner_ids:
            for link in Link._wc_bound_to(self, self.env["product.product"].browse(owner_ids)):
                owner_links[link.product_id.id].append((link.wc_product_id, link.wc_variation_id))
        for item in items:
            link = links.get(item.key)
            modified = item.parsed.date_modified
            if link and is_unchanged_since_our_write(modified, as_utc(link.wc_written_modified)):
                item.decision = rules.ItemDecision(rules.SKIP, link.product_id.id, "echo")
                continue
            mine = {owner: [key for key in keys if key != item.key] for owner, keys in owner_links.items()}
            item.decision = rules.decide_item(
                item.parsed.sku, modified,
                linked=link.product_id.id if link else None,
                applied=as_utc(link.wc_date_modified) if link else None,
                sku_owners=owners.get(item.parsed.sku, ()),
                owner_links={owner: keys[0] for owner, keys in mine.items() if keys},
            )
        return links

    def _wc_apply_catalog(self, items, parents, links, counts, failures):
        """Create, update and link the decided items; conflicts join ``failures``."""
        Product = self.env["product.product"].sudo()
        tax_percent = self._wc_catalog_tax_percent()
        refs = [ref for item in items for ref in (item.parent or item.parsed).categories] if items else []
        refs += [ref for parent in parents.values() for ref in parent.categories]
        categories = self.env["wc.category.link"].sudo()._wc_categories(self, refs)
        applied, new_links, resolved = [], [], []
        creates, variant_groups = [], defaultdict(list)
        for item in items:
            decision = item.decision
            if decision.action == rules.SKIP:
                counts["unchanged"] += 1
                continue
            if decision.action == rules.CONFLICT:
                failures.append((item.wc_id, self._wc_conflict_reason(item, decision), item.record))
                counts["failed"] += 1
                continue
            vals = self._wc_product_values(item, categories, tax_percent)
            if decision.action in (rules.UPDATE, rules.LINK):
                product = Product.browse(decision.product_id)
                if decision.action == rules.UPDATE and self._wc_odoo_wins(product, links.get(item.key), item):
                    counts["unchanged"] += 1
                    continue
                self._wc_write_product(product, vals, item)
                if decision.action == rules.LINK:
                    new_links.append(self._wc_catalog_link_vals(item, product.id))
                counts["updated"] += 1
            elif item.parent and not self.wc_variations_as_products:
                variant_groups[item.parent.id].append((item, vals))
                counts["created"] += 1
            else:
                creates.append((item, vals))
                counts["created"] += 1
            applied.append(item)
            resolved.append(item.wc_id)
        if creates:
            products = Product.create([vals for _item, vals in creates])
            new_links += [self._wc_catalog_link_vals(item, product.id) for (item, _v), product in zip(creates, products)]
        for parent_id, group in variant_groups.items():
            parent = parents.get(parent_id) or group[0][0].parent
            variants = self._wc_create_variants(parent, group, links, categories, tax_percent)
            new_links += [self._wc_catalog_link_vals(item, variant.id) for (item, _v), variant in zip(group, variants)]
        Link = self.env["wc.product.link"].sudo()
        if new_links:
            Link.create(new_links)
        self._wc_mark_applied(applied)
        self.env["wc.sync.log"].sudo()._wc_resolve(self, "product", resolved)

    def _wc_odoo_wins(self, product, link, item):
        """Both sides changed a linked product since the last sync: does Odoo's state stand (store's conflict rule)?

        Odoo changed it when its template was written after the link last
        recorded a sync (``link.write_date``); the losing store change is
        noted on the product.
        """
        template = product.product_tmpl_id
        odoo_changed = as_utc(template.write_date) if link and template.write_date > link.write_date else None
        if not odoo_changed:
            return False
        if self._wc_winner(directions.PRODUCTS, odoo_changed, item.parsed.date_modified) != directions.ODOO:
            return False
        template.message_post(
            body=self.env._("%(store)s changed this product too (store %(id)s); Odoo's version stands "
                            "(products conflict rule).", store=self.name, id=item.wc_id),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _wc_mark_applied(self, items):
        """Remember each applied item's store ``date_modified`` on its link (one write per distinct date)."""
        if not items:
            return
        Link = self.env["wc.product.link"].sudo()
        found = {
            (link.wc_product_id, link.wc_variation_id): link
            for link in Link._wc_bound(self, {item.key[0] for item in items})
        }
        by_date = defaultdict(lambda: Link)
        for item in items:
            link = found.get(item.key)
            if link:
                by_date[to_naive(item.parsed.date_modified)] |= link
        for moment, links in by_date.items():
            links.write({"wc_date_modified": moment})

    def _wc_catalog_link_vals(self, item, product_id):
        return {
            "store_id": self.id,
            "wc_product_id": item.key[0],
            "wc_variation_id": item.key[1],
            "sku": item.parsed.sku or False,
            "product_id": product_id,
        }

    def _wc_conflict_reason(self, item, decision):
        names = ", ".join(
            f"{product.display_name} (id {product.id})"
            for product in self.env["product.product"].sudo().with_context(active_test=False).browse(
                decision.conflicting)
        )
        what = self.env._("variation %s", item.wc_id) if item.parent else self.env._("product %s", item.wc_id)
        return self.env._(
            "SKU %(sku)s of store %(what)s belongs to another Odoo product: %(names)s. Nothing was merged; "
            "give one of them another SKU (or link them by hand), then Retry.",
            sku=repr(item.parsed.sku), what=what, names=names,
        )

    # -- values --------------------------------------------------------------------------------

    def _wc_catalog_tax_percent(self):
        """The store's standard rate for the company's country, to take tax out of tax-included prices."""
        self.ensure_one()
        if not self.wc_prices_include_tax:
            return None
        country = self.company_id.country_id.code or ""
        links = self.env["wc.tax.link"].sudo().search([("store_id", "=", self.id)], order="wc_rate_id")
        link = links.filtered(lambda l: (l.country_code or "") == country)[:1] or links[:1]
        return Decimal(repr(link.tax_id.amount)) if link else None

    def _wc_product_values(self, item, categories, tax_percent):
        """The Odoo values of a store item (name, SKU, price, category, active)."""
        parsed = item.parsed
        source = item.parent or parsed
        price = parsed.regular_price if parsed.regular_price is not None else parsed.price
        price = rules.net_price(price, self.wc_prices_include_tax, tax_percent)
        category_ids = [categories[wc_id] for wc_id, _name in source.categories if wc_id in categories]
        name = parsed.name or source.name
        if item.parent and self.wc_variations_as_products and isinstance(parsed.attributes, dict):
            options = ", ".join(value for value in parsed.attributes.values() if value)
            name = f"{item.parent.name or parsed.name} - {options}" if options else (item.parent.name or parsed.name)
        virtual = bool(item.record.get("virtual")) if isinstance(item.record, dict) else False
        vals = {
            "name": name or parsed.sku or str(parsed.id),
            # Used on create only: a virtual store product (a service, a gift card) is no stock item.
            "type": "service" if virtual else "consu",
            "is_storable": not virtual,
            "default_code": parsed.sku or False,
            "active": parsed.status not in ("trash",),
            "sale_ok": parsed.status in ("publish", "", "private", "pending", "draft"),
        }
        if price is not None:
            vals["list_price"] = float(price)
        if category_ids:
            vals["categ_id"] = category_ids[0]
        return vals

    def _wc_write_product(self, product, vals, item):
        """Write what differs (a variant's name and price stay its template's; its SKU is its own)."""
        digits = self.env["decimal.precision"].precision_get("Product Price")
        template = product.product_tmpl_id
        variant_of_many = template.product_variant_count > 1
        changes, template_changes = {}, {}
        if vals.get("default_code") and product.default_code != vals["default_code"]:
            changes["default_code"] = vals["default_code"]
        if not variant_of_many:
            if vals["name"] and template.name != vals["name"]:
                template_changes["name"] = vals["name"]
            if "list_price" in vals and float_compare(template.list_price, vals["list_price"], precision_digits=digits):
                template_changes["list_price"] = vals["list_price"]
        if vals.get("categ_id") and template.categ_id.id != vals["categ_id"]:
            template_changes["categ_id"] = vals["categ_id"]
        if changes:
            product.write(changes)
        if template_changes:
            template.write(template_changes)

    # -- variants ------------------------------------------------------------------------------

    def _wc_create_variants(self, parent, group, links, categories, tax_percent):
        """The variants of ``group`` (``[(item, vals)]``) in the template of store product ``parent``.

        The template is the one the parent's linked variations already
        belong to, or a new one; attributes and values are found or created
        once; the variants Odoo lacks are created in one batch.
        """
        Template = self.env["product.template"].sudo()
        sibling = next((link for key, link in links.items() if key[0] == parent.id and key[1]), None)
        if not sibling:
            sibling = self.env["wc.product.link"].sudo().search(
                [("store_id", "=", self.id), ("wc_product_id", "=", parent.id), ("wc_variation_id", "!=", 0)], limit=1)
        template = sibling.product_id.product_tmpl_id if sibling else Template
        prices = [Decimal(str(vals["list_price"])) for _item, vals in group if "list_price" in vals]
        base = min(prices) if prices else Decimal(0)
        if not template:
            category_ids = [categories[wc_id] for wc_id, _n in parent.categories if wc_id in categories]
            template = Template.create({
                "name": parent.name or group[0][1]["name"],
                "type": "consu",
                "is_storable": True,
                "list_price": float(base),
                "sale_ok": True,
                **({"categ_id": category_ids[0]} if category_ids else {}),
            })
        combos = [{name: value for name, value in item.parsed.attributes.items() if value} for item, _v in group]
        values = self._wc_attribute_values({(name, value) for combo in combos for name, value in combo.items()})
        lines = {line.attribute_id.id: line for line in template.attribute_line_ids}
        commands = []
        by_attribute = defaultdict(set)
        for value_record in values.values():
            by_attribute[value_record.attribute_id.id].add(value_record.id)
        for attribute_id, value_ids in by_attribute.items():
            line = lines.get(attribute_id)
            if not line:
                commands.append(fields.Command.create({"attribute_id": attribute_id, "value_ids": sorted(value_ids)}))
            elif value_ids - set(line.value_ids.ids):
                commands.append(fields.Command.update(line.id, {
                    "value_ids": [fields.Command.link(value_id) for value_id in sorted(value_ids - set(line.value_ids.ids))]}))
        if commands:
            template.write({"attribute_line_ids": commands})
        ptavs = {
            (ptav.attribute_id.id, ptav.product_attribute_value_id.id): ptav
            for ptav in template.attribute_line_ids.product_template_value_ids
        }
        existing = {
            frozenset(variant.product_template_attribute_value_ids.ids): variant
            for variant in template.with_context(active_test=False).product_variant_ids
        }
        variants, to_create = [], []
        for (_item, vals), combo in zip(group, combos):
            ids = frozenset(
                ptavs[(values[(name, value)].attribute_id.id, values[(name, value)].id)].id
                for name, value in combo.items()
            )
            variant = existing.get(ids)
            if not variant:
                to_create.append((len(variants), ids, vals))
            variants.append(variant)
        if to_create:
            created = self.env["product.product"].sudo().create([
                {"product_tmpl_id": template.id, "product_template_attribute_value_ids": [fields.Command.set(list(ids))],
                 "default_code": vals.get("default_code")}
                for _index, ids, vals in to_create
            ])
            for (index, _ids, _vals), variant in zip(to_create, created):
                variants[index] = variant
        self._wc_price_extras(template, base, group, combos, values, ptavs)
        return variants

    def _wc_attribute_values(self, pairs):
        """``{(attribute name, value name): product.attribute.value}``, found or created (two queries, two creates)."""
        Attribute = self.env["product.attribute"].sudo()
        names = sorted({name for name, _value in pairs})
        attributes = {}
        for attribute in Attribute.search([("name", "in", names)], order="id"):
            attributes.setdefault(attribute.name, attribute)
        missing = [name for name in names if name not in attributes]
        if missing:
            for attribute in Attribute.create([{"name": name, "create_variant": "dynamic"} for name in missing]):
                attributes[attribute.name] = attribute
        Value = self.env["product.attribute.value"].sudo()
        found = {}
        for value in Value.search([("attribute_id", "in", [a.id for a in attributes.values()])], order="id"):
            found.setdefault((value.attribute_id.id, value.name), value)
        wanted = [(name, value) for name, value in sorted(pairs) if (attributes[name].id, value) not in found]
        if wanted:
            for (name, value), record in zip(wanted, Value.create(
                    [{"name": value, "attribute_id": attributes[name].id} for name, value in wanted])):
                found[(attributes[name].id, value)] = record
        return {(name, value): found[(attributes[name].id, value)] for name, value in pairs}

    def _wc_price_extras(self, template, base, group, combos, values, ptavs):
        """Odoo prices variants as template price + attribute extras: set the extras one attribute explains."""
        prices = [Decimal(str(vals["list_price"])) if "list_price" in vals else None for _item, vals in group]
        if not any(price is not None and price != base for price in prices):
            return
        for name in sorted({name for combo in combos for name in combo}):
            extra = {}
            for combo, price in zip(combos, prices):
                if price is None or name not in combo:
                    continue
                if extra.setdefault(combo[name], price - base) != price - base:
                    break
            else:
                for value, amount in extra.items():
                    record = values[(name, value)]
                    ptav = ptavs.get((record.attribute_id.id, record.id))
                    if ptav and float_compare(ptav.price_extra, float(amount), precision_digits=4):
                        ptav.price_extra = float(amount)
                if float_compare(template.list_price, float(base), precision_digits=4):
                    template.list_price = float(base)
                return
