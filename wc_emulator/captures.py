"""The captured store's own records, so the emulator can serve exactly the captured data.

`load_captured_store(fixtures_dir)` reads every capture file under
`fixtures_dir` (tests/fixtures/woocommerce, including `more/`) and collects
every order, customer, product, variation, coupon, refund, note and webhook
body found in them (single answers, lists and batch answers), keeping each
record's latest version (greatest `date_modified_gmt`; later files win ties).
The store configuration (taxes, gateways, shipping, settings, system status)
comes from the captures too, on top of the generator's `store_config.json`
for the parts that were never captured (the methods of shipping zones 2 and 3).

The store is the one left at the end of the captures: records the captures
delete for good (DELETE with force=true, batch deletes) are gone, orders
deleted without force are in the trash. Webhooks get the lab secret from
`webhooks/verification.json`.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

from .data import StoreData
from .generator import apply_store_config, load_store_config

_UP_ORDER = re.compile(r"/orders/(\d+)(?:/|$)")
_CONFIG_FILES = {
    "taxes": "taxes.json",
    "tax_classes": "taxes_classes.json",
    "payment_gateways": "payment_gateways.json",
    "shipping_zones": "shipping_zones.json",
    "shipping_method_types": "shipping_methods.json",
    "system_status": "system_status_trimmed.json",
}


#: Capture sets of other WooCommerce versions kept in their own folder beside the 8.9.1 captures
#: (`wc10/`: 10.5.0 with the same data). They are not this store's records: the contract test replays
#: them on their own, against the same store behaving as that version.
VERSION_SETS = {"10.5": "wc10"}


def version_set_dir(fixtures_dir, wc_version):
    """The folder of the captures of `wc_version` ("8.9": `fixtures_dir` itself, "10.5": its `wc10/`)."""
    folder = VERSION_SETS.get(wc_version)
    return os.path.join(fixtures_dir, folder) if folder else str(fixtures_dir)


def in_version_set(path, fixtures_dir):
    """Whether `path` (under `fixtures_dir`) belongs to the capture set of another version."""
    relative = Path(path).relative_to(fixtures_dir)
    return bool(relative.parts) and relative.parts[0] in VERSION_SETS.values()


def capture_files(fixtures_dir):
    """Every capture file ({request, status, headers, body}) under `fixtures_dir`, in a stable order.

    The capture sets of other versions (`VERSION_SETS`) are left out; ask for
    them with `capture_files(version_set_dir(fixtures_dir, "10.5"))`.
    """
    found = []
    for root, dirs, files in os.walk(fixtures_dir):
        dirs.sort()
        if root == os.fspath(fixtures_dir):
            dirs[:] = [d for d in dirs if d not in VERSION_SETS.values()]
        if os.path.basename(root) == "deliveries":
            continue
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            if isinstance(data, dict) and "request" in data and "body" in data:
                found.append((path, data))
    # The first capture round before the second (`more/`), files in name order.
    found.sort(key=lambda item: (os.sep + "more" + os.sep in item[0], item[0]))
    return found


def newest_captured_orders(fixtures_dir):
    """Every order the captures answer with (single records and lists), each in its newest captured state."""
    newest = {}
    for path in sorted(Path(fixtures_dir).rglob("*.json")):
        if in_version_set(path, fixtures_dir):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data.get("body") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict) and "line_items" in item and "customer_id" in item:
                kept = newest.get(item["id"])
                # ISO dates in UTC: their text order is their time order.
                if kept is None or item["date_modified_gmt"] > kept["date_modified_gmt"]:
                    newest[item["id"]] = item
    return list(newest.values())


def delivery_bodies(fixtures_dir):
    """The JSON bodies the store POSTed to the webhook receiver (webhooks/deliveries/, both rounds)."""
    bodies = []
    for root, dirs, files in os.walk(fixtures_dir):
        dirs.sort()
        if os.path.basename(root) != "deliveries":
            continue
        for name in sorted(files):
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                delivery = json.load(handle)
            try:
                bodies.append(json.loads(delivery.get("body_raw") or ""))
            except ValueError:
                continue  # the form-encoded ping
    return bodies


def record_kind(record):
    """Which StoreData table a captured body belongs to (None: not a stored record)."""
    if not isinstance(record, dict) or "id" not in record:
        return None
    if "order_key" in record:
        return "orders"
    if "refunded_by" in record:
        return "refunds"
    if "author" in record and "customer_note" in record and "note" in record:
        return "notes"
    if "username" in record and "role" in record:
        return "customers"
    if "catalog_visibility" in record and "type" in record:
        # A variation sent as a product.updated delivery has the products shape: not a variation record.
        return "products" if record["type"] != "variation" else None
    if "sku" in record and "parent_id" in record and "product_id" not in record and "type" not in record:
        return "variations"
    if "discount_type" in record and "usage_count" in record:
        return "coupons"
    if "delivery_url" in record and "topic" in record:
        return "webhooks"
    return None


def _records(body):
    """The records inside a body: itself, a list's items, a batch answer's items."""
    if isinstance(body, list):
        for item in body:
            yield from _records(item)
    elif isinstance(body, dict):
        if set(body) <= {"create", "update", "delete"} and body:
            for items in body.values():
                yield from _records(items)
        else:
            yield body


_ITEM_PATH = re.compile(r"/wc/v3/(orders|customers|products|coupons|webhooks)/(\d+)$")
_BATCH_PATH = re.compile(r"/wc/v3/(orders|customers|products|coupons|webhooks)/batch$")


def _note_deletions(capture, deleted, trashed):
    """Record which (table, id) a successful DELETE or batch delete removed or trashed."""
    request = capture["request"]
    path = request.get("path", "")
    if request.get("method") == "DELETE":
        match = _ITEM_PATH.search(path)
        if match:
            key = (match.group(1), int(match.group(2)))
            force = str((request.get("params") or {}).get("force", "")).lower() in ("true", "1")
            if force or match.group(1) == "customers":
                deleted.add(key)
            else:
                trashed.add(key)
        return
    match = _BATCH_PATH.search(path)
    if match and request.get("method") == "POST" and isinstance(capture["body"], dict):
        # Batch deletes are forced (WC_REST_Controller::batch_items).
        for item in capture["body"].get("delete", []):
            if isinstance(item, dict) and "error" not in item and "id" in item:
                deleted.add((match.group(1), item["id"]))


def _order_id(record, request_path):
    """The order a refund or note belongs to (its `up` link, else the request path)."""
    for link in record.get("_links", {}).get("up", []):
        match = _UP_ORDER.search(link.get("href", ""))
        if match:
            return int(match.group(1))
    match = _UP_ORDER.search(request_path or "")
    return int(match.group(1)) if match else None


def _stamp(record):
    return record.get("date_modified_gmt") or record.get("date_created_gmt") or ""


# Keys only the edit context shows (a create/update answer); a GET (view context) has none of them.
_EDIT_CONTEXT_KEYS = ("generated_slug", "permalink_template")


def _strip(record):
    record = copy.deepcopy(record)
    record.pop("_links", None)
    for key in _EDIT_CONTEXT_KEYS:
        record.pop(key, None)
    return record


def load_captured_store(fixtures_dir):
    """A `StoreData` holding the captured store's records and configuration."""
    store = apply_store_config(StoreData(), _captured_config(fixtures_dir))
    latest = {}  # (table, id) -> record
    owners = {}  # refund/note id -> order id
    deleted, trashed = set(), set()
    for _path, capture in capture_files(fixtures_dir):
        if capture.get("status", 0) >= 400:
            continue
        request_path = capture["request"].get("path", "")
        _note_deletions(capture, deleted, trashed)
        for record in _records(capture["body"]):
            kind = record_kind(record)
            if kind is None:
                continue
            key = (kind, record["id"])
            if kind in ("refunds", "notes"):
                order_id = _order_id(record, request_path)
                if order_id is None:
                    continue
                owners[key] = order_id
            previous = latest.get(key)
            if previous is None or _stamp(record) >= _stamp(previous):
                latest[key] = _strip(record)
    # Webhook deliveries hold a few records no REST capture shows (product 21).
    for body in delivery_bodies(fixtures_dir):
        kind = record_kind(body)
        if kind in ("orders", "customers", "products") and (kind, body["id"]) not in latest:
            latest[(kind, body["id"])] = _strip(body)
    for key in deleted:
        latest.pop(key, None)
    for key in trashed:
        if key in latest:
            latest[key]["status"] = "trash"
    secret = _webhook_secret(fixtures_dir)
    for (kind, record_id), record in latest.items():
        if kind in ("refunds", "notes"):
            getattr(store, kind).setdefault(owners[(kind, record_id)], []).append(record)
        else:
            if kind == "webhooks":
                record["secret"] = secret
            getattr(store, kind)[record_id] = record
    for refunds in store.refunds.values():
        refunds.sort(key=lambda r: (r["date_created_gmt"], r["id"]), reverse=True)
    for notes in store.notes.values():
        # The store lists notes newest first, ids ascending within one second.
        notes.sort(key=lambda n: n["id"])
        notes.sort(key=lambda n: n["date_created_gmt"], reverse=True)
    _add_missing_variations(store)
    _set_sequences(store)
    return store


