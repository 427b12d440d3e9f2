"""Routes for products, their variations and coupons."""

from __future__ import annotations

from .api import ALLOW_BATCH, ALLOW_COLLECTION, ALLOW_ITEM, ApiError, Response, run_batch
from .orders import merge_meta
from .paging import ListSpec, common_filters, order_and_page, paging_headers, search_filter, status_filter
from .resources import coupon_template, dec, edit_context, link, money, product_template, variation_template

PRODUCT_NOT_FOUND = ("woocommerce_rest_product_invalid_id", "Invalid ID.")
VARIATION_NOT_FOUND = ("woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
COUPON_NOT_FOUND = ("woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.")
PRODUCTS_SPEC = ListSpec(orderby=("date", "modified", "id", "include", "title", "slug", "price",
                                  "popularity", "rating", "menu_order"))
COUPONS_SPEC = ListSpec()
PRODUCT_FIELDS = ("name", "slug", "type", "status", "featured", "catalog_visibility", "description",
                  "short_description", "sku", "regular_price", "sale_price", "virtual", "downloadable",
                  "tax_status", "tax_class", "manage_stock", "stock_quantity", "backorders", "weight",
                  "dimensions", "categories", "tags", "images", "attributes", "default_attributes",
                  "menu_order", "stock_status", "purchase_note", "shipping_class", "low_stock_amount",
                  "sold_individually", "reviews_allowed", "upsell_ids", "cross_sell_ids", "image",
                  "description", "date_on_sale_from", "date_on_sale_to")
COUPON_FIELDS = ("code", "amount", "status", "discount_type", "description", "date_expires",
                 "individual_use", "product_ids", "excluded_product_ids", "usage_limit",
                 "usage_limit_per_user", "limit_usage_to_x_items", "free_shipping",
                 "product_categories", "excluded_product_categories", "exclude_sale_items",
                 "minimum_amount", "maximum_amount", "email_restrictions")


def _apply_product_fields(data, record, payload):
    for name in PRODUCT_FIELDS:
        if name in payload and name in record:
            record[name] = payload[name]
    if isinstance(payload.get("categories"), list):
        # The store answers every category reference with its id, name and slug.
        record["categories"] = [_category_ref(data, ref) for ref in payload["categories"] if isinstance(ref, dict)]
    if isinstance(payload.get("meta_data"), list):
        merge_meta(data, record["meta_data"], payload["meta_data"])
    if record.get("regular_price") not in (None, ""):
        record["regular_price"] = str(record["regular_price"])
    if record.get("sale_price") not in (None, ""):
        record["sale_price"] = str(record["sale_price"])
        if record.get("regular_price") not in (None, "") and dec(record["sale_price"]) > dec(record["regular_price"]):
            record["sale_price"] = ""  # above the regular price: dropped silently (reverse/4_products/22)
    price = record.get("sale_price") or record.get("regular_price") or ""
    if record.get("type") != "variable":
        record["price"] = price
    record["on_sale"] = bool(record.get("sale_price"))
    record["purchasable"] = record.get("price") not in ("", None)
    if record.get("manage_stock"):
        if record.get("stock_quantity") is not None:
            record["stock_quantity"] = _whole(record["stock_quantity"])
            if "stock_status" not in payload:
                record["stock_status"] = "instock" if record["stock_quantity"] > 0 else (
                    "onbackorder" if record.get("backorders", "no") != "no" else "outofstock")
    else:
        record["stock_quantity"] = None


def _category_ref(data, ref):
    category = data.categories.get(ref.get("id")) or {}
    for product in data.products.values():
        if category:
            break
        category = next((c for c in product.get("categories") or [] if c.get("id") == ref.get("id")), {})
    return {"id": ref.get("id"), "name": category.get("name", ref.get("name", "")),
            "slug": category.get("slug", ref.get("slug", ""))}


def _whole(value):
    """A batch item's stock as the store saves it: no validation, "5" -> 5, 7.8 -> 7, "abc" -> 0 (reverse/1_stock)."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


VARIATION_IN_PRODUCTS_BATCH = (
    "woocommerce_rest_invalid_product_id",
    "To manipulate product variations you should use the /products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
)


class CatalogRoutes:
    """Handlers for products, variations and coupons."""

    def __init__(self, store):
        self.store = store
        self.data = store.data

    def register(self, router):
        router.add("/products", ALLOW_COLLECTION, GET=("list", self.list_products),
                   POST=("create", self.create_product))
        router.add("/products/batch", ALLOW_BATCH, POST=("batch", self.batch_products))
        router.add("/products/categories", ALLOW_COLLECTION, GET=("list", self.list_categories),
                   POST=("create", self.create_category))
        router.add("/products/attributes", ALLOW_COLLECTION, GET=("list", self.list_attributes))
        router.add("/products/<id>", ALLOW_ITEM, GET=("view", self.get_product),
                   POST=("edit", self.update_product), PUT=("edit", self.update_product),
                   PATCH=("edit", self.update_product), DELETE=("delete", self.delete_product))
        router.add("/products/<product_id>/variations", ALLOW_COLLECTION,
                   GET=("list", self.list_variations), POST=("create", self.create_variation))
        router.add("/products/<product_id>/variations/batch", ALLOW_BATCH,
                   POST=("batch", self.batch_variations))
        router.add("/products/<product_id>/variations/<id>", ALLOW_ITEM,
                   GET=("view", self.get_variation), POST=("edit", self.update_variation),
                   PUT=("edit", self.update_variation), PATCH=("edit", self.update_variation),
                   DELETE=("delete", self.delete_variation))
        router.add("/coupons", ALLOW_COLLECTION, GET=("list", self.list_coupons),
                   POST=("create", self.create_coupon))
        router.add("/coupons/batch", ALLOW_BATCH, POST=("batch", self.batch_coupons))
        router.add("/coupons/<id>", ALLOW_ITEM, GET=("view", self.get_coupon),
                   POST=("edit", self.update_coupon), PUT=("edit", self.update_coupon),
                   PATCH=("edit", self.update_coupon), DELETE=("delete", self.delete_coupon))

    # -- products ------------------------------------------------------
    def find_product(self, product_id):
        product = self.data.products.get(product_id)
        if product is None:
            raise ApiError(404, *PRODUCT_NOT_FOUND)
        return product

    def list_products(self, request):
        records = status_filter(request, list(self.data.products.values()), hidden=("trash",))
        records = common_filters(request, records)
        skus = [s.strip() for s in str(request.query.get("sku") or "").split(",") if s.strip()]
        if skus:
            records = [r for r in records if r.get("sku") in skus]
        for name in ("type", "stock_status", "tax_class"):
            if request.query.get(name):
                records = [r for r in records if r.get(name) == request.query[name]]
        records = search_filter(request, records, ["name", "sku", "description", "short_description"])
        page, total, pages = order_and_page(request, records, PRODUCTS_SPEC)
        headers = paging_headers(request, total, pages, self.store.api_url + "/products")
        return Response([self.store.present("product", p) for p in page], headers=headers)

    def get_product(self, request):
        variation = self.data.variations.get(request.id())
        if variation is not None and request.id() not in self.data.products:
            # /products/<variation id> answers the variation in product form.
            return self.store.present_variation_as_product(variation)
        return self.store.present("product", self.find_product(request.id()))

    def list_categories(self, request):
        categories = dict(self.data.categories)
        counts = {}
        for product in self.data.products.values():
            for category in product.get("categories") or []:
                counts[category["id"]] = counts.get(category["id"], 0) + 1
                categories.setdefault(category["id"], {
                    "id": category["id"], "name": category.get("name", ""), "slug": category.get("slug", ""),
                    "parent": 0, "description": "", "display": "default", "image": None, "menu_order": 0})
        records = [dict(c, count=counts.get(c["id"], 0)) for c in categories.values()]
        records = search_filter(request, records, ["name", "slug"])
        page, total, pages = order_and_page(request, records, ListSpec(
            orderby=("id", "include", "name", "slug", "term_group", "description", "count"),
            default_orderby="name", default_order="asc"))
        headers = paging_headers(request, total, pages, self.store.api_url + "/products/categories")
        return Response([dict(c, _links={"self": link(self.store.url, f"products/categories/{c['id']}"),
                                         "collection": link(self.store.url, "products/categories")})
                         for c in page], headers=headers)

    def _known_categories(self):
        categories = dict(self.data.categories)
        for product in self.data.products.values():
            for category in product.get("categories") or []:
                if category.get("name"):
                    categories.setdefault(category["id"], {"id": category["id"], "name": category["name"],
                                                           "slug": category.get("slug", ""), "parent": 0})
        return categories

    def create_category(self, request):
        """POST products/categories: a name taken under the same parent is 400 term_exists (reverse/4_products/01)."""
        body = request.body if isinstance(request.body, dict) else {}
        name = str(body.get("name") or "").strip()
        if not name:
            raise ApiError(400, "rest_missing_callback_param", "Missing parameter(s): name", params=["name"])
        parent = int(body.get("parent") or 0)
        known = self._known_categories()
        for category in known.values():
            if category.get("name") == name and int(category.get("parent") or 0) == parent:
                raise ApiError(400, "term_exists", "A term with the name provided already exists with this parent.",
                               resource_id=category["id"])
        slug = name.lower().replace(" ", "-")
        if any(c.get("slug") == slug for c in known.values()) and parent in known:
            slug = f"{slug}-{known[parent].get('slug', parent)}"
        category = {"id": self.data.next_id(), "name": name, "slug": slug, "parent": parent,
                    "description": body.get("description", ""), "display": "default", "image": None,
                    "menu_order": 0, "count": 0}
        self.data.categories[category["id"]] = category
        return Response(dict(category, _links={"self": link(self.store.url, f"products/categories/{category['id']}"),
                                               "collection": link(self.store.url, "products/categories")}), 201)

    def list_attributes(self, request):
        attributes = dict(self.data.attributes)
        for product in self.data.products.values():
            for attribute in product.get("attributes") or []:
                if attribute.get("id"):
                    attributes.setdefault(attribute["id"], {
                        "id": attribute["id"], "name": attribute.get("name", ""),
                        "slug": attribute.get("slug") or "pa_" + str(attribute.get("name", "")).lower(),
                        "type": "select", "order_by": "menu_order", "has_archives": False})
        records = sorted(attributes.values(), key=lambda a: a["id"])
        headers = {"X-WP-Total": str(len(records)), "X-WP-TotalPages": "1"}
        return Response([dict(a, _links={"self": link(self.store.url, f"products/attributes/{a['id']}"),
                                         "collection": link(self.store.url, "products/attributes")})
                         for a in records], headers=headers)

    def _check_sku(self, sku, own_id):
        if not sku:
            return
        for table in (self.data.products, self.data.variations):
            for record in table.values():
                if record.get("sku") == sku and record["id"] != own_id and record.get("status") != "trash":
                    raise ApiError(400, "product_invalid_sku", "Invalid or duplicated SKU.",
                                   resource_id=record["id"], unique_sku=f"{sku}-1")

    def create_product_record(self, payload):
        """Save a new product from a payload."""
        self._check_sku(payload.get("sku"), None)
        product = product_template()
        product["id"] = self.data.next_id()
        self.data.clock.stamp(product, "date_created")
        self.data.clock.stamp(product, "date_modified")
        _apply_product_fields(self.data, product, payload)
        product["slug"] = product["slug"] or str(product["name"]).lower().replace(" ", "-")
        product["permalink"] = f"{self.store.url}/product/{product['slug']}/"
        self.data.products[product["id"]] = product
        self.store.events.event("product", "created", product["id"])
        return product

    def create_product(self, request):
        product = self.create_product_record(request.body if isinstance(request.body, dict) else {})
        return Response(edit_context(self.store.present("product", product), self.store.url), 201,
                        {"Location": f"{self.store.api_url}/products/{product['id']}"})

    def update_product_record(self, product, payload):
        """Apply a PUT payload to a product (bumps date_modified, fires product.updated)."""
        if "sku" in payload:
            self._check_sku(payload.get("sku"), product["id"])
        _apply_product_fields(self.data, product, payload)
        self.data.clock.stamp(product, "date_modified")
        self.store.events.event("product", "updated", product["id"])
        return product

    def update_product(self, request):
        product = self.find_product(request.id())
        return edit_context(self.store.present("product", self.update_product_record(product, request.body or {})),
                            self.store.url)

    def delete_product_record(self, product_id, force):
        product = self.find_product(product_id)
        shown = self.store.present("product", product)
        if force:
            del self.data.products[product_id]
            for vid in [v for v, rec in self.data.variations.items() if rec.get("parent_id") == product_id]:
                del self.data.variations[vid]
        else:
            if product["status"] == "trash":
                raise ApiError(410, "woocommerce_rest_already_trashed", "The product has already been deleted.")
            product["status"] = "trash"
            self.data.clock.stamp(product, "date_modified")
        self.store.events.event("product", "deleted", product_id, payload={"id": product_id})
        return shown

    def delete_product(self, request):
        return self.delete_product_record(request.id(), request.flag("force"))

    def _batch_product(self, product_id):
        if product_id in self.data.variations and product_id not in self.data.products:
            # A variation in products/batch fails alone (reverse/1_stock/48).
            raise ApiError(404, *VARIATION_IN_PRODUCTS_BATCH)
        return self.find_product(product_id)

    def batch_products(self, request):
        return run_batch(
            request, lambda item: self.store.present("product", self.create_product_record(item)),
            lambda pid, item: self.store.present("product", self.update_product_record(self._batch_product(pid), item)),
            lambda pid: self.delete_product_record(pid, True), PRODUCT_NOT_FOUND)

    # -- variations ----------------------------------------------------
    def _parent(self, request):
        return self.find_product(request.id("product_id"))

    def find_variation(self, parent, variation_id):
        variation = self.data.variations.get(variation_id)
        if variation is None or variation.get("parent_id") != parent["id"]:
            raise ApiError(404, *VARIATION_NOT_FOUND)
        return variation

    def list_variations(self, request):
        parent = self._parent(request)
        records = [v for v in self.data.variations.values() if v.get("parent_id") == parent["id"]]
        records = status_filter(request, records, hidden=("trash",))
        records = common_filters(request, records)
        skus = [s.strip() for s in str(request.query.get("sku") or "").split(",") if s.strip()]
        if skus:
            records = [r for r in records if r.get("sku") in skus]
        page, total, pages = order_and_page(request, records, PRODUCTS_SPEC)
        headers = paging_headers(request, total, pages,
                                 f"{self.store.api_url}/products/{parent['id']}/variations")
        return Response([self.store.present("variation", v) for v in page], headers=headers)

    def get_variation(self, request):
        return self.store.present("variation", self.find_variation(self._parent(request), request.id()))

    def create_variation_record(self, parent, payload):
        self._check_sku(payload.get("sku"), None)
        variation = variation_template()
        variation["id"] = self.data.next_id()
        variation["parent_id"] = parent["id"]
        self.data.clock.stamp(variation, "date_created")
        self.data.clock.stamp(variation, "date_modified")
        _apply_product_fields(self.data, variation, payload)
        variation["name"] = parent.get("name", "")
        self.data.variations[variation["id"]] = variation
        parent.setdefault("variations", []).append(variation["id"])
        self._update_parent_price(parent)
        self.store.events.event("product", "created", variation["id"])
        return variation

    def create_variation(self, request):
        parent = self._parent(request)
        variation = self.create_variation_record(parent, request.body if isinstance(request.body, dict) else {})
        return Response(self.store.present("variation", variation), 201,
                        {"Location": f"{self.store.api_url}/products/{parent['id']}/variations/{variation['id']}"})

    def update_variation_record(self, parent, variation, payload):
        if "sku" in payload:
            self._check_sku(payload.get("sku"), variation["id"])
        _apply_product_fields(self.data, variation, payload)
        self.data.clock.stamp(variation, "date_modified")
        self._update_parent_price(parent)
        self.store.events.event("product", "updated", variation["id"])
        return variation

    def update_variation(self, request):
        parent = self._parent(request)
        variation = self.find_variation(parent, request.id())
        return self.store.present("variation", self.update_variation_record(parent, variation, request.body or {}))

    def delete_variation_record(self, parent, variation_id, force):
        variation = self.find_variation(parent, variation_id)
        if not force:
            raise ApiError(501, "woocommerce_rest_trash_not_supported", "Variations do not support trashing.")
        shown = self.store.present("variation", variation)
        del self.data.variations[variation_id]
        if variation_id in parent.get("variations", []):
            parent["variations"].remove(variation_id)
        self._update_parent_price(parent)
        return shown

    def delete_variation(self, request):
        return self.delete_variation_record(self._parent(request), request.id(), request.flag("force"))

    def batch_variations(self, request):
        parent = self._parent(request)
        return run_batch(
            request, lambda item: self.store.present("variation", self.create_variation_record(parent, item)),
            lambda vid, item: self.store.present(
                "variation", self.update_variation_record(parent, self.find_variation(parent, vid), item)),
            lambda vid: self.delete_variation_record(parent, vid, True), VARIATION_NOT_FOUND)

    def _update_parent_price(self, parent):
        """A variable product's price is its lowest variation price; its stock status follows its variations.

        When every managed variation is at 0 the parent turns ``outofstock``
        (and back to ``instock`` when one returns), its ``date_modified`` moves,
        but no ``product.updated`` is fired for it (reverse/1_stock/44-47).
        """
        children = [v for v in self.data.variations.values() if v.get("parent_id") == parent["id"]]
        if parent.get("type") == "variable" and children and not parent.get("manage_stock"):
            status = "instock" if any(v.get("stock_status") != "outofstock" for v in children) else "outofstock"
            if status != parent.get("stock_status"):
                parent["stock_status"] = status
                self.data.clock.stamp(parent, "date_modified")
        prices = [dec(v.get("price")) for v in self.data.variations.values()
                  if v.get("parent_id") == parent["id"] and v.get("price") not in (None, "")]
        if parent.get("type") == "variable" and prices:
            parent["price"] = format(min(prices).normalize(), "f")

    # -- coupons -------------------------------------------------------
    def find_coupon(self, coupon_id):
        coupon = self.data.coupons.get(coupon_id)
        if coupon is None:
            raise ApiError(404, *COUPON_NOT_FOUND)
        return coupon

    def list_coupons(self, request):
        records = status_filter(request, list(self.data.coupons.values()), hidden=("trash",))
        records = common_filters(request, records)
        if request.query.get("code"):
            records = [r for r in records if r.get("code", "").lower() == request.query["code"].lower()]
        records = search_filter(request, records, ["code", "description"])
        page, total, pages = order_and_page(request, records, COUPONS_SPEC)
        headers = paging_headers(request, total, pages, self.store.api_url + "/coupons")
        return Response([self.store.present("coupon", c) for c in page], headers=headers)

    def get_coupon(self, request):
        return self.store.present("coupon", self.find_coupon(request.id()))

    def create_coupon_record(self, payload):
        code = str(payload.get("code") or "").strip().lower()
        if not code:
            raise ApiError(400, "woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.")
        if any(c.get("code", "").lower() == code for c in self.data.coupons.values()):
            raise ApiError(400, "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists")
        coupon = coupon_template()
        coupon["id"] = self.data.next_id()
        self.data.clock.stamp(coupon, "date_created")
        self.data.clock.stamp(coupon, "date_modified")
        self._apply_coupon(coupon, dict(payload, code=code))
        self.data.coupons[coupon["id"]] = coupon
        self.store.events.event("coupon", "created", coupon["id"])
        return coupon

    def _apply_coupon(self, coupon, payload):
        for name in COUPON_FIELDS:
            if name in payload:
                coupon[name] = payload[name]
        coupon["amount"] = money(dec(coupon.get("amount")))
        if isinstance(payload.get("meta_data"), list):
            merge_meta(self.data, coupon["meta_data"], payload["meta_data"])

    def create_coupon(self, request):
        coupon = self.create_coupon_record(request.body if isinstance(request.body, dict) else {})
        return Response(self.store.present("coupon", coupon), 201,
                        {"Location": f"{self.store.api_url}/coupons/{coupon['id']}"})

    def update_coupon_record(self, coupon, payload):
        self._apply_coupon(coupon, payload)
        self.data.clock.stamp(coupon, "date_modified")
        self.store.events.event("coupon", "updated", coupon["id"])
        return coupon

    def update_coupon(self, request):
        return self.store.present("coupon", self.update_coupon_record(self.find_coupon(request.id()), request.body or {}))

    def delete_coupon_record(self, coupon_id, force):
        coupon = self.find_coupon(coupon_id)
        shown = self.store.present("coupon", coupon)
        if force:
            del self.data.coupons[coupon_id]
        else:
            if coupon["status"] == "trash":
                raise ApiError(410, "woocommerce_rest_already_trashed", "The shop_coupon has already been deleted.")
            coupon["status"] = "trash"
        self.store.events.event("coupon", "deleted", coupon_id, payload={"id": coupon_id})
        return shown

    def delete_coupon(self, request):
        return self.delete_coupon_record(request.id(), request.flag("force"))

    def batch_coupons(self, request):
        return run_batch(
            request, lambda item: self.store.present("coupon", self.create_coupon_record(item)),
            lambda cid, item: self.store.present("coupon", self.update_coupon_record(self.find_coupon(cid), item)),
            lambda cid: self.delete_coupon_record(cid, True), COUPON_NOT_FOUND)
