"""Routes about the store itself: webhooks, taxes, payment, shipping, settings, status."""

from __future__ import annotations

import secrets

from .api import ALLOW_BATCH, ALLOW_COLLECTION, ALLOW_EDIT, ALLOW_ITEM, ALLOW_READ, ApiError, Response, run_batch
from .paging import ListSpec, order_and_page, paging_headers, search_filter
from .resources import rewrite_links
from .versions import show_system_status
from .webhooks import TOPIC_HOOKS

WEBHOOK_NOT_FOUND = ("woocommerce_rest_webhook_invalid_id", "Invalid ID.")
GENERIC_NOT_FOUND = ("woocommerce_rest_invalid_id", "Invalid resource ID.")
WEBHOOKS_SPEC = ListSpec(orderby=("date", "id", "title"))
TAXES_SPEC = ListSpec(orderby=("id", "order", "priority"), default_orderby="order", default_order="asc")


def default_tax_settings():
    """The main tax settings of the captured store, for data that brings none."""
    display = {"incl": "Including tax", "excl": "Excluding tax"}
    return [
        {"id": "woocommerce_prices_include_tax", "label": "Prices entered with tax", "description": "",
         "type": "radio", "default": "no",
         "options": {"yes": "Yes, I will enter prices inclusive of tax",
                     "no": "No, I will enter prices exclusive of tax"}, "tip": "", "value": "no"},
        {"id": "woocommerce_tax_based_on", "label": "Calculate tax based on", "description": "",
         "type": "select", "default": "shipping",
         "options": {"shipping": "Customer shipping address", "billing": "Customer billing address",
                     "base": "Shop base address"}, "tip": "", "value": "shipping"},
        {"id": "woocommerce_tax_round_at_subtotal", "label": "Rounding",
         "description": "Round tax at subtotal level, instead of rounding per line", "type": "checkbox",
         "default": "no", "tip": "", "value": "no"},
        {"id": "woocommerce_tax_display_shop", "label": "Display prices in the shop", "description": "",
         "type": "select", "default": "excl", "options": display, "tip": "", "value": "excl"},
        {"id": "woocommerce_tax_display_cart", "label": "Display prices during cart and checkout",
         "description": "", "type": "select", "default": "excl", "options": display, "tip": "",
         "value": "excl"},
    ]


