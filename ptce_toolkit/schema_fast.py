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


# the keywords that judge a value alone (no sub-schema); each as an expression on ``x``, in the
# order ``build`` checks them (a name in braces is a constant bound when compiling)
_VALUE_KEYWORDS = ("type", "const", "enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
                   "pattern")
_TYPE_EXPR = {
    "string": "isinstance(x, str)",
    "integer": "((isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()))",
    "number": "(isinstance(x, (int, float)) and not isinstance(x, bool))",
    "boolean": "isinstance(x, bool)",
    "null": "x is None",
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
}
_NUMBER = _TYPE_EXPR["number"]
_KEYWORD_EXPR = {
    "const": "(isinstance(x, str) and x == {c})",
    "enum": "(isinstance(x, str) and x in {c})",
    "minimum": f"(not {_NUMBER} or not x < {{c}})",
    "maximum": f"(not {_NUMBER} or not x > {{c}})",
    "minLength": "(not isinstance(x, str) or len(x) >= {c})",
    "maxLength": "(not isinstance(x, str) or len(x) <= {c})",
    "minItems": "(not isinstance(x, list) or len(x) >= {c})",
    "maxItems": "(not isinstance(x, list) or len(x) <= {c})",
    "pattern": "(not isinstance(x, str) or {c}.search(x) is not None)",
}


def _value_check(node: dict) -> Check:
    """The checks of the value keywords of ``node`` fused in one expression: the same tests as one
    function per keyword, without a call for each (a document has hundreds of such leaves)."""
    parts: list[str] = []
    env: dict[str, object] = {}
    for word in _VALUE_KEYWORDS:
        if word not in node:
            continue
        arg = node[word]
        if word == "type":
            kinds = arg if isinstance(arg, list) else [arg]
            if any(k not in _TYPE_EXPR for k in kinds):
                raise Unsupported(str(kinds))
            parts.append("(" + " or ".join(_TYPE_EXPR[k] for k in kinds) + ")")
            continue
        if word in ("const", "enum"):
            if not all(isinstance(v, str) for v in ([arg] if word == "const" else arg)):
                raise Unsupported(word)
            arg = arg if word == "const" else frozenset(arg)
        elif word == "pattern":
            arg = re.compile(arg)
        name = f"c{len(env)}"
        env[name] = arg
        parts.append(_KEYWORD_EXPR[word].format(c=name))
    if not parts:
        return lambda x: True
    return eval("lambda x: " + " and ".join(parts), env)  # noqa: S307 - built from the fixed texts above


def compile_schema(schema: dict) -> Check:
    """A function doc -> True when ``doc`` certainly satisfies ``schema``; raises Unsupported."""
    root = schema
    cache: dict[str, Check] = {}
    compiling: set[str] = set()

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
            compiling.add(ref)
            compiled = build(node)
            compiling.discard(ref)
            cache[ref] = compiled
        if ref in compiling:  # a schema that refers to itself: look it up when checking
            return lambda x, ref=ref: cache[ref](x)
        return cache[ref]

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
        if any(word in node for word in _VALUE_KEYWORDS):
            checks.append(_value_check(node))
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
