"""Realistic, deterministic data for the emulated store.

`generate_store(seed, orders, customers, products)` returns a `StoreData`
whose records are shaped exactly like the real WooCommerce 8.9.1 captures
(same keys, value types, nesting and meta_data conventions): products with
SKUs and managed stock, variable products with pa_color/pa_size variations,
German, Austrian, French, Dutch, Russian (Cyrillic) and Persian (Arabic
script) customers, about 30 % of them companies, guest orders with repeating
e-mail addresses, orders in every status with coupons, fees, shipping, taxes
(DE 19 % / 7 % / zero, AT 20 %, FR 20 %, NL 21 %), refunds and notes.

Totals are computed the way the real store does with prices excluding tax
and "round tax at subtotal" off: each line's tax is rounded per line, so
sum(line totals) + fees + shipping + total_tax == total to the cent.

The store configuration (tax rates, gateways, shipping zones, settings,
system status) is the captured store's, kept in `store_config.json`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from . import catalog, names
from .data import StoreClock, StoreData
from .money import money, number, round2, trimmed

DEFAULT_STORE_URL = "http://127.0.0.1:8080"
DEFAULT_START = datetime(2025, 3, 3, 7, 0, 0, tzinfo=timezone.utc)
CONFIG_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "store_config.json")

ORDER_STATUSES = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                  "checkout-draft"]
STATUS_WEIGHTS = [10, 25, 10, 35, 6, 5, 5, 4]
PAID_STATUSES = {"processing", "completed", "refunded"}
STOCK_REDUCED_STATUSES = {"on-hold", "processing", "completed", "refunded"}
STATUS_LABELS = {"pending": "Pending payment", "processing": "Processing", "on-hold": "On hold",
                 "completed": "Completed", "cancelled": "Cancelled", "refunded": "Refunded",
                 "failed": "Failed"}
GATEWAYS = ["bacs", "cheque", "cod", "stripe"]
EU_COUNTRIES = {"AT", "FR", "NL"}
GUEST_SHARE = 0.2
COMPANY_SHARE = 0.3


def load_store_config(path=CONFIG_PATH):
    """The captured store's configuration (taxes, gateways, shipping, settings)."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def apply_store_config(store, config):
    """Put the configuration tables into `store` (fresh copies)."""
    config = copy.deepcopy(config)
    store.taxes = {tax["id"]: tax for tax in config["taxes"]}
    store.tax_classes = config["tax_classes"]
    store.payment_gateways = config["payment_gateways"]
    store.shipping_zones = {zone["id"]: zone for zone in config["shipping_zones"]}
    store.shipping_methods = {int(zone): methods for zone, methods in config["shipping_methods"].items()}
    store.shipping_method_types = config["shipping_method_types"]
    store.settings = config["settings"]
    store.system_status = config["system_status"]
    store.categories = {category["id"]: category for category in config["categories"]}
    store.attributes = {attribute["id"]: attribute for attribute in config["attributes"]}
    return store


def generate_store(seed=1, orders=40, customers=None, products=None, store_url=DEFAULT_STORE_URL,
                   start=DEFAULT_START):
    """A `StoreData` full of realistic records; the same arguments give the same data.

    `customers` defaults to about one registered customer per three orders
    (at least 12), `products` to the catalogue's 17 simple and 4 variable
    products (more asked for: extra simple products).
    """
    generator = _Generator(random.Random(seed), store_url, start)
    if customers is None:
        customers = max(12, orders // 3)
    generator.build(orders=orders, customers=customers, products=products)
    return generator.store


def _gravatar(email):
    digest = hashlib.md5(email.encode("utf-8")).hexdigest()  # noqa: S324 - gravatar uses md5
    return "http://%d.gravatar.com/avatar/%s?s=96&d=mm&r=g" % (int(digest[0], 16) % 3, digest)


def _slugify(text):
    words = [names.latin(word) for word in text.lower().split()]
    slug = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in "-".join(words))
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-") or "product"