def _add_missing_variations(store):
    """Rebuild the variations that orders and parents name but no capture shows.

    Their SKU, attributes and price come from the order lines that sold them;
    everything else from a captured variation (a sibling when there is one).
    """
    lines = {}
    for order in sorted(store.orders.values(), key=lambda o: o["id"]):
        for line in order["line_items"]:
            if line["variation_id"] and line["variation_id"] not in store.variations:
                lines.setdefault(line["variation_id"], line)
    if not store.variations:
        return
    any_variation = next(iter(store.variations.values()))
    for variation_id, line in sorted(lines.items()):
        parent = store.products.get(line["product_id"])
        siblings = [store.variations[v] for v in (parent or {}).get("variations", []) if v in store.variations]
        variation = copy.deepcopy(siblings[0] if siblings else any_variation)
        attributes = [m for m in line["meta_data"] if m["key"].startswith("pa_")]
        price = "%.2f" % (float(line["subtotal"]) / line["quantity"])
        variation.update({
            "id": variation_id, "sku": line["sku"] or "", "price": price, "regular_price": price,
            "sale_price": "", "on_sale": False, "parent_id": line["product_id"],
            "name": ", ".join(m["display_value"] for m in attributes),
            "attributes": [{"id": 1 if m["key"] == "pa_color" else 2, "name": m["display_key"],
                            "slug": m["key"], "option": m["display_value"]} for m in attributes],
        })
        if parent is not None:
            query = "&".join("attribute_%s=%s" % (m["key"], m["value"]) for m in attributes)
            variation["permalink"] = "%s?%s" % (parent["permalink"], query)
            if variation_id not in parent["variations"]:
                parent["variations"].append(variation_id)
        store.variations[variation_id] = variation


