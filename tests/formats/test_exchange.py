"""JSON exchange format: round trip, idempotence, and a strict, all-or-nothing importer."""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
import uuid as uuid_mod

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_toolkit import exchange, scoring, snapshot
from ptce_toolkit import services as sv
from ptce_toolkit.db import open_database

TABLES = ("pole", "assessment", "answer", "swot_item", "swot_item_criterion", "strategic_option",
          "option_swot_link", "action", "action_criterion", "action_option", "participant")


def table_counts(db) -> dict[str, int]:
    con = sqlite3.connect(db.path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def comparable(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    for key in ("exported_at", "app_version"):
        doc.pop(key, None)
    for a in doc.get("answers", []):
        a.pop("updated_at", None)
    return doc


@pytest.fixture(autouse=True, scope="module")
def _validator_built_here():
    """The schema validator is built once per process: build it again inside these tests, where
    coverage is measured (tests/conftest.py), whatever test of this worker built it first."""
    exchange._validator.cache_clear()


@pytest.fixture
def demo_doc(demo, ref):
    db, uuid = demo
    return exchange.to_document(snapshot.load(db, uuid), ref)


def test_demo_round_trip_into_an_empty_database(demo, ref, tmp_path):
    db, uuid = demo
    path = tmp_path / "echange.json"
    exchange.export_file(db, uuid, path)
    other = open_database(tmp_path / "autre.sqlite3")
    result = exchange.import_file(other, path)
    assert result.assessment_uuid == uuid and not result.replaced
    src, dst = snapshot.load(db, uuid), snapshot.load(other, uuid)
    assert comparable(exchange.to_document(dst, ref)) == comparable(exchange.to_document(src, ref))
    assert scoring.score(ref, dst.answers).as_dict() == scoring.score(ref, src.answers).as_dict()
    other.close()


def test_reimport_is_idempotent(demo, tmp_path):
    db, uuid = demo
    path = tmp_path / "echange.json"
    exchange.export_file(db, uuid, path)
    before = table_counts(db)
    result = exchange.import_file(db, path)
    assert result.replaced
    assert table_counts(db) == before


# --------------------------------------------------------------------------- property test

NASTY_PREFIXES = ["", "=", "+", "-", "@", "=HYPERLINK(\"http://x\")", "« ", "l’", "\"", "'"]
texts = st.builds(lambda p, t: p + t, st.sampled_from(NASTY_PREFIXES),
                  st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=30)


@st.composite
def documents(draw, criteria_ids):
    chosen = draw(st.lists(st.sampled_from(criteria_ids), unique=True, max_size=20))
    answers = []
    for cid in chosen:
        status = draw(st.sampled_from(["answered", "not_applicable", "unknown", "unanswered"]))
        level = draw(st.integers(0, 4)) if status == "answered" else None
        comment = draw(texts)
        if status == "unanswered" and not comment:
            comment = "note"
        answers.append({"criterion": cid, "level": level, "status": status, "comment": comment,
                        "evidence": draw(texts), "priority": draw(st.booleans())})
    swot = [{"uuid": str(uuid_mod.uuid4()), "quadrant": draw(st.sampled_from("SWOT")),
             "text": draw(names) + draw(texts), "importance": draw(st.integers(1, 3)),
             "criteria": draw(st.lists(st.sampled_from(criteria_ids), unique=True, max_size=3))}
            for _ in range(draw(st.integers(0, 6)))]
    options = [{"uuid": str(uuid_mod.uuid4()), "text": draw(names),
                "swot": draw(st.lists(st.sampled_from([s["uuid"] for s in swot]), unique=True, max_size=3))
                if swot else []} for _ in range(draw(st.integers(0, 3)))]
    actions = [{"uuid": str(uuid_mod.uuid4()), "title": draw(names), "owner": draw(texts),
                "due_on": draw(st.sampled_from(["", "2027-01-31"])), "status": draw(st.sampled_from(["todo", "done"])),
                "priority": draw(st.integers(1, 3)),
                "criteria": draw(st.lists(st.sampled_from(criteria_ids), unique=True, max_size=2)),
                "options": draw(st.lists(st.sampled_from([o["uuid"] for o in options]), unique=True, max_size=2))
                if options else []} for _ in range(draw(st.integers(0, 3)))]
    return {"format": "ptce-assessment", "format_version": 1,
            "referential": {"id": "ptce-referentiel-action", "version": "1.0.0"},
            "pole": {"uuid": str(uuid_mod.uuid4()), "name": draw(names), "territory": draw(texts)},
            "assessment": {"uuid": str(uuid_mod.uuid4()), "title": draw(names), "facilitator": draw(texts),
                           "profile": {"membres_structures": {"value": draw(st.integers(0, 10**6)), "year": 2025}}},
            "answers": answers, "swot": swot, "options": options, "actions": actions}


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory, empty_template):
    """One database for every example, a copy of the session's empty one (already migrated)."""
    path = tmp_path_factory.mktemp("prop") / "prop.sqlite3"
    shutil.copyfile(empty_template, path)
    database = open_database(path)
    yield database
    database.close()


ALL_IDS = [f"{d}.{i}" for d, n in {"FIN": 5, "TER": 5, "ACT": 6, "GOV": 6, "COO": 6, "ECO": 6, "INN": 5,
                                    "EVA": 5, "RES": 4}.items() for i in range(1, n + 1)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents(ALL_IDS))
def test_any_valid_document_survives_import_and_export(shared_db, ref, doc):
    snap = exchange.from_document(doc, source="généré.json")
    exchange.import_snapshot(shared_db, snap)
    again = exchange.to_document(snapshot.load(shared_db, doc["assessment"]["uuid"]), ref)
    expected = exchange.to_document(snap, ref)
    assert comparable(again) == comparable(expected)
    # and what we read back is what was written, field by field
    got = {a["criterion"]: (a["status"], a["level"], a["comment"], a["evidence"], a["priority"]) for a in again["answers"]}
    sent = {a["criterion"]: (a["status"], a["level"], a["comment"], a["evidence"], a["priority"]) for a in doc["answers"]}
    assert got == sent
    assert [(s["quadrant"], s["text"]) for s in again["swot"]] == \
        sorted([(s["quadrant"], s["text"]) for s in doc["swot"]], key=lambda x: "SWOT".index(x[0]))


# --------------------------------------------------------------------------- bad input

def _mutate(path_fn):
    def apply(doc):
        path_fn(doc)
        return doc
    return apply


BAD_CASES = [
    ("niveau 5", _mutate(lambda d: d["answers"][0].update(level=5)), "$.answers[0].level", "maximum"),
    ("niveau texte", _mutate(lambda d: d["answers"][0].update(level="3")), "$.answers[0].level", "entier"),
    ("critère inconnu", _mutate(lambda d: d["answers"][0].update(criterion="FIN.99")), "$.answers[0].criterion",
     "FIN.99"),
    ("critère en double", _mutate(lambda d: d["answers"].append(dict(d["answers"][0]))), "$.answers[48].criterion",
     "deux fois"),
    ("format plus récent", _mutate(lambda d: d.update(format_version=2)), "$.format_version", "plus récent"),
    ("autre format", _mutate(lambda d: d.update(format="autre-chose")), "$.format", "ptce-assessment"),
    ("référentiel absent", _mutate(lambda d: d["referential"].update(version="7.0.0")), "$.referential",
     "n’est pas installé"),
    ("nom manquant", _mutate(lambda d: d["pole"].pop("name")), "$.pole", "« name »"),
    ("quadrant inconnu", _mutate(lambda d: d["swot"][0].update(quadrant="X")), "$.swot[0].quadrant", "S, W, O, T"),
    ("lien d’option cassé", _mutate(lambda d: d["options"][0].update(swot=[str(uuid_mod.uuid4())])),
     "$.options[0].swot[0]", "aucun élément AFOM"),
    ("statut et niveau incohérents", _mutate(lambda d: d["answers"][0].update(status="unknown")),
     "$.answers[0].level", "statut"),
    ("date invalide", _mutate(lambda d: d["actions"][0].update(due_on="31/12/2026")), "$.actions[0].due_on",
     "format invalide"),
    ("liste au lieu d’objet", _mutate(lambda d: d.update(pole=["x"])), "$.pole", "objet"),
]


@pytest.mark.parametrize("label, mutate, location, words", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_documents_are_refused_and_nothing_is_written(tmp_path, demo_doc, label, mutate, location, words):
    target = open_database(tmp_path / "cible.sqlite3")
    before = table_counts(target)
    path = tmp_path / "mauvais.json"
    path.write_text(json.dumps(mutate(copy.deepcopy(demo_doc)), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(exchange.ImportRefused) as exc:
        exchange.import_file(target, path)
    problems = exc.value.problems
    assert any(p.location == location and words in p.message for p in problems), [str(p) for p in problems]
    assert "mauvais.json" in str(exc.value) and "rien n’a été enregistré" in str(exc.value)
    assert table_counts(target) == before
    target.close()


@pytest.mark.parametrize("content, words", [
    (b'{"format": "ptce-assessment", "format_ver', "JSON illisible ligne 1"),
    (b"", "JSON illisible"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"[1, 2, 3]", "objet JSON"),
])
def test_unreadable_files_are_refused(db, tmp_path, content, words):
    path = tmp_path / "abime.json"
    path.write_bytes(content)
    with pytest.raises(exchange.ImportRefused, match=words):
        exchange.import_file(db, path)
    assert table_counts(db)["assessment"] == 0


def test_several_problems_are_all_reported(tmp_path, demo_doc, db):
    demo_doc["answers"][0]["level"] = 9
    demo_doc["answers"][1]["criterion"] = "ZZZ.1"
    path = tmp_path / "deux.json"
    path.write_text(json.dumps(demo_doc), encoding="utf-8")
    with pytest.raises(exchange.ImportRefused) as exc:
        exchange.import_file(db, path)
    # schema errors come first; the file is refused as a whole
    assert len(exc.value.problems) >= 1 and "$.answers[0].level" in str(exc.value)


def test_an_assessment_cannot_move_to_another_pole(demo, demo_doc, tmp_path):
    db, _ = demo
    demo_doc["pole"]["uuid"] = str(uuid_mod.uuid4())
    path = tmp_path / "autre_pole.json"
    path.write_text(json.dumps(demo_doc), encoding="utf-8")
    before = table_counts(db)
    with pytest.raises(exchange.ImportRefused, match="autre pôle"):
        exchange.import_file(db, path)
    assert table_counts(db) == before


def test_answers_without_uuid_still_import(db):
    doc = {"format": "ptce-assessment", "format_version": 1,
           "referential": {"id": "ptce-referentiel-action", "version": "1.0.0"},
           "pole": {"name": "Pôle sans identifiant"}, "assessment": {"title": "Questionnaire papier"},
           "answers": [{"criterion": "FIN.1", "status": "answered", "level": 2}]}
    result = exchange.import_snapshot(db, exchange.from_document(doc))
    assert sv.get_answer(db, result.assessment_uuid, "FIN.1").level == 2


def test_item_uuid_of_another_assessment_is_refused_cleanly(demo, demo_doc, tmp_path):
    db, _ = demo
    other = copy.deepcopy(demo_doc)
    other["assessment"]["uuid"] = str(uuid_mod.uuid4())  # a new assessment…
    other["answers"] = []                                  # …whose SWOT items reuse the demo's uuids
    before = table_counts(db)
    with pytest.raises(exchange.ImportRefused, match="autre évaluation"):
        exchange.import_snapshot(db, exchange.from_document(other))
    assert table_counts(db) == before
