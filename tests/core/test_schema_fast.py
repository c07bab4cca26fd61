"""ptce_toolkit.schema_fast proves a document valid exactly when jsonschema finds no error in it:
on generated documents, and on documents with one value replaced, removed or added anywhere."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_toolkit import exchange, text_limits
from ptce_toolkit.schema_fast import Prechecked, Unsupported, compile_schema
from tests.helpers.xlsx import snapshots

SCHEMA = json.loads(text_limits.SCHEMA_PATH.read_text(encoding="utf-8"))
SLOW = jsonschema.Draft202012Validator(SCHEMA)
PROVEN = compile_schema(SCHEMA)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3000), st.sampled_from([2.0, 2.5, -0.0, 1e300, 1800.0]),
              st.floats(allow_nan=False), st.text(max_size=8), st.sampled_from(["", "x" * 1001, "2026-13-45",
                                                                                "S", "answered", "todo", "a" * 301])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def _agree(doc):
    valid = not list(SLOW.iter_errors(doc))
    assert PROVEN(doc) == valid, json.dumps(doc, ensure_ascii=False, default=str)[:300]
    return valid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_documents_are_proven(ref, data):
    doc = exchange.to_document(data.draw(snapshots(ref)), ref)
    assert _agree(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_change_anywhere_gives_the_same_verdict(ref, data):
    doc = exchange.to_document(data.draw(snapshots(ref)), ref)
    doc = copy.deepcopy(doc)
    path = data.draw(st.sampled_from(list(_paths(doc))))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    if not path:
        doc = data.draw(json_values)
    elif action == "replace":
        parent[path[-1]] = data.draw(json_values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][data.draw(st.sampled_from(["uuid", "level", "status", "extra", "year", "value"]))] = \
            data.draw(json_values)
    elif isinstance(parent[path[-1]], list):
        parent[path[-1]].append(data.draw(json_values))
    _agree(doc)


@pytest.mark.parametrize("value, valid", [(2, True), (2.0, True), (2.5, False), (True, False), (None, True),
                                          ("2", False), (5, False), (-1, False)])
def test_integers_and_booleans_as_jsonschema_reads_them(ref, value, valid):
    doc = {"format": "ptce-assessment", "format_version": 1, "referential": {"id": "r", "version": "1"},
           "pole": {"name": "P"}, "assessment": {"title": "T"},
           "answers": [{"criterion": "FIN.1", "status": "answered", "level": value}]}
    assert _agree(doc) == valid


def test_the_assessment_schema_is_fully_known():
    assert Prechecked(SLOW, SCHEMA).proven is not None


def test_unknown_keywords_leave_jsonschema_alone():
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "oneOf": [{"required": ["a"]}]})
    checked = Prechecked(SLOW, {"type": "object", "oneOf": []})
    assert checked.proven is None
    doc = {"format": "autre"}
    assert [e.message for e in checked.iter_errors(doc)] == [e.message for e in SLOW.iter_errors(doc)]


def test_prechecked_gives_jsonschema_errors_unchanged(ref):
    checked = Prechecked(SLOW, SCHEMA)
    bad = {"format": "ptce-assessment", "format_version": 1, "referential": {"id": "", "version": 1},
           "pole": {"name": "", "creation_year": 1700}, "assessment": {"title": "T", "status": "fini"},
           "swot": [{"quadrant": "X", "text": ""}]}
    assert [(list(e.absolute_path), e.message) for e in checked.iter_errors(bad)] == \
        [(list(e.absolute_path), e.message) for e in SLOW.iter_errors(bad)]
    assert list(checked.iter_errors({"format": "ptce-assessment", "format_version": 1,
                                     "referential": {"id": "r", "version": "1"}, "pole": {"name": "P"},
                                     "assessment": {"title": "T"}})) == []


def test_a_schema_that_refers_to_itself():
    """A tree of nodes (a $ref to the schema being compiled) is proven as jsonschema judges it."""
    tree = {"$defs": {"node": {"type": "object", "required": ["name"],
                               "properties": {"name": {"type": "string", "minLength": 1, "pattern": "^[a-z]+$"},
                                              "children": {"type": "array", "maxItems": 2,
                                                           "items": {"$ref": "#/$defs/node"}}}}},
            "$ref": "#/$defs/node"}
    proven, slow = compile_schema(tree), jsonschema.Draft202012Validator(tree)
    for doc in ({"name": "a"}, {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]},
                {"name": "a", "children": [{"name": "b", "children": [{"name": "C"}]}]},
                {"name": "a", "children": [{"name": "b"}, {"name": "c"}, {"name": "d"}]},
                {"name": "a", "children": [{"children": []}]}, {"name": ""}, {"name": 3}, []):
        assert proven(doc) == (not list(slow.iter_errors(doc))), doc