def _captured_config(fixtures_dir):
    config = load_store_config()

    def body(name):
        with open(os.path.join(fixtures_dir, name), encoding="utf-8") as handle:
            return json.load(handle)["body"]

    for key, name in _CONFIG_FILES.items():
        value = body(name)
        config[key] = [_strip(item) for item in value] if isinstance(value, list) else value
    config["shipping_methods"]["1"] = [_strip(m) for m in body("shipping_zone_methods.json")]
    config["settings"] = {"general": [_strip(s) for s in body("settings_general.json")],
                          "tax": config["settings"].get("tax", []),
                          "currency": _strip(body("data_currencies_current.json"))}
    config["categories"] = [_strip(c) for c in body("products_categories.json")]
    config["attributes"] = [_strip(a) for a in body("products_attributes.json")]
    tax_settings = os.path.join(fixtures_dir, "more", "setup", "settings_tax_after_restore.json")
    if os.path.exists(tax_settings):
        with open(tax_settings, encoding="utf-8") as handle:
            config["settings"]["tax"] = [_strip(s) for s in json.load(handle)["body"]]
    return config


def _webhook_secret(fixtures_dir):
    path = os.path.join(fixtures_dir, "webhooks", "verification.json")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle).get("secret", "")
    except FileNotFoundError:
        return ""


def _set_sequences(store):
    """Continue the id, item and meta sequences after the captured ones."""
    item_ids, meta_ids = [0], [0]

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "meta_data" and isinstance(item, list):
                    meta_ids.extend(m.get("id", 0) for m in item if isinstance(m, dict))
                elif key.endswith("_lines") or key == "line_items":
                    item_ids.extend(i.get("id", 0) for i in item if isinstance(i, dict))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for table in (store.orders, store.products, store.variations, store.customers, store.coupons):
        walk(list(table.values()))
    walk(list(store.refunds.values()))
    store.id_sequence = max(store._all_ids(), default=0)
    store.item_sequence = max(item_ids)
    store.meta_sequence = max(meta_ids)
