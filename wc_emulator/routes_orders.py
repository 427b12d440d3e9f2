"""Routes under /orders: orders, their notes and refunds, and the batch."""

from __future__ import annotations

import copy

from .api import ALLOW_BATCH, ALLOW_COLLECTION, ALLOW_ITEM, ALLOW_SUBITEM, ApiError, Response, run_batch
from .orders import (
    STATUS_LABELS,
    STOCK_REDUCING,
    apply_order_payload,
    build_refund,
    dec,
    new_order,
    recalculate,
    refund_total,
    set_status,
    strip_private,
    system_note,
    validate_order_payload,
)
from .paging import ListSpec, common_filters, id_list, order_and_page, paging_headers, search_filter, status_filter
from .resources import money

ORDER_NOT_FOUND = ("woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
ORDERS_SPEC = ListSpec()


class OrderRoutes:
    """Handlers for orders; the write functions are also the store's test helpers."""

    def __init__(self, store):
        self.store = store
        self.data = store.data

    def register(self, router):
        router.add("/orders", ALLOW_COLLECTION, GET=("list", self.list), POST=("create", self.create))
        router.add("/orders/batch", ALLOW_BATCH, POST=("batch", self.batch))
        router.add("/orders/<id>", ALLOW_ITEM, GET=("view", self.get), POST=("edit", self.update),
                   PUT=("edit", self.update), PATCH=("edit", self.update), DELETE=("delete", self.delete))
        router.add("/orders/<order_id>/notes", ALLOW_COLLECTION, GET=("list", self.list_notes),
                   POST=("create", self.create_note))
        router.add("/orders/<order_id>/notes/<id>", ALLOW_SUBITEM, GET=("view", self.get_note),
                   DELETE=("delete", self.delete_note))
        router.add("/orders/<order_id>/refunds", ALLOW_COLLECTION, GET=("list", self.list_refunds),
                   POST=("create", self.create_refund))
        router.add("/orders/<order_id>/refunds/<id>", ALLOW_SUBITEM, GET=("view", self.get_refund),
                   DELETE=("delete", self.delete_refund))

    # -- orders --------------------------------------------------------
    def find(self, order_id):
        order = self.data.orders.get(order_id)
        if order is None:
            raise ApiError(404, *ORDER_NOT_FOUND)
        return order

    def show(self, order):
        return self.store.present("order", order)

    def list(self, request):
        records = list(self.data.orders.values())
        records = status_filter(request, records)
        records = common_filters(request, records)
        if request.query.get("customer") not in (None, ""):
            customer = int(request.query["customer"])
            records = [r for r in records if r.get("customer_id") == customer]
        if request.query.get("product"):
            product = int(request.query["product"])
            records = [r for r in records if any(l["product_id"] == product for l in r["line_items"])]
        parents = id_list(request.query.get("parent"))
        if parents:
            records = [r for r in records if r.get("parent_id") in parents]
        records = search_filter(request, records, [
            "billing.first_name", "billing.last_name", "billing.company", "billing.email",
            "billing.phone", "shipping.first_name", "shipping.last_name", "number", "customer_note"])
        page, total, pages = order_and_page(request, records, ORDERS_SPEC)
        headers = paging_headers(request, total, pages, self.store.api_url + "/orders")
        return Response([self.show(o) for o in page], headers=headers)

    def get(self, request):
        return self.show(self.find(request.id()))

    def create(self, request):
        payload = request.body if isinstance(request.body, dict) else {}
        validate_order_payload(payload)
        order, coupon_error = self.create_order(payload)
        if coupon_error is not None:
            raise coupon_error
        return Response(self.show(order), 201,
                        {"Location": f"{self.store.api_url}/orders/{order['id']}"})

    def create_order(self, payload, batch=False):
        """Save a new order from a payload; (order, coupon error or None)."""
        status = payload.get("status")
        if batch and status not in (None, "pending", "processing", "on-hold", "completed",
                                    "cancelled", "refunded", "failed"):
            status = None  # batch creates skip validation: a bogus status stays pending
        order = new_order(self.data, self.data.next_id())
        order["version"] = self.store.version.woocommerce
        _, coupon_error = apply_order_payload(self.data, order, payload, creating=True)
        recalculate(self.data, order)
        set_status(self.data, order, status, bool(payload.get("set_paid")))
        self._reduce_stock(order)
        strip_private(order)
        self.data.orders[order["id"]] = order
        self.store.events.event("order", "created", order["id"])
        self.store.events.event("order", "updated", order["id"])
        return order, coupon_error

    def update(self, request):
        payload = request.body if isinstance(request.body, dict) else {}
        validate_order_payload(payload)
        order = self.find(request.id())
        coupon_error = self.update_order(order, payload)
        if coupon_error is not None:
            raise coupon_error
        return self.show(order)

    def update_order(self, order, payload):
        """Apply a PUT payload (partial addresses update only the keys sent)."""
        touched, coupon_error = apply_order_payload(self.data, order, payload)
        if touched:
            recalculate(self.data, order)
        previous = order["status"]
        set_status(self.data, order, payload.get("status"), bool(payload.get("set_paid")))
        if previous not in STOCK_REDUCING:
            self._reduce_stock(order)
        if order["status"] != previous:
            self._status_changed(order, previous)
        strip_private(order)
        self.data.clock.stamp(order, "date_modified")
        self.store.events.event("order", "updated", order["id"])
        return coupon_error

    def _status_changed(self, order, previous):
        """What the store does on a status change (reverse/2_orders): cancelled restores the stock,
        refunded by status alone refunds the whole remaining amount; a note says so."""
        if order["status"] == "cancelled":
            self._restore_stock(order)
        if order["status"] == "refunded":
            left = dec(order["total"]) - refund_total(self.data, order["id"])
            if left > 0:
                refund = build_refund(self.data, order, {"amount": str(left), "reason": "Order fully refunded."},
                                      self.data.next_id())
                self.data.refunds.setdefault(order["id"], []).insert(0, refund)
                order["refunds"].insert(0, {"id": refund["id"], "reason": refund["reason"],
                                            "total": money(-dec(refund["amount"]))})
        system_note(self.data, order["id"], "Order status changed from %s to %s." % (
            STATUS_LABELS.get(previous, previous), STATUS_LABELS.get(order["status"], order["status"])))

    def _restore_stock(self, order):
        """Give back the stock an order reduced (fires product.updated)."""
        restored = []
        for line in order["line_items"]:
            reduced = [m for m in line["meta_data"] if m.get("key") == "_reduced_stock"]
            target = self.data.variations.get(line["variation_id"]) or self.data.products.get(line["product_id"])
            if not reduced or not target or not target.get("manage_stock"):
                continue
            before = int(target.get("stock_quantity") or 0)
            target["stock_quantity"] = before + int(reduced[0].get("value") or 0)
            if target["stock_quantity"] > 0:
                target["stock_status"] = "instock"
            line["meta_data"] = [m for m in line["meta_data"] if m.get("key") != "_reduced_stock"]
            self.data.clock.stamp(target, "date_modified")
            self.store.events.event("product", "updated", target["id"])
            restored.append(f"{line['name']} ({line.get('sku') or target['id']}) {before}&rarr;{target['stock_quantity']}")
        if restored:
            system_note(self.data, order["id"], "Stock levels increased: " + ", ".join(restored))

    def delete(self, request):
        order = self.find(request.id())
        return self.delete_order(order["id"], request.flag("force"))

    def delete_order(self, order_id, force=False):
        """Trash (default) or remove an order; the body the store answers."""
        order = self.find(order_id)
        shown = self.show(order)
        if force:
            # A force-deleted order fires no webhook at all.
            del self.data.orders[order_id]
            self.data.notes.pop(order_id, None)
            self.data.refunds.pop(order_id, None)
            return shown
        if order["status"] == "trash":
            raise ApiError(410, "woocommerce_rest_already_trashed", "The shop_order has already been deleted.")
        order["status"] = "trash"
        self.data.clock.stamp(order, "date_modified")
        self.store.events.event("order", "deleted", order_id, payload={"id": order_id})
        return shown

    def batch(self, request):
        def create(item):
            order, coupon_error = self.create_order(item, batch=True)
            if coupon_error is not None:
                raise coupon_error
            return self.show(order)

        def update(order_id, item):
            order = self.find(order_id)
            coupon_error = self.update_order(order, item)
            if coupon_error is not None:
                raise coupon_error
            return self.show(order)

        return run_batch(request, create, update, lambda oid: self.delete_order(oid, force=True),
                         ORDER_NOT_FOUND)

    def _reduce_stock(self, order):
        """Reduce managed stock once an order is paid or on hold (fires product.updated)."""
        if order["status"] not in STOCK_REDUCING:
            return
        for line in order["line_items"]:
            if any(m.get("key") == "_reduced_stock" for m in line["meta_data"]):
                continue
            target = self.data.variations.get(line["variation_id"]) or self.data.products.get(line["product_id"])
            if not target or not target.get("manage_stock"):
                continue
            target["stock_quantity"] = int(target.get("stock_quantity") or 0) - line["quantity"]
            if target["stock_quantity"] <= 0 and target.get("backorders", "no") == "no":
                target["stock_status"] = "outofstock"
            self.data.clock.stamp(target, "date_modified")
            value = str(line["quantity"])
            line["meta_data"].append({"id": self.data.next_meta_id(), "key": "_reduced_stock",
                                      "value": value, "display_key": "_reduced_stock",
                                      "display_value": value})
            self.store.events.event("product", "updated", target["id"])

    # -- notes ---------------------------------------------------------
    def _order_for_sub(self, request):
        order = self.data.orders.get(request.id("order_id"))
        if order is None:
            raise ApiError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
        return order

    def list_notes(self, request):
        order = self._order_for_sub(request)
        kind = request.query.get("type") or "any"
        notes = self.data.notes.get(order["id"], [])
        if kind == "customer":
            notes = [n for n in notes if n.get("customer_note")]
        elif kind == "internal":
            notes = [n for n in notes if not n.get("customer_note")]
        # Newest first; notes of one second keep their id order (as captured).
        notes = sorted(sorted(notes, key=lambda n: n["id"]),
                       key=lambda n: n.get("date_created_gmt") or "", reverse=True)
        return [self.store.present("note", n, parent_id=order["id"]) for n in notes]

    def create_note(self, request):
        order = self._order_for_sub(request)
        payload = request.body if isinstance(request.body, dict) else {}
        if not payload.get("note"):
            raise ApiError(400, "woocommerce_rest_invalid_order_note", "Cannot create order note, please try again.")
        note = {"id": self.data.next_id(), "author": "admin" if payload.get("added_by_user") else "WooCommerce",
                "date_created": None, "date_created_gmt": None, "note": str(payload["note"]),
                "customer_note": bool(payload.get("customer_note"))}
        self.data.clock.stamp(note, "date_created")
        # Notes change no date_modified and fire no webhook.
        self.data.notes.setdefault(order["id"], []).insert(0, note)
        return Response(self.store.present("note", note, parent_id=order["id"]), 201,
                        {"Location": f"{self.store.api_url}/orders/{order['id']}/notes/{note['id']}"})

    def _note(self, request):
        order = self._order_for_sub(request)
        for note in self.data.notes.get(order["id"], []):
            if note["id"] == request.id():
                return order, note
        raise ApiError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")

    def get_note(self, request):
        order, note = self._note(request)
        return self.store.present("note", note, parent_id=order["id"])

    def delete_note(self, request):
        order, note = self._note(request)
        if not request.flag("force"):
            raise ApiError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
        self.data.notes[order["id"]].remove(note)
        return self.store.present("note", note, parent_id=order["id"])

    # -- refunds -------------------------------------------------------
    def list_refunds(self, request):
        order = self._order_for_sub(request)
        refunds = sorted(self.data.refunds.get(order["id"], []),
                         key=lambda r: (r.get("date_created_gmt") or "", r["id"]), reverse=True)
        page, total, pages = order_and_page(request, refunds, ORDERS_SPEC)
        headers = paging_headers(request, total, pages, f"{self.store.api_url}/orders/{order['id']}/refunds")
        return Response([self.store.present("refund", r, parent_id=order["id"]) for r in page], headers=headers)

    def create_refund(self, request):
        order = self._order_for_sub(request)
        payload = request.body if isinstance(request.body, dict) else {}
        refund = self.refund_order(order["id"], payload)
        return Response(self.store.present("refund", refund, parent_id=order["id"]), 201,
                        {"Location": f"{self.store.api_url}/orders/{order['id']}/refunds/{refund['id']}"})

    def refund_order(self, order_id, payload):
        """Create a refund; the order gets {id, reason, total "-x.xx"} in refunds[]."""
        order = self.find(order_id)
        refund = build_refund(self.data, order, payload, self.data.next_id())
        self.data.refunds.setdefault(order_id, []).insert(0, refund)
        order["refunds"].insert(0, {"id": refund["id"], "reason": refund["reason"],
                                    "total": money(-dec(refund["amount"]))})
        refunded = sum(dec(r["amount"]) for r in self.data.refunds[order_id])
        if refunded >= dec(order["total"]) and order["status"] != "refunded":
            order["status"] = "refunded"
        self.data.clock.stamp(order, "date_modified")
        self.store.events.event("order", "updated", order_id)
        return refund

    def _refund(self, request):
        order = self._order_for_sub(request)
        for refund in self.data.refunds.get(order["id"], []):
            if refund["id"] == request.id():
                return order, refund
        raise ApiError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")

    def get_refund(self, request):
        order, refund = self._refund(request)
        return self.store.present("refund", refund, parent_id=order["id"])

    def delete_refund(self, request):
        order, refund = self._refund(request)
        if not request.flag("force"):
            raise ApiError(501, "woocommerce_rest_trash_not_supported", "Refunds do not support trashing.")
        self.data.refunds[order["id"]].remove(refund)
        order["refunds"] = [r for r in order["refunds"] if r["id"] != refund["id"]]
        return self.store.present("refund", copy.deepcopy(refund), parent_id=order["id"])
