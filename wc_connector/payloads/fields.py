"""Reading one store record field by field, with errors that say where.

Every parser reads the store's JSON through a :class:`Fields` view, so a bad
value always raises :class:`~..errors.PayloadError` naming the record type,
the record id and the field's path (``line_items[2].quantity``), and so every
parser treats missing, ``null`` and ``""`` the same way:

* a *required* field that is missing, ``null`` or ``""`` raises;
* an optional one gets its default;
* a present value of the wrong kind always raises, whether required or not.
"""

from decimal import Decimal

from ..errors import PayloadError
from ..texts import _lt
from .dates import to_utc
from .money import to_decimal

#: A field that was not sent; distinct from every value the store can send.
_MISSING = object()


def _absent(value):
    return value is _MISSING or value is None or value == ""


class Fields:
    """A read-only view of one JSON object from the store (a record or a part of one)."""

    def __init__(self, data, record_type, record_id, path=""):
        self._data = data
        self.record_type = record_type
        self.record_id = record_id
        self._path = path

    @classmethod
    def of_record(cls, data, record_type, id_field="id"):
        """Start reading a top-level record: checks it is an object and reads its positive ``id``."""
        if not isinstance(data, dict):
            raise PayloadError(record_type, None, "body", _lt("expected a JSON object, got %(type)s"), {"type": type(data).__name__})
        raw_id = data.get(id_field, _MISSING)
        fields = cls(data, record_type, raw_id if isinstance(raw_id, (int, str)) else None)
        record_id = fields.integer(id_field, required=True, minimum=1)
        fields.record_id = record_id
        return fields

    # -- errors -------------------------------------------------------------

    def path(self, key):
        """The field's full path inside the record, as error messages show it."""
        return f"{self._path}.{key}" if self._path else key

    def fail(self, key, problem, **params):
        """Raise the PayloadError for ``key``: ``problem`` is a template marked with ``_lt``, ``params`` its values."""
        raise PayloadError(self.record_type, self.record_id, self.path(key), problem, params)

    # -- plain values ---------------------------------------------------------

    def raw(self, key, default=None):
        """The value as sent (``default`` when missing)."""
        return self._data.get(key, default)

    def has(self, key):
        """Whether the store sent a non-empty value for ``key``."""
        return not _absent(self._data.get(key, _MISSING))

    def _get(self, key, required):
        value = self._data.get(key, _MISSING)
        if required and _absent(value):
            if value is _MISSING:
                self.fail(key, _lt("it is missing"))
            self.fail(key, _lt("it is empty (%(value)s)"), value=repr(value))
        return value

    def text(self, key, default="", required=False):
        """A string; numbers are accepted and turned into text (a ``number`` or ``sku`` sent as 42)."""
        value = self._get(key, required)
        if _absent(value):
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return self.fail(key, _lt("expected text, got %(type)s %(value)s"), type=type(value).__name__, value=repr(value))

    def integer(self, key, default=0, required=False, minimum=None):
        """A whole number (ids, quantities, stock); accepts ``3``, ``3.0`` and ``"3"``, refuses ``2.5``."""
        value = self._get(key, required)
        if _absent(value):
            return default
        number = None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            try:
                number = int(value.strip())
            except ValueError:
                pass
        if number is None:
            self.fail(key, _lt("expected a whole number, got %(value)s"), value=repr(value))
        if minimum is not None and number < minimum:
            self.fail(key, _lt("expected a number of at least %(minimum)s, got %(value)s"), minimum=minimum, value=repr(value))
        return number

    def money(self, key, default=Decimal(0), required=False):
        """An amount as ``Decimal`` (see :mod:`.money`); ``default`` when missing or ``""``."""
        value = self._get(key, required)
        try:
            amount = to_decimal(None if value is _MISSING else value)
        except ValueError as error:
            return self.fail(key, "%(error)s", error=str(error))  # the parser's own words
        return default if amount is None else amount

    def flag(self, key, default=False):
        """A boolean; the store's ``"yes"``/``"no"`` and ``0``/``1`` are accepted too."""
        value = self._data.get(key, _MISSING)
        if _absent(value):
            return default
        if isinstance(value, bool):
            return value
        if value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false", "1", "0"):
            return value.strip().lower() in ("yes", "true", "1")
        return self.fail(key, _lt("expected true or false, got %(value)s"), value=repr(value))

    def date(self, key, required=False):
        """An aware UTC datetime from a ``*_gmt`` field (see :mod:`.dates`); ``None`` when missing."""
        value = self._get(key, required)
        try:
            return to_utc(None if value is _MISSING else value)
        except ValueError as error:
            return self.fail(key, "%(error)s", error=str(error))  # the parser's own words

    # -- nested objects ---------------------------------------------------------

    def child(self, key):
        """The nested object ``key`` as Fields (an empty one when missing or ``null``)."""
        value = self._data.get(key, _MISSING)
        if value is _MISSING or value is None or value == []:
            # PHP serialises an empty associative array as [], so [] is an empty object.
            value = {}
        if not isinstance(value, dict):
            self.fail(key, _lt("expected an object, got %(type)s"), type=type(value).__name__)
        return Fields(value, self.record_type, self.record_id, self.path(key))

    def items(self, key):
        """The list ``key`` as one Fields per object in it (``[]`` when missing or ``null``)."""
        value = self._data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, _lt("expected a list, got %(type)s"), type=type(value).__name__)
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{key}[{index}]", _lt("expected an object, got %(type)s"), type=type(item).__name__)
            result.append(Fields(item, self.record_type, self.record_id, f"{self.path(key)}[{index}]"))
        return result

    def integers(self, key):
        """A list of whole numbers (a variable product's ``variations``) as a tuple."""
        value = self._data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, _lt("expected a list, got %(type)s"), type=type(value).__name__)
        # Each element is read as a field named like the path the error should show.
        named = {f"{key}[{i}]": item for i, item in enumerate(value)}
        wrapper = Fields(named, self.record_type, self.record_id, self._path)
        return tuple(wrapper.integer(name, required=True) for name in named)
