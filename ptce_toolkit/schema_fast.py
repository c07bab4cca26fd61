"""A fast proof that a document is valid against a JSON Schema, before asking jsonschema.

jsonschema walks a ``ptce-assessment`` document in about 3.5 ms (a third of the time of
reading a workbook in a consolidation); almost every document it sees is valid. This
module compiles the schema, once, into plain Python checks that answer only « certainly
valid » (True) or « not proven » (False). On False the caller runs jsonschema as before,
so every message, path and order of the errors is jsonschema's: nothing about what is
refused changes, only how fast a valid document goes through.

It knows the keywords of ``schemas/assessment.schema.json`` (type, required, properties,
additionalProperties, items, local $ref, const and enum of strings, minimum, maximum,
minLength, maxLength, minItems, maxItems, pattern) with jsonschema's Draft 2020-12 meaning (an integer may
be written 2.0, a boolean is never a number, lengths count code points, patterns are
searched). A schema with any other keyword compiles to « never proven »: jsonschema
alone decides. tests/core/test_schema_fast.py checks that « proven » never disagrees with
jsonschema, on generated and mutated documents.
"""

from __future__ import annotations

import re
from typing import Callable

Check = Callable[[object], bool]
_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment", "examples", "default"}
_KNOWN = {"type", "required", "properties", "additionalProperties", "items", "$ref", "const", "enum", "minimum",
          "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems"}


class Unsupported(ValueError):
    """The schema uses a keyword this module does not prove."""


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


_TYPES: dict[str, Check] = {
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()),
    "number": _is_number,
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
}


def compile_schema(schema: dict) -> Check:
    """A function doc -> True when ``doc`` certainly satisfies ``schema``; raises Unsupported."""
    root = schema
    cache: dict[str, Check] = {}

    def resolve(ref: str) -> Check:
        if not ref.startswith("#/"):
            raise Unsupported(ref)
        if ref not in cache:
            node = root
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or part not in node:
                    raise Unsupported(ref)
                node = node[part]
            cache[ref] = lambda x: False  # placeholder while compiling (recursive schemas)
            compiled = build(node)
            cache[ref] = compiled
        return lambda x, ref=ref: cache[ref](x)

    def build(node) -> Check:
        if node is True or node == {}:
            return lambda x: True
        if node is False:
            return lambda x: False
        if not isinstance(node, dict):
            raise Unsupported(repr(node)[:40])
        unknown = set(node) - _KNOWN - _ANNOTATIONS
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(resolve(node["$ref"]))
        if "type" in node:
            kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
            if any(k not in _TYPES for k in kinds):
                raise Unsupported(str(kinds))
            tests = [_TYPES[k] for k in kinds]
            checks.append(tests[0] if len(tests) == 1 else (lambda x, tests=tests: any(t(x) for t in tests)))
        if "const" in node:
            const = node["const"]
            if not isinstance(const, str):
                raise Unsupported("const")
            checks.append(lambda x, c=const: isinstance(x, str) and x == c)
        if "enum" in node:
            values = node["enum"]
            if not all(isinstance(v, str) for v in values):
                raise Unsupported("enum")
            allowed = frozenset(values)
            checks.append(lambda x, a=allowed: isinstance(x, str) and x in a)
        if "minimum" in node:
            checks.append(lambda x, m=node["minimum"]: not _is_number(x) or not x < m)
        if "maximum" in node:
            checks.append(lambda x, m=node["maximum"]: not _is_number(x) or not x > m)
        if "minLength" in node:
            checks.append(lambda x, m=node["minLength"]: not isinstance(x, str) or len(x) >= m)
        if "maxLength" in node:
            checks.append(lambda x, m=node["maxLength"]: not isinstance(x, str) or len(x) <= m)
        if "minItems" in node:
            checks.append(lambda x, m=node["minItems"]: not isinstance(x, list) or len(x) >= m)
        if "maxItems" in node:
            checks.append(lambda x, m=node["maxItems"]: not isinstance(x, list) or len(x) <= m)
        if "pattern" in node:
            rx = re.compile(node["pattern"])
            checks.append(lambda x, rx=rx: not isinstance(x, str) or rx.search(x) is not None)
        if "required" in node:
            keys = frozenset(node["required"])
            checks.append(lambda x, keys=keys: not isinstance(x, dict) or x.keys() >= keys)
        if "properties" in node or "additionalProperties" in node:
            props = {k: build(v) for k, v in node.get("properties", {}).items()}
            extra = build(node["additionalProperties"]) if "additionalProperties" in node else None

            def obj(x, props=props, extra=extra):
                if not isinstance(x, dict):
                    return True
                for k, v in x.items():
                    check = props.get(k, extra)
                    if check is not None and not check(v):
                        return False
                return True
            checks.append(obj)
        if "items" in node:
            item = build(node["items"])
            checks.append(lambda x, item=item: not isinstance(x, list) or all(map(item, x)))
        return _all(checks)

    return build(schema)


def _all(checks: list[Check]) -> Check:
    """One check passing when every one of ``checks`` passes, in order (nested « and »: no
    generator to run for each value)."""
    if not checks:
        return lambda x: True
    check = checks[-1]
    for first in reversed(checks[:-1]):
        check = (lambda a, b: lambda x: a(x) and b(x))(first, check)
    return check


class Prechecked:
    """Wraps a jsonschema validator: ``iter_errors`` yields nothing at once for a document
    proven valid, and is the validator's own otherwise."""

    def __init__(self, validator, schema: dict):
        self.validator = validator
        try:
            self.proven: Check | None = compile_schema(schema)
        except Unsupported:
            self.proven = None

    def iter_errors(self, doc):
        try:
            if self.proven is not None and self.proven(doc):
                return iter(())
        except (TypeError, RecursionError):
            pass  # anything odd: let jsonschema judge
        return self.validator.iter_errors(doc)
