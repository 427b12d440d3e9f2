"""Orders: building them from a REST payload, their totals, and refunds.

Totals follow the store with "round tax at subtotal" off and prices
entered excluding tax: each line's tax per rate is kept unrounded in
`taxes[]` and rounded for the line; tax lines add the rounded amounts; the
order total is lines + fees + shipping + their taxes. Rates come from
`data.taxes`, matched on the shipping (else billing, else the store's)
country and the line's tax class.
"""

from __future__ import annotations

import json
from decimal import Decimal

from .api import ApiError, invalid_params
from .resources import BILLING_KEYS, SHIPPING_KEYS, WC_VERSION, address, dec, money, order_key, php_number, unrounded

ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded",
                  "failed", "checkout-draft")
STATUS_ENUM_TEXT = ("auto-draft, pending, processing, on-hold, completed, cancelled, refunded, "
                    "failed, and checkout-draft")
PAID_STATUSES = ("processing", "completed")
STOCK_REDUCING = ("processing", "completed", "on-hold")
HUNDRED = Decimal(100)


def validate_order_payload(payload):
    """The store's 400 for a malformed order payload (single creates/updates only)."""
    errors = []
    status = payload.get("status")
    if status is not None and status not in ORDER_STATUSES + ("auto-draft",):
        message = f"status is not one of {STATUS_ENUM_TEXT}."
        errors.append(("status", "rest_not_in_enum", message, None))
    billing = payload.get("billing")
    if isinstance(billing, dict) and billing.get("email") and "@" not in str(billing["email"]):
        errors.append(("billing", "rest_invalid_email", "Invalid email address.", None))
    for name in ("line_items", "shipping_lines", "fee_lines", "coupon_lines"):
        value = payload.get(name)
        if value is not None and (not isinstance(value, list)
                                  or any(not isinstance(item, dict) for item in value)):
            errors.append((name, "rest_invalid_type", f"{name}[0] is not of type object.",
                           {"param": f"{name}[0]"}))
    if errors:
        raise invalid_params(errors)


def store_country(data):
    for setting in data.settings.get("general", []):
        if setting.get("id") == "woocommerce_default_country":
            return str(setting.get("value") or "DE").split(":")[0]
    return "DE"


def tax_location(data, order):
    for part in ("shipping", "billing"):
        country = (order.get(part) or {}).get("country")
        if country:
            return country, (order.get(part) or {}).get("state", "")
    return store_country(data), ""


def matching_rates(data, order, tax_class, shipping=False):
    """The tax rates for a line of `tax_class` at the order's address (one per priority)."""
    country, state = tax_location(data, order)
    wanted_class = tax_class or "standard"
    chosen = {}
    for rate in sorted(data.taxes.values(), key=lambda r: (r.get("priority", 1), r.get("order", 0), r["id"])):
        if (rate.get("class") or "standard") != wanted_class:
            continue
        if rate.get("country") and rate["country"].upper() != (country or "").upper():
            continue
        if rate.get("state") and rate["state"].upper() != (state or "").upper():
            continue
        if shipping and not rate.get("shipping", True):
            continue
        chosen.setdefault(rate.get("priority", 1), rate)
    return list(chosen.values())


def _rate_code(rate):
    parts = [rate.get("country") or "", rate.get("state") or "", rate.get("name") or "TAX",
             str(rate.get("priority", 1))]
    return "-".join(p for p in parts if p).upper()


def _find_product(data, product_id, variation_id):
    variation = data.variations.get(variation_id) if variation_id else None
    product = data.products.get(product_id)
    if variation is not None and product is None:
        product = data.products.get(variation.get("parent_id"))
    return product, variation


def build_line(data, item, existing_id=None):
    """A line item from a payload item (unknown products become product_id 0)."""
    product_id = int(item.get("product_id") or 0)
    variation_id = int(item.get("variation_id") or 0)
    quantity = int(item.get("quantity") or 1)
    product, variation = _find_product(data, product_id, variation_id)
    source = variation or product
    if product is None:
        product_id, variation_id = 0, 0
    unit = dec(source.get("price")) if source else Decimal(0)
    subtotal = dec(item["subtotal"]) if item.get("subtotal") not in (None, "") else unit * quantity
    line = {
        "id": existing_id or data.next_item_id(),
        "name": item.get("name") or (variation.get("name") if variation and variation.get("name")
                                     else (product or {}).get("name", "")),
        "product_id": product_id,
        "variation_id": variation_id if variation else 0,
        "quantity": quantity,
        "tax_class": (source or {}).get("tax_class", "") if source else "",
        "subtotal": money(subtotal),
        "subtotal_tax": "0.00",
        "total": money(dec(item["total"]) if item.get("total") not in (None, "") else subtotal),
        "total_tax": "0.00",
        "taxes": [],
        "meta_data": list(item.get("meta_data") or []),
        "sku": (source or {}).get("sku") if source else None,
        "price": 0,
        # As captured: a number for variations and unknown products, "" for simple products.
        "image": {"id": 0 if variation or product is None else "", "src": ""},
        "parent_name": product.get("name") if variation and product else None,
        "__explicit_total": item.get("total") not in (None, ""),
    }
    if (source or {}).get("tax_status", "taxable") == "none":
        line["tax_class"] = line["tax_class"] or ""
        line["__no_tax"] = True
    return line