class StoreRoutes:
    """Handlers for webhooks and the store's configuration."""

    def __init__(self, store):
        self.store = store
        self.data = store.data

    def register(self, router):
        router.add("/webhooks", ALLOW_COLLECTION, GET=("list", self.list_webhooks),
                   POST=("create", self.create_webhook))
        router.add("/webhooks/batch", ALLOW_BATCH, POST=("batch", self.batch_webhooks))
        router.add("/webhooks/<id>", ALLOW_ITEM, GET=("view", self.get_webhook),
                   POST=("edit", self.update_webhook), PUT=("edit", self.update_webhook),
                   PATCH=("edit", self.update_webhook), DELETE=("delete", self.delete_webhook))
        router.add("/taxes", ALLOW_COLLECTION, GET=("list", self.list_taxes))
        router.add("/taxes/classes", ALLOW_COLLECTION, GET=("list", self.static("tax_classes")))
        router.add("/taxes/<id>", ALLOW_ITEM, GET=("view", self.get_tax))
        router.add("/payment_gateways", ALLOW_READ, GET=("list", self.static("payment_gateways")))
        router.add("/shipping/zones", ALLOW_COLLECTION, GET=("list", self.list_zones))
        router.add("/shipping/zones/<id>", ALLOW_ITEM, GET=("view", self.get_zone))
        router.add("/shipping/zones/<id>/methods", ALLOW_COLLECTION, GET=("list", self.zone_methods))
        router.add("/shipping_methods", ALLOW_READ, GET=("list", self.static("shipping_method_types")))
        router.add("/settings/{group}", ALLOW_READ, GET=("list", self.settings_group))
        router.add("/settings/{group}/{setting_id}", ALLOW_EDIT, GET=("view", self.get_setting),
                   POST=("edit", self.update_setting), PUT=("edit", self.update_setting),
                   PATCH=("edit", self.update_setting))
        router.add("/data/currencies/current", ALLOW_READ, GET=("view", self.currency))
        router.add("/system_status", ALLOW_READ, GET=("view", self.system_status))

    def static(self, name):
        def handler(request):
            return [self._with_links(name, record) for record in getattr(self.data, name)]
        return handler

    def _with_links(self, kind, record, parent=None):
        """A configuration record with its `_links` (built when the data has none)."""
        record = rewrite_links(record, self.store.url)
        if record.get("_links"):
            return record
        api = self.store.api_url

        def href(path):
            return [{"href": f"{api}/{path}"}]

        key = record.get("id")
        if kind == "payment_gateways":
            links = {"self": href(f"payment_gateways/{key}"), "collection": href("payment_gateways")}
        elif kind == "shipping_method_types":
            links = {"self": href(f"shipping_methods/{key}"), "collection": href("shipping_methods")}
        elif kind == "tax_classes":
            links = {"collection": href("taxes/classes")}
        elif kind in ("general", "tax"):
            links = {"self": href(f"settings/{kind}/{key}"), "collection": href(f"settings/{kind}")}
        elif kind == "zone":
            links = {"self": href(f"shipping/zones/{key}"), "collection": href("shipping/zones"),
                     "describedby": href(f"shipping/zones/{key}/locations")}
        else:  # a zone's method
            links = {"self": href(f"shipping/zones/{parent}/methods/{record.get('instance_id')}"),
                     "collection": href(f"shipping/zones/{parent}/methods"),
                     "describes": href(f"shipping/zones/{parent}")}
        record["_links"] = links
        return record

    # -- webhooks ------------------------------------------------------
    def find_webhook(self, webhook_id):
        webhook = self.data.webhooks.get(webhook_id)
        if webhook is None:
            raise ApiError(404, *WEBHOOK_NOT_FOUND)
        return webhook

    def list_webhooks(self, request):
        records = list(self.data.webhooks.values())
        status = request.query.get("status") or "all"
        if status != "all":
            records = [r for r in records if r.get("status") == status]
        records = search_filter(request, records, ["name"])
        page, total, pages = order_and_page(request, records, WEBHOOKS_SPEC)
        headers = paging_headers(request, total, pages, self.store.api_url + "/webhooks")
        return Response([self.store.present("webhook", w) for w in page], headers=headers)

    def get_webhook(self, request):
        return self.store.present("webhook", self.find_webhook(request.id()))

    def create_webhook_record(self, payload):
        """Save a webhook and, if active, send its ping."""
        topic = payload.get("topic")
        if topic not in TOPIC_HOOKS:
            raise ApiError(400, "woocommerce_rest_webhook_invalid_topic",
                           "Webhook topic is required and must be valid.")
        if not payload.get("delivery_url"):
            raise ApiError(400, "rest_missing_callback_param", "Missing parameter(s): delivery_url",
                           params=["delivery_url"])
        resource, _, event = topic.partition(".")
        webhook = {
            "id": self.data.next_id(), "name": payload.get("name") or f"Webhook created on {self.data.clock.now():%b %d, %Y @ %I:%M %p}",
            "status": payload.get("status") or "active", "topic": topic, "resource": resource,
            "event": event, "hooks": TOPIC_HOOKS[topic], "delivery_url": payload["delivery_url"],
            "date_created": None, "date_created_gmt": None, "date_modified": None, "date_modified_gmt": None,
            "secret": payload.get("secret") or secrets.token_urlsafe(32),
        }
        self.data.clock.stamp(webhook, "date_created")  # date_modified stays null until a change
        self.data.webhooks[webhook["id"]] = webhook
        if webhook["status"] == "active":
            self.store.events.ping(webhook)
        return webhook

    def create_webhook(self, request):
        webhook = self.create_webhook_record(request.body if isinstance(request.body, dict) else {})
        return Response(self.store.present("webhook", webhook), 201,
                        {"Location": f"{self.store.api_url}/webhooks/{webhook['id']}"})

    def update_webhook_record(self, webhook, payload):
        for name in ("name", "status", "delivery_url", "secret"):
            if payload.get(name):
                webhook[name] = payload[name]
        if payload.get("topic") in TOPIC_HOOKS:
            webhook["topic"] = payload["topic"]
            webhook["resource"], _, webhook["event"] = payload["topic"].partition(".")
            webhook["hooks"] = TOPIC_HOOKS[payload["topic"]]
        if webhook["status"] == "active":
            self.store.events.failures[webhook["id"]] = 0
        self.data.clock.stamp(webhook, "date_modified")
        return webhook

    def update_webhook(self, request):
        webhook = self.find_webhook(request.id())
        return self.store.present("webhook", self.update_webhook_record(webhook, request.body or {}))

    def delete_webhook_record(self, webhook_id, force):
        webhook = self.find_webhook(webhook_id)
        if not force:
            raise ApiError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
        shown = self.store.present("webhook", webhook)
        del self.data.webhooks[webhook_id]
        return shown

    def delete_webhook(self, request):
        return self.delete_webhook_record(request.id(), request.flag("force"))

    def batch_webhooks(self, request):
        return run_batch(
            request, lambda item: self.store.present("webhook", self.create_webhook_record(item)),
            lambda wid, item: self.store.present("webhook", self.update_webhook_record(self.find_webhook(wid), item)),
            lambda wid: self.delete_webhook_record(wid, True), WEBHOOK_NOT_FOUND)

    # -- configuration -------------------------------------------------
    def list_taxes(self, request):
        records = list(self.data.taxes.values())
        if request.query.get("class"):
            records = [r for r in records if r.get("class") == request.query["class"]]
        page, total, pages = order_and_page(request, records, TAXES_SPEC)
        headers = paging_headers(request, total, pages, self.store.api_url + "/taxes")
        return Response([self.store.present("tax", t) for t in page], headers=headers)

    def get_tax(self, request):
        tax = self.data.taxes.get(request.id())
        if tax is None:
            raise ApiError(404, *GENERIC_NOT_FOUND)
        return self.store.present("tax", tax)

    def list_zones(self, request):
        return [self._with_links("zone", z) for z in self.data.shipping_zones.values()]

    def get_zone(self, request):
        zone = self.data.shipping_zones.get(request.id())
        if zone is None:
            raise ApiError(404, "woocommerce_rest_shipping_zone_invalid", "Resource does not exist.")
        return self._with_links("zone", zone)

    def zone_methods(self, request):
        self.get_zone(request)
        return [self._with_links("method", m, request.id())
                for m in self.data.shipping_methods.get(request.id(), [])]

    def _settings(self, request):
        group = request.match["group"]
        settings = self.data.settings.get(group)
        if not isinstance(settings, list):
            if group != "tax":
                raise ApiError(404, "rest_setting_setting_group_invalid", "Invalid setting group.")
            settings = self.data.settings.setdefault("tax", default_tax_settings())
        return group, settings

    def settings_group(self, request):
        group, settings = self._settings(request)
        return [self._with_links(group, s) for s in settings]

    def _setting(self, request):
        group, settings = self._settings(request)
        for setting in settings:
            if setting.get("id") == request.match["setting_id"]:
                return group, setting
        raise ApiError(404, "rest_setting_setting_invalid", "Invalid setting.")

    def get_setting(self, request):
        group, setting = self._setting(request)
        return self._with_links(group, setting)

    def update_setting(self, request):
        group, setting = self._setting(request)
        value = request.param("value")
        options = setting.get("options")
        if isinstance(options, dict) and value not in options:
            raise ApiError(400, "rest_setting_value_invalid", "An invalid setting value was passed.")
        setting["value"] = value
        return dict(self._with_links(group, setting), group_id=group)

    def currency(self, request):
        currency = self.data.settings.get("currency") or {"code": "EUR", "name": "Euro", "symbol": "&euro;"}
        code = currency.get("code", "EUR")
        shown = {k: v for k, v in currency.items() if k != "_links"}
        shown["_links"] = {"self": [{"href": f"{self.store.api_url}/data/currencies/{code}"}],
                           "collection": [{"href": f"{self.store.api_url}/data/currencies"}]}
        return shown

    def system_status(self, request):
        status = rewrite_links(self.data.system_status or {}, self.store.url)
        environment = dict(status.get("environment") or {})
        environment.update({"home_url": self.store.url, "site_url": self.store.url})
        status["environment"] = environment
        return show_system_status(self.store.version, status)
