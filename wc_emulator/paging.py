"""List endpoints: filters, ordering (with the store's missing tie-breaker) and pages.

`orderby=modified` on the real store has no tie-breaker: records that share
one modified second come back in an order that depends on the query's
LIMIT/OFFSET. This module reproduces that deterministically: inside a tie
group the canonical order is a hash of the id; when a page starts INSIDE a
tie group, that group is rotated by the page's offset into it. A tie group
that crosses a page boundary therefore always shows one record on both
pages and leaves another out - and the same on every run. A page large
enough to hold the whole group (e.g. per_page=100) lists each record once.
`orderby=id` and `orderby=date` are stable (ties broken by id).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from .api import ApiError, invalid_params
from .data import local_to_gmt, parse_gmt

MAX_PER_PAGE = 100


def _int_param(request, name, default, minimum, maximum=None):
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid_params([(name, "rest_invalid_type", f"{name} is not of type integer.",
                               {"param": name})]) from None
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            message = f"{name} must be greater than or equal to {minimum}"
        else:
            message = f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)"
        raise invalid_params([(name, "rest_out_of_bounds", message, None)])
    return value


def parse_date_param(request, name):
    """A date filter as an aware UTC datetime (None if absent).

    Without an offset the value is UTC when dates_are_gmt is true, else
    store-local time - as the store reads it.
    """
    raw = request.query.get(name)
    if not raw:
        return None
    text = raw.strip().replace(" ", "+")
    try:
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid_params([(name, "rest_invalid_date", "Invalid date.", None)]) from None
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc)
    plain = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if request.flag("dates_are_gmt"):
        return parse_gmt(plain)
    return local_to_gmt(plain)


def id_list(value):
    """Ids from "1,2,3" or a JSON list."""
    if value in (None, ""):
        return []
    if isinstance(value, (list, tuple)):
        parts = value
    else:
        parts = str(value).split(",")
    result = []
    for part in parts:
        try:
            result.append(int(str(part).strip()))
        except ValueError:
            continue
    return result


def _tie_hash(record_id):
    return int(hashlib.md5(str(record_id).encode()).hexdigest()[:8], 16)


def _gmt(record, name):
    return record.get(name + "_gmt") or ""


class ListSpec:
    """How one resource lists: its orderby values and defaults."""

    def __init__(self, orderby=("date", "id", "include", "title", "slug", "modified"),
                 default_orderby="date", default_order="desc", title_field="name"):
        self.orderby = orderby
        self.default_orderby = default_orderby
        self.default_order = default_order
        self.title_field = title_field


def id_filters(request, records):
    """The ``include`` and ``exclude`` filters, which every WooCommerce list knows."""
    include = id_list(request.query.get("include"))
    if include:
        wanted = set(include)
        records = [r for r in records if r["id"] in wanted]
    exclude = set(id_list(request.query.get("exclude")))
    if exclude:
        records = [r for r in records if r["id"] not in exclude]
    return records


def common_filters(request, records):
    """The filters of the CRUD lists (orders, products, coupons...): include, exclude and the dates.

    ``/customers`` is not one of them: the real store's customers controller
    has no date parameters and ignores ``after``/``before``/``modified_*``
    (see :func:`id_filters`).
    """
    records = id_filters(request, records)
    for name, field, strict_after in (("after", "date_created", True),
                                      ("before", "date_created", False),
                                      ("modified_after", "date_modified", True),
                                      ("modified_before", "date_modified", False)):
        bound = parse_date_param(request, name)
        if bound is None:
            continue
        bound_text = bound.strftime("%Y-%m-%dT%H:%M:%S")
        if strict_after:
            # Strictly after: a cursor equal to the last seen second loses the rest of it.
            records = [r for r in records if _gmt(r, field) > bound_text]
        else:
            records = [r for r in records if _gmt(r, field) < bound_text]
    return records


def order_and_page(request, records, spec):
    """(page_records, total, total_pages) after sorting and paging `records`."""
    per_page = _int_param(request, "per_page", 10, 1, MAX_PER_PAGE)
    page = _int_param(request, "page", 1, 1)
    offset_param = request.query.get("offset")
    offset = (page - 1) * per_page
    if offset_param not in (None, ""):
        offset = _int_param(request, "offset", 0, 0)
    orderby = request.query.get("orderby") or spec.default_orderby
    order = (request.query.get("order") or spec.default_order).lower()
    errors = []
    if orderby not in spec.orderby:
        errors.append(("orderby", "rest_not_in_enum",
                       f"orderby is not one of {_enum_text(spec.orderby)}.", None))
    if order not in ("asc", "desc"):
        errors.append(("order", "rest_not_in_enum", "order is not one of asc and desc.", None))
    if errors:
        raise invalid_params(errors)
    desc = order == "desc"
    total = len(records)
    total_pages = (total + per_page - 1) // per_page if total else 0
    if orderby == "modified":
        ordered = _modified_window(records, desc, offset)
    else:
        ordered = sorted(records, key=_sort_key(request, orderby, spec), reverse=desc)
    return ordered[offset:offset + per_page], total, total_pages


def _enum_text(values):
    values = list(values)
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + ", and " + values[-1] if len(values) > 2 else " and ".join(values)


def _sort_key(request, orderby, spec):
    if orderby == "id":
        return lambda r: r["id"]
    if orderby == "include":
        positions = {rid: n for n, rid in enumerate(id_list(request.query.get("include")))}
        return lambda r: (positions.get(r["id"], len(positions)), r["id"])
    if orderby in ("title", "name", "slug"):
        field = "slug" if orderby == "slug" else spec.title_field
        return lambda r: (str(r.get(field) or "").lower(), r["id"])
    if orderby == "price":
        return lambda r: (float(r.get("price") or 0), r["id"])
    # date / registered_date: the creation date, ties broken by id.
    return lambda r: (_gmt(r, "date_created"), r["id"])


def _modified_window(records, desc, offset):
    """Records ordered by date_modified the way the real store pages them."""
    groups = {}
    for record in records:
        groups.setdefault(_gmt(record, "date_modified"), []).append(record)
    ordered = []
    for stamp in sorted(groups, reverse=desc):
        group = sorted(groups[stamp], key=lambda r: (_tie_hash(r["id"]), r["id"]))
        start = len(ordered)
        inside = offset - start
        if 0 < inside < len(group):
            # The page starts inside this tie group: the database returns the
            # group in another order for this OFFSET (no tie-breaker).
            size = len(group)
            group = [group[(i - inside) % size] for i in range(size)]
        ordered.extend(group)
    return ordered


def paging_headers(request, total, total_pages, page_url):
    """X-WP-Total, X-WP-TotalPages and the Link header with prev/next pages.

    Like the real store, the Link URLs repeat the request's own parameters,
    oauth_* ones included (so following them as-is fails OAuth).
    """
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(total_pages)}
    try:
        page = max(1, int(request.query.get("page") or 1))
    except ValueError:
        page = 1
    pairs = [(k, v) for k, v in request.query_pairs if k != "page"]
    links = []
    if page > 1:
        prev_page = min(page - 1, total_pages) if total_pages else 1
        links.append(f'<{page_url}?{urlencode([("page", prev_page)] + pairs, quote_via=quote)}>; rel="prev"')
    if page < total_pages:
        links.append(f'<{page_url}?{urlencode([("page", page + 1)] + pairs, quote_via=quote)}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def status_filter(request, records, default="any", hidden=("trash", "auto-draft", "checkout-draft")):
    """Filter by `status` (a comma list); "any" hides trash and drafts."""
    raw = request.query.get("status") or default
    wanted = [s.strip() for s in str(raw).split(",") if s.strip()]
    if "any" in wanted:
        return [r for r in records if r.get("status") not in hidden]
    wanted = set(wanted)
    return [r for r in records if r.get("status") in wanted]


def search_filter(request, records, fields):
    """Case-insensitive substring search over `fields` (dotted paths allowed)."""
    term = (request.query.get("search") or "").strip().lower()
    if not term:
        return records

    def values(record):
        for path in fields:
            value = record
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                yield str(value).lower()

    return [r for r in records if any(term in v for v in values(r))]


def require(condition, name, message):
    """Raise the store's invalid-parameter error unless `condition`."""
    if not condition:
        raise ApiError(400, "rest_invalid_param", f"Invalid parameter(s): {name}",
                       params={name: message},
                       details={name: {"code": "rest_invalid_param", "message": message, "data": None}})