def _apply_coupons(data, order, lines):
    """Discount lines by the order's coupons; returns the coupon lines' discounts."""
    discounts = {}
    for coupon_line in order["coupon_lines"]:
        coupon = find_coupon(data, coupon_line["code"])
        kind = coupon.get("discount_type", "fixed_cart") if coupon else coupon_line.get("discount_type")
        amount = dec(coupon.get("amount") if coupon else coupon_line.get("nominal_amount"))
        total_off = Decimal(0)
        eligible = [l for l in lines if not l.get("__explicit_total")]
        if kind == "percent":
            for line in eligible:
                off = (dec(line["subtotal"]) * amount / HUNDRED).quantize(Decimal("0.01"))
                line["total"] = money(dec(line["total"]) - off)
                total_off += off
        elif kind == "fixed_product":
            ids = set((coupon or {}).get("product_ids") or [])
            for line in eligible:
                if ids and line["product_id"] not in ids and line["variation_id"] not in ids:
                    continue
                off = min(amount * line["quantity"], dec(line["total"]))
                line["total"] = money(dec(line["total"]) - off)
                total_off += off
        else:  # fixed_cart: split over the lines by their share, remainder on the last
            base = sum((dec(l["total"]) for l in eligible), Decimal(0))
            amount = min(amount, base)
            left = amount
            for n, line in enumerate(eligible):
                off = left if n == len(eligible) - 1 else (amount * dec(line["total"]) / base).quantize(Decimal("0.01")) if base else Decimal(0)
                off = min(off, dec(line["total"]))
                line["total"] = money(dec(line["total"]) - off)
                left -= off
                total_off += off
        discounts[coupon_line["code"]] = (total_off, kind, amount, coupon)
    return discounts


def find_coupon(data, code):
    code = str(code or "").lower()
    for coupon in data.coupons.values():
        if str(coupon.get("code", "")).lower() == code and coupon.get("status") != "trash":
            return coupon
    return None


