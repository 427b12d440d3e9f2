"""The pieces every route shares: request, response, errors and routing.

The store's error bodies are `{"code", "message", "data": {"status", ...}}`;
`ApiError` carries one. Handlers take a `Request` and return a `Response`
(or a plain body, which becomes a 200).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WP_EXPIRES = "Wed, 11 Jan 1984 05:00:00 GMT"
WP_CACHE_CONTROL = "no-cache, must-revalidate, max-age=0, no-store, private"
ALLOW_COLLECTION = "GET, POST"
ALLOW_ITEM = "GET, POST, PUT, PATCH, DELETE"
ALLOW_BATCH = "POST, PUT, PATCH"
ALLOW_READ = "GET"
ALLOW_SUBITEM = "GET, DELETE"
ALLOW_EDIT = "GET, POST, PUT, PATCH"

# What an anonymous caller is told, by kind of route (the store answers 401).
PERMISSION_ERRORS = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
    "batch": ("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource."),
}


def error_body(code, message, status, **data):
    """A WordPress REST error body."""
    return {"code": code, "message": message, "data": dict({"status": status}, **data)}


class ApiError(Exception):
    """An error answer of the store (status, code, message, extra data)."""

    def __init__(self, status, code, message, **data):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.data = data

    @property
    def body(self):
        return error_body(self.code, self.message, self.status, **self.data)

    def as_item(self, item_id=0, status=None):
        """The `error` object of a failed batch item."""
        return {"id": item_id, "error": error_body(self.code, self.message,
                                                  status or self.status, **self.data)}


def invalid_params(errors):
    """The 400 `rest_invalid_param` error; errors: [(param, code, message, data)]."""
    names = ", ".join(name for name, *_ in errors)
    return ApiError(
        400, "rest_invalid_param", f"Invalid parameter(s): {names}",
        params={name: message for name, _, message, _ in errors},
        details={name: {"code": code, "message": message, "data": data}
                 for name, code, message, data in errors},
    )


def not_found(code, message):
    return ApiError(404, code, message)


NO_ROUTE = ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")


@dataclass
class Request:
    """One API call as the handlers see it."""

    method: str
    path: str  # route path below /wp-json/wc/v3, e.g. "/orders/12"
    query: dict  # decoded query parameters (last value wins)
    query_pairs: list  # the raw (key, value) pairs, for Link headers
    body: object = None  # parsed JSON, or the form dict
    match: dict = field(default_factory=dict)
    key: object = None  # the ApiKey

    def param(self, name, default=None):
        """A parameter from the body first, then the query (WordPress' order)."""
        if isinstance(self.body, dict) and name in self.body:
            return self.body[name]
        return self.query.get(name, default)

    def flag(self, name):
        """A boolean parameter ("true", "1", true...)."""
        value = self.param(name, False)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    def id(self, name="id"):
        return int(self.match[name])


@dataclass
class Response:
    """What a handler answers."""

    body: object
    status: int = 200
    headers: dict = field(default_factory=dict)


@dataclass
class Route:
    pattern: re.Pattern
    allow: str
    handlers: dict  # method -> (kind, function)


class Router:
    """Routes `/wc/v3` paths to handlers, like the WordPress REST server."""

    def __init__(self):
        self.routes = []

    def add(self, pattern, allow, **handlers):
        """Register `pattern`; handlers by method: GET=("list", fn) ..."""
        def group(found):  # <name>: digits, {name}: a slug
            kind = r"\d+" if found.group(0)[0] == "<" else r"[\w-]+"
            return f"(?P<{found.group(1)}>{kind})"

        regex = re.compile("^" + re.sub(r"[<{](\w+)[>}]", group, pattern) + "$")
        self.routes.append(Route(regex, allow, handlers))

    def resolve(self, method, path):
        """(route, kind, handler, match) or raise NO_ROUTE."""
        for route in self.routes:
            found = route.pattern.match(path)
            if not found:
                continue
            wanted = "POST" if method in ("PUT", "PATCH") and "PUT" not in route.handlers else method
            if wanted in route.handlers:
                kind, handler = route.handlers[wanted]
                return route, kind, handler, found.groupdict()
        raise NO_ROUTE


MAX_BATCH = 100


def run_batch(request, create=None, update=None, delete=None, invalid_id=None):
    """POST <resource>/batch: at most 100 items, always 200, per-item errors.

    `create(item)`, `update(id, item)` and `delete(id)` return the item's
    body or raise ApiError; `invalid_id` is the (code, message) of an unknown
    id, which a batch reports with status 400.
    """
    body = request.body if isinstance(request.body, dict) else {}
    groups = {name: body.get(name) or [] for name in ("create", "update", "delete")}
    if sum(len(items) for items in groups.values()) > MAX_BATCH:
        raise ApiError(413, "woocommerce_rest_request_entity_too_large",
                       f"Unable to accept more than {MAX_BATCH} items for this request.")
    result = {}
    if "create" in body and create is not None:
        result["create"] = []
        for item in groups["create"]:
            try:
                result["create"].append(create(item if isinstance(item, dict) else {}))
            except ApiError as error:
                result["create"].append(error.as_item(0))
    for name, action in (("update", update), ("delete", delete)):
        if name not in body or action is None:
            continue
        result[name] = []
        for item in groups[name]:
            raw_id = item.get("id") if isinstance(item, dict) else item
            try:
                item_id = int(raw_id or 0)
            except (TypeError, ValueError):
                item_id = 0
            try:
                if not item_id:
                    raise ApiError(400, *invalid_id)
                result[name].append(update(item_id, item) if name == "update" else action(item_id))
            except ApiError as error:
                # An unknown id is a 400 item; other 404s (a variation in products/batch) keep theirs.
                unknown = error.status == 404 and (not invalid_id or error.code == invalid_id[0])
                status = 400 if unknown else error.status
                result[name].append(error.as_item(item_id, status))
    return result
