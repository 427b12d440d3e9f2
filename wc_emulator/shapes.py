"""Compare the shape of JSON values: keys (recursively) and value types.

Used to check that the emulator and the generator answer exactly like the real
store's captures: `differences(expected, got)` lists every place where `got`
has a missing or extra key or a value of another type. Types are JSON's:
str, number, bool, null, list, dict. int and float count as one type
("number") because PHP prints a whole float as an integer (225, not 225.0).
The elements of a list are compared with the merged shape of all the
expected list's elements; an empty expected list accepts any elements.
"""


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    raise TypeError("not a JSON value: %r" % type(value))


def shape_of(value):
    """The shape of a JSON value (see `merge` and `differences`)."""
    kind = _kind(value)
    shape = {"kinds": {kind}, "keys": None, "required": None, "items": None}
    if kind == "dict":
        shape["keys"] = {key: shape_of(item) for key, item in value.items()}
        shape["required"] = set(value)
    elif kind == "list":
        for item in value:
            shape["items"] = merge(shape["items"], shape_of(item))
    return shape


def merge(first, second):
    """One shape that accepts everything either shape accepts."""
    if first is None:
        return second
    if second is None:
        return first
    merged = {"kinds": first["kinds"] | second["kinds"], "keys": None, "required": None,
              "items": merge(first["items"], second["items"])}
    if first["keys"] is not None or second["keys"] is not None:
        keys = dict(first["keys"] or {})
        for key, shape in (second["keys"] or {}).items():
            keys[key] = merge(keys.get(key), shape)
        merged["keys"] = keys
        if first["required"] is None:
            merged["required"] = set(second["required"])
        elif second["required"] is None:
            merged["required"] = set(first["required"])
        else:
            merged["required"] = first["required"] & second["required"]
    return merged


def check(shape, value, path="body"):
    """Differences between `value` and an expected `shape`, as readable strings."""
    problems = []
    kind = _kind(value)
    if kind not in shape["kinds"]:
        problems.append("%s: expected %s, got %s (%r)" % (path, "/".join(sorted(shape["kinds"])), kind,
                                                           _short(value)))
        return problems
    if kind == "dict" and shape["keys"] is not None:
        for key in sorted(shape["required"] - set(value)):
            problems.append("%s: missing key %r" % (path, key))
        for key in sorted(set(value) - set(shape["keys"])):
            problems.append("%s: unexpected key %r" % (path, key))
        for key, item in value.items():
            if key in shape["keys"]:
                problems.extend(check(shape["keys"][key], item, "%s.%s" % (path, key)))
    elif kind == "list" and shape["items"] is not None:
        for index, item in enumerate(value):
            problems.extend(check(shape["items"], item, "%s[%d]" % (path, index)))
    return problems


def differences(expected, got, path="body"):
    """Where `got` differs in shape from `expected` (empty list: same shape)."""
    return check(shape_of(expected), got, path)


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