def recalculate(data, order):
    """Recompute line taxes, tax lines and order totals."""
    lines = order["line_items"]
    for line in lines:
        if not line.get("__explicit_total"):
            line["total"] = line["subtotal"]
    discounts = _apply_coupons(data, order, lines) if order["coupon_lines"] else {}
    rate_totals = {}

    def tax_item(item, base_total, base_subtotal, tax_class, shipping=False):
        rates = [] if item.get("__no_tax") else matching_rates(data, order, tax_class, shipping)
        taxes, total_tax, subtotal_tax = [], Decimal(0), Decimal(0)
        for rate in rates:
            percent = dec(rate.get("rate"))
            tax = base_total * percent / HUNDRED
            sub = base_subtotal * percent / HUNDRED if base_subtotal is not None else None
            taxes.append({"id": rate["id"], "total": unrounded(tax),
                          "subtotal": unrounded(sub) if sub is not None else ""})
            rounded = tax.quantize(Decimal("0.01"))
            total_tax += rounded
            subtotal_tax += sub.quantize(Decimal("0.01")) if sub is not None else 0
            slot = rate_totals.setdefault(rate["id"], [rate, Decimal(0), Decimal(0)])
            slot[2 if shipping else 1] += rounded
        item["taxes"] = taxes
        return total_tax, subtotal_tax

    items_total = cart_tax = discount_tax = Decimal(0)
    for line in lines:
        total, subtotal = dec(line["total"]), dec(line["subtotal"])
        tax, sub_tax = tax_item(line, total, subtotal, line["tax_class"])
        line["total_tax"], line["subtotal_tax"] = money(tax), money(sub_tax)
        line["price"] = php_number(total / line["quantity"]) if line["quantity"] else 0
        items_total += total
        cart_tax += tax
        discount_tax += sub_tax - tax
    fees_total = Decimal(0)
    for fee in order["fee_lines"]:
        total = dec(fee.get("total"))
        if fee.get("tax_status", "taxable") == "taxable":
            tax, _ = tax_item(fee, total, None, fee.get("tax_class", ""))
        else:
            fee["taxes"], tax = [], Decimal(0)
        fee["total_tax"] = money(tax)
        fees_total += total
        cart_tax += tax
    shipping_total = shipping_tax = Decimal(0)
    for ship in order["shipping_lines"]:
        total = dec(ship.get("total"))
        tax, _ = tax_item(ship, total, None, "", shipping=True)
        ship["total_tax"] = money(tax)
        shipping_total += total
        shipping_tax += tax
    order["tax_lines"] = [
        {"id": _reuse_tax_line_id(data, order, rate["id"]), "rate_code": _rate_code(rate),
         "rate_id": rate["id"], "label": rate.get("name", ""), "compound": bool(rate.get("compound")),
         "tax_total": money(cart), "shipping_tax_total": money(ship),
         "rate_percent": php_number(dec(rate.get("rate"))), "meta_data": []}
        for rate, cart, ship in rate_totals.values()
    ]
    discount_total = Decimal(0)
    for coupon_line in order["coupon_lines"]:
        off, kind, amount, coupon = discounts.get(coupon_line["code"], (Decimal(0), "fixed_cart", 0, None))
        coupon_line["discount"] = money(off)
        coupon_line["discount_type"] = kind
        coupon_line["nominal_amount"] = php_number(amount)
        discount_total += off
    if order["coupon_lines"] and discount_total:
        share = discount_tax / discount_total if discount_total else 0
        for coupon_line in order["coupon_lines"]:
            coupon_line["discount_tax"] = money(dec(coupon_line["discount"]) * share)
    total_tax = cart_tax + shipping_tax
    order.update({
        "discount_total": money(discount_total), "discount_tax": money(discount_tax),
        "shipping_total": money(shipping_total), "shipping_tax": money(shipping_tax),
        "cart_tax": money(cart_tax), "total_tax": money(total_tax),
        "total": money(items_total + fees_total + shipping_total + total_tax),
    })


def _reuse_tax_line_id(data, order, rate_id):
    for tax_line in order.get("tax_lines") or []:
        if tax_line.get("rate_id") == rate_id:
            return tax_line["id"]
    return data.next_item_id()


def new_order(data, order_id, currency_symbol="€"):
    order = {
        "id": order_id, "parent_id": 0, "status": "pending", "currency": "EUR",
        "version": WC_VERSION, "prices_include_tax": False, "date_created": None,
        "date_modified": None, "discount_total": "0.00", "discount_tax": "0.00",
        "shipping_total": "0.00", "shipping_tax": "0.00", "cart_tax": "0.00", "total": "0.00",
        "total_tax": "0.00", "customer_id": 0, "order_key": order_key(),
        "billing": address(BILLING_KEYS), "shipping": address(SHIPPING_KEYS),
        "payment_method": "", "payment_method_title": "", "transaction_id": "",
        "customer_ip_address": "", "customer_user_agent": "", "created_via": "rest-api",
        "customer_note": "", "date_completed": None, "date_paid": None, "cart_hash": "",
        "number": str(order_id), "meta_data": [], "line_items": [], "tax_lines": [],
        "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": [],
        "payment_url": "", "is_editable": True, "needs_payment": False, "needs_processing": True,
        "date_created_gmt": None, "date_modified_gmt": None, "date_completed_gmt": None,
        "date_paid_gmt": None, "currency_symbol": currency_symbol,
    }
    data.clock.stamp(order, "date_created")
    data.clock.stamp(order, "date_modified")
    return order


