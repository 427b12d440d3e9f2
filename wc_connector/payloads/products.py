"""Products and variations: ``/products``, ``/products/<id>/variations`` and ``product.*`` webhook bodies.

Prices are ``Decimal`` or ``None`` when the store leaves them empty: a
variable product's ``regular_price`` is always empty (its ``price`` is its
cheapest variation's), and ``sale_price`` is empty when not on sale. Stock is
a whole number, ``None`` when the product does not manage stock.

A ``product.updated`` webhook for a variation carries the products
controller's shape (``type`` ``"variation"``, ``parent_id`` set, attributes
with one ``option``): :func:`parse_variation` reads both shapes, and
:func:`parse_product` reads it as a product of type ``variation``.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..texts import _lt
from .fields import Fields
from .meta import split_meta


@dataclass(frozen=True, kw_only=True)
class ProductAttribute:
    """An attribute of a product, e.g. ``Color`` with options ``("Black", "Blue")``."""

    id: int = 0
    name: str
    #: ``pa_color`` for a global attribute, ``""`` for a product's own.
    slug: str = ""
    options: tuple = ()
    #: Used to make variations.
    variation: bool = False
    visible: bool = False


@dataclass(frozen=True, kw_only=True)
class Product:
    """A store product (simple, variable, grouped, external, or a variation seen through ``/products``)."""

    id: int
    parent_id: int = 0
    #: ``simple``, ``variable``, ``grouped``, ``external`` or ``variation``.
    type: str = ""
    status: str = ""
    name: str = ""
    sku: str = ""
    price: Decimal | None = None
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    on_sale: bool = False
    tax_status: str = ""
    tax_class: str = ""
    manage_stock: bool = False
    stock_quantity: int | None = None
    stock_status: str = ""
    backorders: str = ""
    #: A variable product's variation ids.
    variations: tuple = ()
    attributes: tuple = ()
    #: ``((id, name), ...)``: the store categories the product is in.
    categories: tuple = ()
    description: str = ""
    date_created: datetime | None = None
    date_modified: datetime | None = None
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)

    @property
    def is_variable(self):
        """True for a product whose buyable items are its variations."""
        return self.type == "variable"


@dataclass(frozen=True, kw_only=True)
class Variation:
    """One variation of a variable product, e.g. the T-shirt in White, M."""

    id: int
    parent_id: int
    name: str = ""
    status: str = ""
    sku: str = ""
    price: Decimal | None = None
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    on_sale: bool = False
    tax_status: str = ""
    #: ``"parent"`` when it takes its parent's tax class.
    tax_class: str = ""
    manage_stock: bool = False
    #: True when the store sends ``manage_stock: "parent"``: the stock is the parent's.
    stock_at_parent: bool = False
    stock_quantity: int | None = None
    stock_status: str = ""
    backorders: str = ""
    #: ``{"Color": "White", "Size": "M"}``; an empty option means "any".
    attributes: dict = field(default_factory=dict)
    date_created: datetime | None = None
    date_modified: datetime | None = None
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)


def _attribute(fields):
    # The products controller lists ``options``; a variation seen through it has one ``option``.
    if fields.has("option") and not fields.has("options"):
        options = (fields.text("option"),)
    else:
        options = _options(fields)
    return ProductAttribute(
        id=fields.integer("id", minimum=0),
        name=fields.text("name", required=True),
        slug=fields.text("slug"),
        options=options,
        variation=fields.flag("variation"),
        visible=fields.flag("visible"),
    )


def _options(fields):
    values = fields.raw("options") or []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        fields.fail("options", _lt("expected a list of texts, got %(value)s"), value=repr(values))
    return tuple(values)


def _prices(fields):
    return {
        "price": fields.money("price", default=None),
        "regular_price": fields.money("regular_price", default=None),
        "sale_price": fields.money("sale_price", default=None),
        "on_sale": fields.flag("on_sale"),
    }


def _stock(fields, stock_at_parent=False):
    """``manage_stock``, ``stock_quantity`` (``None`` when not managed), ``stock_status``, ``backorders``."""
    return {
        # A variation whose stock is its parent's manages stock, just not its own.
        "manage_stock": True if stock_at_parent else fields.flag("manage_stock"),
        "stock_quantity": fields.integer("stock_quantity", default=None),
        "stock_status": fields.text("stock_status"),
        "backorders": fields.text("backorders"),
    }


def parse_product(data):
    """Parse one product object from the store into a :class:`Product`.

    Only ``id`` is required. Raises :class:`~..errors.PayloadError` naming
    the product id and the field when a value is of the wrong kind.
    """
    fields = Fields.of_record(data, "product")
    meta, internal = split_meta(fields)
    return Product(
        id=fields.record_id,
        parent_id=fields.integer("parent_id", minimum=0),
        type=fields.text("type"),
        status=fields.text("status"),
        name=fields.text("name"),
        sku=fields.text("sku").strip(),
        **_prices(fields),
        tax_status=fields.text("tax_status"),
        tax_class=fields.text("tax_class"),
        **_stock(fields),
        variations=fields.integers("variations"),
        attributes=tuple(_attribute(attribute) for attribute in fields.items("attributes")),
        categories=tuple(
            (category.integer("id", minimum=0), category.text("name")) for category in fields.items("categories")
        ),
        description=fields.text("description"),
        date_created=fields.date("date_created_gmt"),
        date_modified=fields.date("date_modified_gmt"),
        meta=meta,
        internal_meta=internal,
    )


def parse_variation(data, parent_id=None):
    """Parse one variation object into a :class:`Variation`.

    ``parent_id`` is the variable product's id when the caller knows it from
    the URL; the body's own ``parent_id`` is used otherwise. Raises
    :class:`~..errors.PayloadError` when neither gives a parent, or a value
    is of the wrong kind.
    """
    fields = Fields.of_record(data, "variation")
    meta, internal = split_meta(fields)
    stock_at_parent = fields.raw("manage_stock") == "parent"
    if parent_id is None:
        parent_id = fields.integer("parent_id", required=True, minimum=1)
    return Variation(
        id=fields.record_id,
        parent_id=parent_id,
        name=fields.text("name"),
        status=fields.text("status"),
        sku=fields.text("sku").strip(),
        **_prices(fields),
        tax_status=fields.text("tax_status"),
        tax_class=fields.text("tax_class"),
        stock_at_parent=stock_at_parent,
        **_stock(fields, stock_at_parent),
        attributes={
            attribute.text("name", required=True): attribute.text("option")
            for attribute in fields.items("attributes")
        },
        date_created=fields.date("date_created_gmt"),
        date_modified=fields.date("date_modified_gmt"),
        meta=meta,
        internal_meta=internal,
    )