class _Generator:
    """One generation run; keeps the counters and the random generator."""

    def __init__(self, rng, store_url, start):
        self.rng = rng
        self.url = store_url.rstrip("/")
        self.start = start
        self.store = apply_store_config(StoreData(), load_store_config())
        self.post_id = 9
        self.item_id = 0
        self.meta_id = 0
        self.note_id = 0
        self.rates = self._rates_by_country()
        self.categories = {}
        self.gateway_titles = {g["id"]: g["title"] for g in self.store.payment_gateways}
        self.shipping = self._shipping_choices()

    # -- counters ---------------------------------------------------------
    def _post(self):
        self.post_id += 1
        return self.post_id

    def _item(self):
        self.item_id += 1
        return self.item_id

    def _meta(self, key, value, display=False):
        self.meta_id += 1
        entry = {"id": self.meta_id, "key": key, "value": value}
        if display:
            entry["display_key"] = key
            entry["display_value"] = value
        return entry

    def _pair(self, moment):
        return StoreClock.pair(moment)

    def _dates(self, record, name, moment):
        local, gmt = self._pair(moment)
        record[name] = local
        record[name + "_gmt"] = gmt

    # -- configuration ----------------------------------------------------
    def _rates_by_country(self):
        """(country, tax class) -> tax rate dict."""
        rates = {}
        for tax in self.store.taxes.values():
            tax_class = "" if tax["class"] == "standard" else tax["class"]
            rates[(tax["country"], tax_class)] = tax
        return rates

    def _shipping_choices(self):
        methods = {}
        for zone_methods in self.store.shipping_methods.values():
            for method in zone_methods:
                methods[method["instance_id"]] = method
        return methods

    def build(self, orders, customers, products):
        self._categories()
        self._products(products)
        self._coupons()
        self._customers(customers)
        self._orders(orders)
        self._finish()

    def _categories(self):
        # Categories are not a StoreData table; products embed {id, name, slug}.
        config = load_store_config()
        for category in config["categories"]:
            self.categories[category["slug"]] = {"id": category["id"], "name": category["name"],
                                                 "slug": category["slug"]}

    # -- products ---------------------------------------------------------
    def _product_base(self, name, sku, moment):
        slug = _slugify(name)
        product = {
            "id": self._post(), "name": name, "slug": slug,
            "permalink": "%s/product/%s/" % (self.url, slug),
        }
        self._dates(product, "date_created", moment)
        self._dates(product, "date_modified", moment)
        product.update({
            "type": "simple", "status": "publish", "featured": False, "catalog_visibility": "visible",
            "description": "<p>%s</p>\n" % name, "short_description": "", "sku": sku,
            "price": "", "regular_price": "", "sale_price": "",
            "date_on_sale_from": None, "date_on_sale_from_gmt": None,
            "date_on_sale_to": None, "date_on_sale_to_gmt": None,
            "on_sale": False, "purchasable": True, "total_sales": 0, "virtual": False,
            "downloadable": False, "downloads": [], "download_limit": -1, "download_expiry": -1,
            "external_url": "", "button_text": "", "tax_status": "taxable", "tax_class": "",
            "manage_stock": False, "stock_quantity": None, "backorders": "no",
            "backorders_allowed": False, "backordered": False, "low_stock_amount": None,
            "sold_individually": False, "weight": "",
            "dimensions": {"length": "", "width": "", "height": ""},
            "shipping_required": True, "shipping_taxable": True, "shipping_class": "",
            "shipping_class_id": 0, "reviews_allowed": True, "average_rating": "0.00",
            "rating_count": 0, "upsell_ids": [], "cross_sell_ids": [], "parent_id": 0,
            "purchase_note": "", "categories": [], "tags": [], "images": [], "attributes": [],
            "default_attributes": [], "variations": [], "grouped_products": [], "menu_order": 0,
            "price_html": "", "related_ids": [], "meta_data": [], "stock_status": "instock",
            "has_options": False, "post_password": "",
        })
        return product

    @staticmethod
    def _price_html(price, regular=None):
        def amount(value):
            text = money(value).replace(".", ",")
            return ('<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-'
                    'currencySymbol">&euro;</span>%s</bdi></span>' % text)
        if regular is not None and Decimal(regular) != Decimal(price):
            return ('<del aria-hidden="true">%s</del> <span class="screen-reader-text">Original price was: '
                    '&euro;%s.</span><ins aria-hidden="true">%s</ins><span class="screen-reader-text">'
                    'Current price is: &euro;%s.</span>' % (amount(regular), money(regular).replace(".", ","),
                                                            amount(price), money(price).replace(".", ",")))
        return amount(price)

    def _products(self, count):
        moment = self.start - timedelta(days=30)
        specs = list(catalog.SIMPLE_PRODUCTS)
        wanted_simple = None if count is None else max(1, count - len(catalog.VARIABLE_PRODUCTS))
        if wanted_simple is not None:
            extra = 0
            while len(specs) < wanted_simple:
                extra += 1
                word = catalog.EXTRA_PRODUCT_WORDS[extra % len(catalog.EXTRA_PRODUCT_WORDS)]
                price = "%d.%02d" % (self.rng.randint(2, 150), self.rng.choice([0, 50, 90, 99, 95]))
                specs.append(("%s Modell %04d" % (word, extra), "GEN-%05d" % extra, price, None, "",
                              "office-supplies", self.rng.randint(0, 300), "0.5", False))
            specs = specs[:wanted_simple]
        self.sellable = []  # (product, variation or None)
        for name, sku, regular, sale, tax_class, category, stock, weight, virtual in specs:
            moment += timedelta(seconds=self.rng.randint(1, 5))
            product = self._product_base(name, sku, moment)
            price = sale or regular
            product.update({
                "price": price, "regular_price": regular, "sale_price": sale or "", "on_sale": bool(sale),
                "tax_class": tax_class, "weight": weight, "virtual": virtual,
                "shipping_required": not virtual, "categories": [self.categories[category]],
                "price_html": self._price_html(price, regular if sale else None),
                "short_description": "<p>%s</p>\n" % name,
                "meta_data": [self._meta("_generated", "1")] if self.rng.random() < 0.2 else [],
            })
            if stock is not None:
                product.update({"manage_stock": True, "stock_quantity": stock,
                                "stock_status": "instock" if stock > 0 else "outofstock"})
            self.store.products[product["id"]] = product
            self.sellable.append((product, None))
        for name, sku, category, weight, attributes, prices in catalog.VARIABLE_PRODUCTS:
            moment += timedelta(seconds=self.rng.randint(1, 5))
            self._variable_product(name, sku, category, weight, attributes, prices, moment)
        by_category = {}
        for product in self.store.products.values():
            by_category.setdefault(product["categories"][0]["id"], []).append(product["id"])
        for product in self.store.products.values():
            same = [pid for pid in by_category[product["categories"][0]["id"]] if pid != product["id"]]
            product["related_ids"] = sorted(self.rng.sample(same, min(len(same), 3)))

    def _variable_product(self, name, sku, category, weight, attributes, prices, moment):
        product = self._product_base(name, sku, moment)
        product.update({
            "type": "variable", "categories": [self.categories[category]],
            "description": "<p>%s (variable)</p>\n" % name, "has_options": True, "weight": weight,
            "attributes": [{"id": 1 if slug == "pa_color" else 2, "name": label, "slug": slug, "position": 0,
                            "visible": True, "variation": True, "options": sorted(options)}
                           for slug, label, options in attributes],
            "default_attributes": [{"id": 1 if slug == "pa_color" else 2, "name": label,
                                    "option": options[0].lower()} for slug, label, options in attributes],
        })
        self.store.products[product["id"]] = product
        combos = [[]]
        for slug, label, options in attributes:
            combos = [combo + [(slug, label, option)] for combo in combos for option in options]
        lowest, on_sale = None, False
        for combo in combos:
            regular, sale = prices[combo[0][2]]
            price = sale or regular
            variation = self._variation(product, combo, regular, sale, moment)
            lowest = price if lowest is None or Decimal(price) < Decimal(lowest) else lowest
            on_sale = on_sale or bool(sale)
            self.sellable.append((product, variation))
        highest = max(Decimal(self.store.variations[v]["price"]) for v in product["variations"])
        product["price"] = lowest
        product["on_sale"] = on_sale
        product["price_html"] = self._price_html(lowest) + (
            " &ndash; " + self._price_html(highest) if highest != Decimal(lowest) else "")

    def _variation(self, product, combo, regular, sale, moment):
        query = "&".join("attribute_%s=%s" % (slug, option.lower()) for slug, _label, option in combo)
        suffix = "-".join(option[:3].upper() for _slug, _label, option in combo)
        stock = self.rng.randint(0, 25)
        variation = {"id": self._post()}
        self._dates(variation, "date_created", moment)
        self._dates(variation, "date_modified", moment)
        variation.update({
            "description": "", "permalink": "%s?%s" % (product["permalink"], query),
            "sku": "%s-%s" % (product["sku"], suffix), "price": sale or regular, "regular_price": regular,
            "sale_price": sale or "", "date_on_sale_from": None, "date_on_sale_from_gmt": None,
            "date_on_sale_to": None, "date_on_sale_to_gmt": None, "on_sale": bool(sale),
            "status": "publish", "purchasable": True, "virtual": False, "downloadable": False,
            "downloads": [], "download_limit": -1, "download_expiry": -1, "tax_status": "taxable",
            "tax_class": "", "manage_stock": True, "stock_quantity": stock,
            "stock_status": "instock" if stock > 0 else "outofstock", "backorders": "no",
            "backorders_allowed": False, "backordered": False, "low_stock_amount": None, "weight": "",
            "dimensions": {"length": "", "width": "", "height": ""}, "shipping_class": "",
            "shipping_class_id": 0, "image": None,
            "attributes": [{"id": 1 if slug == "pa_color" else 2, "name": label, "slug": slug, "option": option}
                           for slug, label, option in combo],
            "menu_order": 0, "meta_data": [], "name": ", ".join(option for _s, _l, option in combo),
            "parent_id": product["id"],
        })
        self.store.variations[variation["id"]] = variation
        product["variations"].append(variation["id"])
        return variation

    # -- coupons ----------------------------------------------------------
    def _coupons(self):
        moment = self.start - timedelta(days=20)
        coffee = [p["id"] for p, v in self.sellable if v is None and p["sku"].startswith("LAB-COFFEE")]
        self.coupons = {}
        for code, kind, amount, description, minimum, free_shipping, individual in catalog.COUPONS:
            coupon = {"id": self._post(), "code": code, "amount": amount, "status": "publish"}
            self._dates(coupon, "date_created", moment)
            self._dates(coupon, "date_modified", moment)
            coupon.update({
                "discount_type": kind, "description": description, "date_expires": None,
                "date_expires_gmt": None, "usage_count": 0, "individual_use": individual,
                "product_ids": coffee if kind == "fixed_product" else [], "excluded_product_ids": [],
                "usage_limit": None, "usage_limit_per_user": None, "limit_usage_to_x_items": None,
                "free_shipping": free_shipping, "product_categories": [], "excluded_product_categories": [],
                "exclude_sale_items": False, "minimum_amount": minimum, "maximum_amount": "0.00",
                "email_restrictions": [], "used_by": [], "meta_data": [],
            })
            self.store.coupons[coupon["id"]] = coupon
            self.coupons[code] = coupon

    # -- people -----------------------------------------------------------
    def _phone(self, country):
        table = names.COUNTRIES[country]
        number_text = "%d%d%d %d%d%d%d" % tuple(self.rng.randint(0, 9) for _ in range(7))
        if country == "RU":
            number_text = "%03d-%02d-%02d" % (self.rng.randint(100, 999), self.rng.randint(0, 99),
                                              self.rng.randint(0, 99))
        return table["phone"].format(area=self.rng.choice(table["areas"]), number=number_text)

    def _person(self, country=None):
        """A random person with an address: dict with billing-style keys + company list."""
        rng = self.rng
        if country is None:
            country = rng.choices(list(names.COUNTRY_WEIGHTS), weights=list(names.COUNTRY_WEIGHTS.values()))[0]
        table = names.COUNTRIES[country]
        first, last = rng.choice(table["first"]), rng.choice(table["last"])
        city, postcode, state = rng.choice(table["cities"])
        street = rng.choice(table["streets"])
        if country in ("RU",):
            address_1 = "%s %d" % (street, rng.randint(1, 120))
        elif country == "IR":
            address_1 = "%s %s" % (street, "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in str(rng.randint(1, 99))))
        elif country == "FR":
            address_1 = "%d %s" % (rng.randint(1, 80), street)
        else:
            address_1 = "%s %d" % (street, rng.randint(1, 120))
        email = "%s.%s@%s" % (names.latin(first), names.latin(last), table["domain"])
        return {"first_name": first, "last_name": last, "company": "", "address_1": address_1,
                "address_2": rng.choice(table["address_2"]), "city": city, "state": state,
                "postcode": postcode, "country": country, "email": email, "phone": self._phone(country)}

    def _company_name(self, country, last):
        table = names.COUNTRIES[country]
        pattern = self.rng.choice(table["companies"])
        return pattern.format(last=last, word=self.rng.choice(table.get("words", ["Nord"])))

    def _vat_id(self, country):
        return "%s%09d" % (names.COUNTRIES[country]["vat"], self.rng.randint(100000000, 999999999))

    def _customers(self, count):
        admin = {"id": 1, "date_created": None, "date_created_gmt": None}
        self._dates(admin, "date_created", self.start - timedelta(days=60))
        admin.update({"date_modified": None, "date_modified_gmt": None, "email": "admin@example.test",
                      "first_name": "", "last_name": "", "role": "administrator", "username": "admin",
                      "billing": self._address({}, with_email=True, customer=True),
                      "shipping": self._address({}, with_email=False, customer=True),
                      "is_paying_customer": False, "avatar_url": _gravatar("admin@example.test"),
                      "meta_data": []})
        self.store.customers[1] = admin
        self.profiles = {}  # customer id -> {"person", "companies": [(name, vat)]}
        usernames = set()
        moment = self.start - timedelta(days=10)
        for index in range(count):
            customer_id = index + 2
            person = self._person()
            companies = []
            if self.rng.random() < COMPANY_SHARE:
                companies.append((self._company_name(person["country"], person["last_name"]),
                                  self._vat_id(person["country"])))
                if self.rng.random() < 0.25:  # a person who buys for two companies
                    second = self._company_name(person["country"], self.rng.choice(
                        names.COUNTRIES[person["country"]]["last"]))
                    if second != companies[0][0]:
                        companies.append((second, self._vat_id(person["country"])))
            local, domain = person["email"].split("@")
            if companies:
                local = self.rng.choice(["einkauf", "info", "buchhaltung", local])
                domain = _slugify(names.latin(person["last_name"])) + "-" + domain
            email = "%s%s@%s" % (local, "" if index < 30 else index, domain)
            person["email"] = email
            username = local if local not in usernames else "%s%d" % (local, customer_id)
            usernames.add(username)
            billing = dict(person, company=companies[0][0] if companies else "")
            # Seen on real stores: an account e-mail but an empty billing e-mail.
            if index == 3:
                billing["email"] = ""
            moment += timedelta(minutes=self.rng.randint(1, 180))
            customer = {"id": customer_id}
            self._dates(customer, "date_created", moment)
            self._dates(customer, "date_modified", moment)
            customer.update({
                "email": email, "first_name": person["first_name"], "last_name": person["last_name"],
                "role": "customer", "username": username,
                "billing": self._address(billing, with_email=True, customer=True),
                "shipping": self._address(billing, with_email=False, customer=True),
                "is_paying_customer": False, "avatar_url": _gravatar(email), "meta_data": [],
            })
            if companies:
                customer["meta_data"] = [self._meta("vat_id", companies[0][1]),
                                         self._meta("customer_group", "b2b")]
            self.store.customers[customer_id] = customer
            self.profiles[customer_id] = {"person": billing, "companies": companies}
        # Guests: fewer identities than guest orders, so e-mails repeat across orders.
        self.guests = []
        for _ in range(max(3, count // 3)):
            person = self._person()
            companies = []
            if self.rng.random() < COMPANY_SHARE:
                companies.append((self._company_name(person["country"], person["last_name"]),
                                  self._vat_id(person["country"])))
            self.guests.append({"person": person, "companies": companies})

    @staticmethod
    def _address(source, with_email, customer):
        """A billing/shipping dict in the store's key order (customers and orders differ)."""
        get = source.get
        if customer:
            keys = ["first_name", "last_name", "company", "address_1", "address_2", "city", "postcode",
                    "country", "state"]
        else:
            keys = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state",
                    "postcode", "country"]
        address = {key: get(key, "") for key in keys}
        if with_email:
            address["email"] = get("email", "")
        address["phone"] = get("phone", "")
        return address

    # -- orders -----------------------------------------------------------
    def _orders(self, count):
        rng = self.rng
        moment = self.start
        customer_ids = sorted(self.profiles)
        self.order_list = []
        previous = None
        for index in range(count):
            moment += timedelta(seconds=rng.randint(20, 1800))
            status = ORDER_STATUSES[index] if index < len(ORDER_STATUSES) else rng.choices(
                ORDER_STATUSES, weights=STATUS_WEIGHTS)[0]
            if rng.random() < GUEST_SHARE or not customer_ids:
                customer_id, profile = 0, rng.choice(self.guests)
            else:
                customer_id = rng.choice(customer_ids)
                profile = self.profiles[customer_id]
            order = self._order(status, customer_id, profile, moment)
            # Some orders are modified in the same second as the previous one
            # (bulk actions): paging by modified date must cope with ties.
            if previous is not None and rng.random() < 0.12:
                shared = max(previous["date_modified_gmt"], order["date_modified_gmt"])
                moment_shared = datetime.strptime(shared, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
                for record in (previous, order):
                    self._dates(record, "date_modified", moment_shared)
            previous = order
            self.order_list.append(order)

    def _pick_lines(self, status):
        rng = self.rng
        if status == "checkout-draft" and rng.random() < 0.5:
            count = 1
        else:
            count = rng.choices([1, 2, 3, 4, 5], weights=[30, 30, 20, 12, 8])[0]
        picked = []
        seen = set()
        for _ in range(count):
            product, variation = rng.choice(self.sellable)
            key = (product["id"], variation["id"] if variation else 0)
            if key in seen:
                continue
            seen.add(key)
            quantity = rng.choices([1, 2, 3, 4, 5, 10], weights=[45, 25, 12, 8, 6, 4])[0]
            picked.append((product, variation, quantity))
        return picked

    def _rate(self, country, tax_class):
        if tax_class == "zero-rate":
            return None
        return self.rates.get((country, tax_class))

    def _tax_entry(self, rate, amount, subtotal=None):
        """(entry, rounded tax): one taxes[] entry for `amount` at `rate`."""
        factor = Decimal(rate["rate"]) / 100
        tax = amount * factor
        entry = {"id": rate["id"], "total": trimmed(tax),
                 "subtotal": "" if subtotal is None else trimmed(subtotal * factor)}
        return entry, round2(tax)

    def _order(self, status, customer_id, profile, created):
        rng = self.rng
        order_id = self._post()
        person = profile["person"]
        company, vat = ("", None)
        if profile["companies"]:
            company, vat = rng.choice(profile["companies"])
        billing_source = dict(person, company=company)
        if customer_id == 0 and rng.random() < 0.3:
            billing_source["phone"] = ""
        country = person["country"]
        paid = status in PAID_STATUSES
        gateway = rng.choice(GATEWAYS)
        if status == "checkout-draft":
            gateway = ""
        lines = self._pick_lines(status)
        coupon = None
        if lines and rng.random() < 0.25 and status != "checkout-draft":
            coupon = rng.choice(list(self.coupons.values()))
        # Line items ----------------------------------------------------------
        line_items, taxes_by_rate, shipping_tax_by_rate = [], {}, {}
        item_rows = []
        for product, variation, quantity in lines:
            source = variation or product
            unit = Decimal(source["price"])
            tax_class = product["tax_class"] if variation is None else ""
            item_rows.append({"product": product, "variation": variation, "quantity": quantity,
                              "unit": unit, "subtotal": unit * quantity, "tax_class": tax_class,
                              "discount": Decimal(0)})
        if coupon is not None and sum(r["subtotal"] for r in item_rows) < Decimal(coupon["minimum_amount"]):
            coupon = None
        if coupon is not None:
            self._apply_coupon(coupon, item_rows)
        for row in item_rows:
            product, variation, quantity = row["product"], row["variation"], row["quantity"]
            subtotal = row["subtotal"]
            total = subtotal - row["discount"]
            rate = self._rate(country, row["tax_class"])
            taxes, subtotal_tax, total_tax = [], Decimal(0), Decimal(0)
            if rate is not None:
                entry, total_tax = self._tax_entry(rate, total, subtotal)
                subtotal_tax = round2(subtotal * Decimal(rate["rate"]) / 100)
                taxes.append(entry)
                taxes_by_rate[rate["id"]] = taxes_by_rate.get(rate["id"], Decimal(0)) + total_tax
            meta = []
            if variation is not None:
                for attribute in variation["attributes"]:
                    meta.append(self._meta(attribute["slug"], attribute["option"].lower()))
                    meta[-1]["display_key"] = attribute["name"]
                    meta[-1]["display_value"] = attribute["option"]
            if status in STOCK_REDUCED_STATUSES and (variation or product)["manage_stock"]:
                meta.append(self._meta("_reduced_stock", str(quantity), display=True))
            line_items.append({
                "id": self._item(),
                "name": product["name"] + (" - " + variation["name"] if variation else ""),
                "product_id": product["id"], "variation_id": variation["id"] if variation else 0,
                "quantity": quantity, "tax_class": row["tax_class"], "subtotal": money(subtotal),
                "subtotal_tax": money(subtotal_tax), "total": money(total), "total_tax": money(total_tax),
                "taxes": taxes, "meta_data": meta, "sku": (variation or product)["sku"],
                "price": number(total / quantity),
                "image": {"id": 0, "src": ""} if variation else {"id": "", "src": ""},
                "parent_name": product["name"] if variation else None,
            })
        items_total = sum((Decimal(line["total"]) for line in line_items), Decimal(0))
        # Shipping --------------------------------------------------------------
        shipping_lines = []
        physical = any(not (row["variation"] or row["product"])["virtual"] for row in item_rows)
        if physical and status != "checkout-draft":
            method = self._shipping_method(country, items_total)
            cost = Decimal(method["settings"].get("cost", {}).get("value") or "0")
            rate = self._rate(country, "")
            taxes, tax = [], Decimal(0)
            if rate is not None and rate["shipping"]:
                entry, tax = self._tax_entry(rate, cost)
                taxes.append(entry)
                shipping_tax_by_rate[rate["id"]] = shipping_tax_by_rate.get(rate["id"], Decimal(0)) + tax
            shipping_lines.append({"id": self._item(), "method_title": method["title"],
                                   "method_id": method["method_id"], "instance_id": str(method["instance_id"]),
                                   "total": money(cost), "total_tax": money(tax), "taxes": taxes,
                                   "meta_data": []})
        # Fees -------------------------------------------------------------------
        fee_lines = []
        if gateway == "cod" and rng.random() < 0.7:
            fee_lines.append(self._fee("Cash on delivery fee", Decimal("2.50"), False, country, taxes_by_rate))
        if rng.random() < 0.12 and status != "checkout-draft":
            fee_lines.append(self._fee("Express handling", Decimal("5.00"), True, country, taxes_by_rate))
        if rng.random() < 0.04 and status != "checkout-draft":
            fee_lines.append(self._fee("Mindermengenzuschlag", Decimal("3.90"), True, country, taxes_by_rate))
        # Tax lines, coupon lines, totals --------------------------------------------
        tax_lines = []
        for rate_id in sorted(set(taxes_by_rate) | set(shipping_tax_by_rate)):
            rate = self.store.taxes[rate_id]
            tax_lines.append({
                "id": None, "rate_code": "%s-%s-%d" % (rate["country"], rate["name"].upper(), rate["priority"]),
                "rate_id": rate_id, "label": rate["name"], "compound": rate["compound"],
                "tax_total": money(taxes_by_rate.get(rate_id, 0)),
                "shipping_tax_total": money(shipping_tax_by_rate.get(rate_id, 0)),
                "rate_percent": number(Decimal(rate["rate"])), "meta_data": []})
        # Item ids: lines, then shipping, fees, taxes, coupons (the store's order).
        for fee in fee_lines:
            fee["id"] = self._item()
        for tax_line in tax_lines:
            tax_line["id"] = self._item()
        discount_total = sum((Decimal(li["subtotal"]) - Decimal(li["total"]) for li in line_items), Decimal(0))
        discount_tax = sum((Decimal(li["subtotal_tax"]) - Decimal(li["total_tax"]) for li in line_items),
                           Decimal(0))
        coupon_lines = []
        if coupon is not None:
            info = json.dumps([coupon["id"], coupon["code"], coupon["discount_type"],
                               number(Decimal(coupon["amount"]))], separators=(",", ":"))
            coupon_lines.append({
                "id": self._item(), "code": coupon["code"], "discount": trimmed(discount_total),
                "discount_tax": trimmed(discount_tax),
                "meta_data": [self._meta("coupon_info", info, display=True)],
                "discount_type": coupon["discount_type"], "nominal_amount": number(Decimal(coupon["amount"])),
                "free_shipping": coupon["free_shipping"]})
            coupon["usage_count"] += 1
            coupon["used_by"].append(str(customer_id) if customer_id else person["email"])
        shipping_total = sum((Decimal(s["total"]) for s in shipping_lines), Decimal(0))
        shipping_tax = sum(shipping_tax_by_rate.values(), Decimal(0))
        cart_tax = sum(taxes_by_rate.values(), Decimal(0))
        fee_total = sum((Decimal(f["total"]) for f in fee_lines), Decimal(0))
        total_tax = cart_tax + shipping_tax
        total = items_total + fee_total + shipping_total + total_tax
        if status == "refunded" and total <= 0:
            status = "completed"  # nothing to refund
        # Dates ----------------------------------------------------------------------
        modified = created
        date_paid = date_completed = None
        if paid and not (status == "processing" and gateway == "cod"):
            date_paid = created + timedelta(seconds=rng.randint(0, 120))
            modified = date_paid
        if status in ("completed", "refunded"):
            date_completed = (date_paid or created) + timedelta(hours=rng.randint(1, 72))
            modified = date_completed
        elif status in ("cancelled", "failed", "on-hold") and rng.random() < 0.5:
            modified = created + timedelta(minutes=rng.randint(5, 600))
        order_key = "wc_order_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                          for _ in range(13))
        meta = []
        if vat:
            meta = [self._meta("_billing_vat_id", vat), self._meta("vat_id", vat)]
        if status == "refunded" or rng.random() < 0.05:
            meta.append(self._meta("_wc_order_attribution_source_type", rng.choice(["typein", "organic"])))
        meta.sort(key=lambda entry: entry["key"])
        transaction_id = ""
        if date_paid is not None and gateway == "stripe":
            transaction_id = "ch_3" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                              for _ in range(23))
        elif date_paid is not None and gateway == "bacs" and rng.random() < 0.5:
            transaction_id = "SEPA-%08d" % rng.randint(0, 99999999)
        draft = status == "checkout-draft"
        order = {"id": order_id, "parent_id": 0, "status": status, "currency": "EUR", "version": "8.9.1",
                 "prices_include_tax": False}
        self._dates(order, "date_created", created)
        self._dates(order, "date_modified", modified)
        order.update({
            "discount_total": money(discount_total), "discount_tax": money(discount_tax),
            "shipping_total": money(shipping_total), "shipping_tax": money(shipping_tax),
            "cart_tax": money(cart_tax), "total": money(total), "total_tax": money(total_tax),
            "customer_id": customer_id, "order_key": order_key,
            "billing": self._address(billing_source, with_email=True, customer=False),
            "shipping": self._address(billing_source, with_email=False, customer=False),
            "payment_method": gateway, "payment_method_title": self.gateway_titles.get(gateway, ""),
            "transaction_id": transaction_id,
            "customer_ip_address": "" if draft else "192.0.2.%d" % rng.randint(1, 254),
            "customer_user_agent": "" if draft else "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0",
            "created_via": "store-api" if draft else rng.choice(["checkout", "checkout", "admin", "rest-api"]),
            "customer_note": rng.choice(names.CUSTOMER_NOTES) if rng.random() < 0.2 else "",
            "date_completed": None, "date_paid": None, "cart_hash": "", "number": str(order_id),
            "meta_data": meta, "line_items": line_items, "tax_lines": tax_lines,
            "shipping_lines": shipping_lines, "fee_lines": fee_lines, "coupon_lines": coupon_lines,
            "refunds": [],
            "payment_url": "%s/checkout/order-pay/%d/?pay_for_order=true&key=%s" % (self.url, order_id, order_key),
            "is_editable": status in ("pending", "on-hold", "checkout-draft"),
            "needs_payment": status in ("pending", "failed") and total > 0,
            "needs_processing": physical,
        })
        order["date_created_gmt"] = order.pop("date_created_gmt")
        order["date_modified_gmt"] = order.pop("date_modified_gmt")
        order["date_completed_gmt"] = None
        order["date_paid_gmt"] = None
        local, gmt = self._pair(date_completed)
        order["date_completed"], order["date_completed_gmt"] = local, gmt
        local, gmt = self._pair(date_paid)
        order["date_paid"], order["date_paid_gmt"] = local, gmt
        order["currency_symbol"] = "€"
        self.store.orders[order_id] = order
        if status == "completed" and rng.random() < 0.15 or status == "refunded":
            self._refunds(order, full=status == "refunded")
        self._notes(order)
        if customer_id and date_paid is not None:
            self.store.customers[customer_id]["is_paying_customer"] = True
        return order

    def _shipping_method(self, country, items_total):
        if country == "DE":
            if items_total >= 100 and self.rng.random() < 0.6:
                return self.shipping[2]
            if self.rng.random() < 0.1:
                return self.shipping[3]
            return self.shipping[1]
        if country in EU_COUNTRIES:
            return self.shipping[4]
        return self.shipping[5]

    def _fee(self, name, amount, taxable, country, taxes_by_rate):
        """A fee line; a taxable fee pays the standard rate of the customer's country."""
        rate = self._rate(country, "") if taxable else None
        taxes, tax = [], Decimal(0)
        if rate is not None:
            entry, tax = self._tax_entry(rate, amount)
            taxes.append(entry)
            taxes_by_rate[rate["id"]] = taxes_by_rate.get(rate["id"], Decimal(0)) + tax
        return {"id": None, "name": name, "tax_class": "", "tax_status": "taxable" if taxable else "none",
                "amount": "", "total": money(amount),
                "total_tax": money(tax), "taxes": taxes, "meta_data": []}

    @staticmethod
    def _apply_coupon(coupon, rows):
        """Set each row's discount (Decimal, cents) the way WooCommerce splits a coupon."""
        kind, amount = coupon["discount_type"], Decimal(coupon["amount"])
        if kind == "percent":
            # Per line, in cents, rounded down; the cents left over go to the first lines.
            wanted = round2(sum(r["subtotal"] for r in rows) * amount / 100)
            for row in rows:
                row["discount"] = Decimal(int(row["subtotal"] * amount)) / 100  # floor to cents
            left = int((wanted - sum(r["discount"] for r in rows)) * 100)
            for row in rows:
                if left <= 0:
                    break
                if row["discount"] < row["subtotal"]:
                    row["discount"] += Decimal("0.01")
                    left -= 1
        elif kind == "fixed_cart":
            # Split equally per unit, capped at the unit price (seen on the real store).
            units = sum(r["quantity"] for r in rows if r["unit"] > 0)
            if not units:
                return
            cents = int(amount * 100)
            base, extra = divmod(cents, units)
            for row in rows:
                unit_cents = int(row["unit"] * 100)
                discount = 0
                for _ in range(row["quantity"]):
                    share = base + (1 if extra > 0 else 0)
                    extra -= 1 if extra > 0 else 0
                    discount += min(share, unit_cents)
                row["discount"] = Decimal(discount) / 100
        elif kind == "fixed_product":
            for row in rows:
                if row["product"]["id"] in coupon["product_ids"]:
                    row["discount"] = min(amount, row["unit"]) * row["quantity"]

    def _refunds(self, order, full):
        rng = self.rng
        refundable_lines = [line for line in order["line_items"] if Decimal(line["total"]) > 0]
        if Decimal(order["total"]) <= 0:
            return
        paid_gmt = order["date_paid_gmt"] or order["date_created_gmt"]
        base = datetime.strptime(paid_gmt, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        moment = base + timedelta(days=rng.randint(1, 10), seconds=rng.randint(0, 3600))
        refund = {"id": self._post()}
        self._dates(refund, "date_created", moment)
        refund.update({"amount": "0.00", "reason": "", "refunded_by": 1, "refunded_payment": False,
                       "meta_data": [], "line_items": [], "shipping_lines": [], "tax_lines": [],
                       "fee_lines": []})
        if full:
            refund["amount"] = order["total"]
            refund["reason"] = names.FULL_REFUND_REASON
            refund["refunded_payment"] = order["payment_method"] == "stripe"
        elif rng.random() < 0.5 or not refundable_lines:
            total = Decimal(order["total"])
            amount = Decimal(rng.choice(["5.00", "10.00", "15.00"]))
            refund["amount"] = money(amount if amount < total else total / 2)
            refund["reason"] = rng.choice(names.REFUND_REASONS)
        else:
            line = rng.choice(refundable_lines)
            refund["reason"] = rng.choice(names.REFUND_REASONS)
            quantity = line["quantity"]
            net = Decimal(line["total"]) / quantity
            taxes, tax_total = [], Decimal(0)
            for tax in line["taxes"]:
                rate = self.store.taxes[tax["id"]]
                value = round2(net * Decimal(rate["rate"]) / 100)
                tax_total += value
                taxes.append({"id": tax["id"], "total": trimmed(-value), "subtotal": trimmed(-value)})
            net = round2(net)
            meta = [self._meta("_refunded_item_id", str(line["id"]), display=True)]
            refund["line_items"].append({
                "id": self._item(), "name": line["name"], "product_id": line["product_id"],
                "variation_id": line["variation_id"], "quantity": -1, "tax_class": line["tax_class"],
                "subtotal": money(-net), "subtotal_tax": money(-tax_total), "total": money(-net),
                "total_tax": money(-tax_total), "taxes": taxes, "meta_data": meta, "sku": line["sku"],
                "price": number(net), "image": dict(line["image"]), "parent_name": line["parent_name"]})
            for tax in line["taxes"]:
                rate = self.store.taxes[tax["id"]]
                refund["tax_lines"].append({
                    "id": self._item(), "rate_code": "%s-%s-%d" % (rate["country"], rate["name"].upper(),
                                                                   rate["priority"]),
                    "rate_id": rate["id"], "label": rate["name"], "compound": False,
                    "tax_total": money(-tax_total), "shipping_tax_total": "0.00",
                    "rate_percent": number(Decimal(rate["rate"])), "meta_data": []})
            refund["amount"] = money(net + tax_total)
        self.store.refunds.setdefault(order["id"], []).insert(0, refund)
        order["refunds"].insert(0, {"id": refund["id"], "reason": refund["reason"],
                                    "total": money(-Decimal(refund["amount"]))})
        if refund["date_created_gmt"] > order["date_modified_gmt"]:
            self._dates(order, "date_modified", moment)

    def _notes(self, order):
        rng = self.rng
        notes = []
        created = datetime.strptime(order["date_created_gmt"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        status = order["status"]
        if status in STATUS_LABELS and status != "pending":
            notes.append((created, "Order status changed from Pending payment to %s." % STATUS_LABELS[status],
                          False))
        if rng.random() < 0.15:
            notes.append((created + timedelta(hours=rng.randint(1, 48)), rng.choice(names.ORDER_NOTES), True))
        listed = []
        for moment, text, customer_note in notes:
            self.note_id += 1
            note = {"id": self.note_id, "author": "WooCommerce"}
            self._dates(note, "date_created", moment)
            note.update({"note": text, "customer_note": customer_note})
            listed.append(note)
        if listed:
            listed.sort(key=lambda note: (note["date_created_gmt"], note["id"]), reverse=True)
            self.store.notes[order["id"]] = listed

    def _finish(self):
        """Totals that depend on all orders, and the store's sequences."""
        for order in self.order_list:
            if order["status"] not in PAID_STATUSES:
                continue
            for line in order["line_items"]:
                product = self.store.products.get(line["product_id"])
                if product is not None:
                    product["total_sales"] += line["quantity"]
        # Note ids are comment ids (their own sequence); keep them below the post ids.
        self.store.id_sequence = self.post_id
        self.store.item_sequence = self.item_id
        self.store.meta_sequence = self.meta_id