def apply_order_payload(data, order, payload, creating=False):
    """Write a payload's fields into `order`; returns (touched_totals, coupon_error)."""
    coupon_error = None
    if "customer_id" in payload:
        customer_id = int(payload.get("customer_id") or 0)
        if customer_id and customer_id not in data.customers:
            raise ApiError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.")
        order["customer_id"] = customer_id
    for part, keys in (("billing", BILLING_KEYS), ("shipping", SHIPPING_KEYS)):
        if isinstance(payload.get(part), dict):
            # A partial address updates only the keys sent.
            for key, value in payload[part].items():
                if key in keys:
                    order[part][key] = "" if value is None else str(value)
    for name in ("payment_method", "payment_method_title", "transaction_id", "customer_note",
                 "currency", "customer_ip_address", "customer_user_agent", "parent_id"):
        if name in payload and payload[name] is not None:
            order[name] = payload[name] if name == "parent_id" else str(payload[name])
    if isinstance(payload.get("meta_data"), list):
        merge_meta(data, order["meta_data"], _order_meta(order, payload["meta_data"]))
    # Any write with billing or shipping makes the store recalculate taxes and totals (reverse/3_customer).
    touched = any(isinstance(payload.get(part), dict) for part in ("billing", "shipping"))
    if isinstance(payload.get("line_items"), list):
        touched = True
        by_id = {line["id"]: line for line in order["line_items"]}
        for item in payload["line_items"]:
            if item.get("id") in by_id:
                line = by_id[item["id"]]
                if item.get("quantity") == 0:
                    order["line_items"].remove(line)
                    continue
                merged = {"product_id": line["product_id"], "variation_id": line["variation_id"],
                          "quantity": line["quantity"]}
                merged.update(item)
                new_line = build_line(data, merged, existing_id=line["id"])
                order["line_items"][order["line_items"].index(line)] = new_line
            else:
                order["line_items"].append(build_line(data, item))
    for name, builder in (("shipping_lines", _shipping_line), ("fee_lines", _fee_line)):
        if isinstance(payload.get(name), list):
            touched = True
            by_id = {line["id"]: line for line in order[name]}
            for item in payload[name]:
                if item.get("id") in by_id:
                    by_id[item["id"]].update({k: v for k, v in item.items() if k != "id"})
                else:
                    order[name].append(builder(data, item))
    if isinstance(payload.get("coupon_lines"), list):
        touched = True
        for item in payload["coupon_lines"]:
            code = str(item.get("code") or "")
            coupon = find_coupon(data, code)
            if coupon is None:
                # The store answers 400 here but keeps the order it already saved.
                coupon_error = ApiError(400, "woocommerce_rest_invalid_coupon",
                                        f'Coupon "{code}" does not exist!')
                continue
            if any(c["code"].lower() == code.lower() for c in order["coupon_lines"]):
                continue
            info = json.dumps([coupon["id"], coupon["code"], coupon.get("discount_type"),
                               php_number(dec(coupon.get("amount")))])
            order["coupon_lines"].append({
                "id": data.next_item_id(), "code": coupon["code"], "discount": "0.00",
                "discount_tax": "0.00",
                "meta_data": [{"id": data.next_meta_id(), "key": "coupon_info", "value": info,
                               "display_key": "coupon_info", "display_value": info}],
                "discount_type": coupon.get("discount_type"),
                "nominal_amount": php_number(dec(coupon.get("amount"))), "free_shipping": False,
            })
            coupon["usage_count"] = int(coupon.get("usage_count") or 0) + 1
    return touched or creating, coupon_error


def _shipping_line(data, item):
    return {"id": data.next_item_id(), "method_title": str(item.get("method_title") or ""),
            "method_id": str(item.get("method_id") or ""), "instance_id": str(item.get("instance_id") or ""),
            "total": money(dec(item.get("total"))), "total_tax": "0.00", "taxes": [],
            "meta_data": list(item.get("meta_data") or [])}


def _fee_line(data, item):
    return {"id": data.next_item_id(), "name": str(item.get("name") or ""),
            "tax_class": str(item.get("tax_class") or ""),
            "tax_status": item.get("tax_status") or "taxable", "amount": str(item.get("total") or "0"),
            "total": money(dec(item.get("total"))), "total_tax": "0.00", "taxes": [],
            "meta_data": list(item.get("meta_data") or [])}


#: Internal keys of order properties that a meta write drops (reverse/2_orders a_07: "_order_total").
ORDER_PROPERTY_META = ("_order_total", "_order_tax", "_order_shipping", "_order_shipping_tax", "_cart_discount",
                       "_cart_discount_tax", "_order_key", "_order_currency", "_customer_user", "_payment_method",
                       "_payment_method_title", "_transaction_id", "_date_paid", "_date_completed")


def _order_meta(order, entries):
    """Meta entries an order really stores: a key that names an address property SETS it
    ("_billing_phone" overwrote billing.phone, a_07), other property keys are dropped."""
    kept = []
    for entry in entries:
        key = entry.get("key") if isinstance(entry, dict) else None
        part, _, name = (key or "").lstrip("_").partition("_")
        if key and key.startswith("_") and part in ("billing", "shipping") and name in (
                BILLING_KEYS if part == "billing" else SHIPPING_KEYS):
            order[part][name] = "" if entry.get("value") is None else str(entry["value"])
        elif key not in ORDER_PROPERTY_META:
            kept.append(entry)
    return kept


