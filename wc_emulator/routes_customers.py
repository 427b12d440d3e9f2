"""Routes for customers (WordPress users with the customer role).

The real ``/customers`` list (``WC_REST_Customers_Controller``, a WordPress
user query, not a CRUD controller) knows page, per_page, offset, search,
include, exclude, email, role, order and orderby (id, include, name,
registered_date) - and nothing else: date filters are ignored, so a customer
list cannot be asked for "changed since".
"""

from __future__ import annotations

import hashlib

from .api import ALLOW_BATCH, ALLOW_COLLECTION, ALLOW_ITEM, ApiError, Response, run_batch
from .orders import merge_meta
from .paging import ListSpec, id_filters, order_and_page, paging_headers, search_filter
from .resources import CUSTOMER_BILLING_KEYS, CUSTOMER_SHIPPING_KEYS, address

CUSTOMER_NOT_FOUND = ("woocommerce_rest_invalid_id", "Invalid resource ID.")
CUSTOMERS_SPEC = ListSpec(orderby=("id", "include", "name", "registered_date"),
                          default_orderby="name", default_order="asc", title_field="username")
DUPLICATE_EMAIL = ("registration-error-email-exists",
                   'An account is already registered with your email address. '
                   '<a href="#" class="showlogin">Please log in.</a>')


class CustomerRoutes:
    """Handlers for customers; the write functions double as test helpers."""

    def __init__(self, store):
        self.store = store
        self.data = store.data

    def register(self, router):
        router.add("/customers", ALLOW_COLLECTION, GET=("list", self.list), POST=("create", self.create))
        router.add("/customers/batch", ALLOW_BATCH, POST=("batch", self.batch))
        router.add("/customers/<id>", ALLOW_ITEM, GET=("view", self.get), POST=("edit", self.update),
                   PUT=("edit", self.update), PATCH=("edit", self.update), DELETE=("delete", self.delete))

    def find(self, customer_id):
        customer = self.data.customers.get(customer_id)
        if customer is None:
            raise ApiError(404, *CUSTOMER_NOT_FOUND)
        return customer

    def list(self, request):
        records = list(self.data.customers.values())
        role = request.query.get("role") or "customer"
        if role != "all":
            records = [r for r in records if r.get("role") == role]
        # WC_REST_Customers_Controller has no date filters: after, before, modified_after,
        # modified_before and dates_are_gmt are unknown parameters, silently ignored.
        records = id_filters(request, records)
        if request.query.get("email"):
            records = [r for r in records if r.get("email", "").lower() == request.query["email"].lower()]
        records = search_filter(request, records, ["email", "username", "first_name", "last_name"])
        page, total, pages = order_and_page(request, records, CUSTOMERS_SPEC)
        headers = paging_headers(request, total, pages, self.store.api_url + "/customers")
        return Response([self.store.present("customer", c) for c in page], headers=headers)

    def get(self, request):
        return self.store.present("customer", self.find(request.id()))

    def _check_email(self, email, own_id):
        if not email:
            return
        for customer in self.data.customers.values():
            if customer.get("email", "").lower() == str(email).lower() and customer["id"] != own_id:
                raise ApiError(400, *DUPLICATE_EMAIL)

    def create_customer(self, payload):
        """Save a new customer from a payload."""
        email = str(payload.get("email") or "").strip()
        if not email or "@" not in email:
            raise ApiError(400, "registration-error-invalid-email", "Please provide a valid email address.")
        self._check_email(email, None)
        username = payload.get("username") or email.split("@")[0]
        if any(c.get("username") == username for c in self.data.customers.values()):
            raise ApiError(400, "registration-error-username-exists",
                           "An account is already registered with that username. Please choose another.")
        customer = {
            "id": self.data.next_customer_id(), "date_created": None, "date_created_gmt": None,
            "date_modified": None, "date_modified_gmt": None, "email": email,
            "first_name": str(payload.get("first_name") or ""), "last_name": str(payload.get("last_name") or ""),
            "role": "customer", "username": username,
            "billing": address(CUSTOMER_BILLING_KEYS), "shipping": address(CUSTOMER_SHIPPING_KEYS),
            "is_paying_customer": False,
            "avatar_url": "https://secure.gravatar.com/avatar/"
                          + hashlib.md5(email.lower().encode()).hexdigest() + "?s=96&d=mm&r=g",
            "meta_data": [],
        }
        self.data.clock.stamp(customer, "date_created")
        self.data.clock.stamp(customer, "date_modified")
        self._apply(customer, payload)
        self.data.customers[customer["id"]] = customer
        self.store.events.event("customer", "created", customer["id"])
        return customer

    def _apply(self, customer, payload):
        for name in ("first_name", "last_name"):
            if name in payload:
                customer[name] = str(payload[name] or "")
        for part, keys in (("billing", CUSTOMER_BILLING_KEYS), ("shipping", CUSTOMER_SHIPPING_KEYS)):
            if isinstance(payload.get(part), dict):
                for key, value in payload[part].items():
                    if key in keys:
                        customer[part][key] = "" if value is None else str(value)
        if isinstance(payload.get("meta_data"), list):
            merge_meta(self.data, customer["meta_data"], payload["meta_data"])

    def create(self, request):
        customer = self.create_customer(request.body if isinstance(request.body, dict) else {})
        return Response(self.store.present("customer", customer), 201,
                        {"Location": f"{self.store.api_url}/customers/{customer['id']}"})

    def update_customer(self, customer, payload):
        """Apply a PUT payload (bumps date_modified, fires customer.updated)."""
        if payload.get("email"):
            self._check_email(payload["email"], customer["id"])
            customer["email"] = str(payload["email"])
        self._apply(customer, payload)
        self.data.clock.stamp(customer, "date_modified")
        self.store.events.event("customer", "updated", customer["id"])
        return customer

    def update(self, request):
        customer = self.find(request.id())
        payload = request.body if isinstance(request.body, dict) else {}
        return self.store.present("customer", self.update_customer(customer, payload))

    def delete_customer(self, customer_id, force=False):
        """Delete a customer (force only); their orders become guest orders."""
        customer = self.find(customer_id)
        if not force:
            raise ApiError(501, "woocommerce_rest_trash_not_supported", "Customers do not support trashing.")
        shown = self.store.present("customer", customer)
        del self.data.customers[customer_id]
        for order in self.data.orders.values():
            if order.get("customer_id") == customer_id:
                # New date_modified, but no order.updated (as on the real store).
                order["customer_id"] = 0
                self.data.clock.stamp(order, "date_modified")
        self.store.events.event("customer", "deleted", customer_id, payload={"id": customer_id})
        return shown

    def delete(self, request):
        return self.delete_customer(request.id(), request.flag("force"))

    def batch(self, request):
        return run_batch(
            request, lambda item: self.store.present("customer", self.create_customer(item)),
            lambda cid, item: self.store.present("customer", self.update_customer(self.find(cid), item)),
            lambda cid: self.delete_customer(cid, True), CUSTOMER_NOT_FOUND)