def merge_meta(data, meta, updates):
    """Update meta_data entries by id or key, adding new ones."""
    for entry in updates:
        if not isinstance(entry, dict) or "key" not in entry and "id" not in entry:
            continue
        target = next((m for m in meta if (entry.get("id") and m.get("id") == entry["id"])
                       or (not entry.get("id") and m.get("key") == entry.get("key"))), None)
        if target is None:
            meta.append({"id": data.next_meta_id(), "key": entry.get("key"), "value": entry.get("value")})
        else:
            target["value"] = entry.get("value")


#: How the store names statuses in its notes ("Order status changed from Processing to Completed.").
STATUS_LABELS = {"pending": "Pending payment", "processing": "Processing", "on-hold": "On hold",
                 "completed": "Completed", "cancelled": "Cancelled", "refunded": "Refunded", "failed": "Failed",
                 "checkout-draft": "Draft"}


def system_note(data, order_id, text, customer_note=False):
    """A note the store itself adds (author WooCommerce); notes change no date_modified."""
    note = {"id": data.next_id(), "author": "WooCommerce", "date_created": None, "date_created_gmt": None,
            "note": text, "customer_note": customer_note}
    data.clock.stamp(note, "date_created")
    data.notes.setdefault(order_id, []).insert(0, note)
    return note


def set_status(data, order, status, set_paid=False):
    """Change the status and the paid/completed dates the way the store does."""
    if status:
        order["status"] = status
    if set_paid and order["status"] in ("pending", "on-hold", "failed"):
        order["status"] = "processing"
    if (set_paid or order["status"] in PAID_STATUSES) and not order.get("date_paid"):
        data.clock.stamp(order, "date_paid")
    if order["status"] == "completed" and not order.get("date_completed"):
        data.clock.stamp(order, "date_completed")


def public_line(line):
    return {k: v for k, v in line.items() if not k.startswith("__")}


def strip_private(order):
    for line in order["line_items"]:
        for key in [k for k in line if k.startswith("__")]:
            del line[key]


def refund_total(data, order_id):
    return sum((dec(r.get("amount")) for r in data.refunds.get(order_id, [])), Decimal(0))


def build_refund(data, order, payload, refund_id):
    """A refund of `order` from a REST payload; raises the store's 400s."""
    lines = []
    amount_from_lines = Decimal(0)
    by_id = {line["id"]: line for line in order["line_items"]}
    for item in payload.get("line_items") or []:
        original = by_id.get(int(item.get("id") or 0))
        if original is None:
            continue
        quantity = int(item.get("quantity") or 0)
        total = dec(item.get("refund_total"))
        taxes = []
        tax_sum = Decimal(0)
        for tax in item.get("refund_tax") or []:
            value = dec(tax.get("refund_total"))
            tax_sum += value
            taxes.append({"id": int(tax.get("id")), "total": unrounded(-value), "subtotal": unrounded(-value)})
        amount_from_lines += total + tax_sum
        lines.append({
            "id": data.next_item_id(), "name": original["name"], "product_id": original["product_id"],
            "variation_id": original["variation_id"], "quantity": -quantity,
            "tax_class": original["tax_class"], "subtotal": money(-total), "subtotal_tax": money(-tax_sum),
            "total": money(-total), "total_tax": money(-tax_sum), "taxes": taxes,
            "meta_data": [{"id": data.next_meta_id(), "key": "_refunded_item_id",
                           "value": str(original["id"]), "display_key": "_refunded_item_id",
                           "display_value": str(original["id"])}],
            "sku": original.get("sku"), "price": php_number(total / quantity) if quantity else 0,
            "image": {"id": "", "src": ""}, "parent_name": original.get("parent_name"),
        })
    amount = dec(payload["amount"]) if payload.get("amount") not in (None, "") else amount_from_lines
    if amount <= 0:
        raise ApiError(500, "woocommerce_rest_cannot_create_order_refund",
                       "Refund amount must be greater than zero.")
    if amount > dec(order["total"]) - refund_total(data, order["id"]):
        raise ApiError(500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.")
    refund = {"id": refund_id, "date_created": None, "date_created_gmt": None, "amount": money(amount),
              "reason": str(payload.get("reason") or ""), "refunded_by": 1,
              "refunded_payment": False, "meta_data": [], "line_items": lines,
              "shipping_lines": [], "tax_lines": [], "fee_lines": []}
    data.clock.stamp(refund, "date_created")
    return refund
