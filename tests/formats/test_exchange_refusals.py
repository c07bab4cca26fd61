"""The JSON exchange format, case by case: each refusal names its place and says why in French,
a workshop's participants survive the round trip, and an assessment whose referential is not
installed still exports. (Together with test_exchange.py: every line of exchange.py runs.)"""

from __future__ import annotations

import copy
import json
import sqlite3
import uuid as uuid_mod

import jsonschema
import pytest

from ptce_toolkit import exchange, snapshot
from ptce_toolkit.db import open_database
from ptce_toolkit.demo_workshop import add_demo_participants
from tests.helpers.documents import set_at


@pytest.fixture
def demo_doc(demo, ref):
    db, uuid = demo
    return exchange.to_document(snapshot.load(db, uuid), ref)


def refusal(doc) -> list[str]:
    with pytest.raises(exchange.ImportRefused) as exc:
        exchange.from_document(doc, source="essai.json")
    return [str(p).replace("\u00a0", " ") for p in exc.value.problems]  # compared with ordinary spaces




def _twin_swot_uuid(doc):
    doc["swot"][1]["uuid"] = doc["swot"][0]["uuid"]
    return doc


CASES = [
    ("version de format nulle", set_at(["format_version"], 0), "$.format_version : la valeur 0 est inférieure au minimum"),
    ("nom de pôle vide", set_at(["pole", "name"], ""), "$.pole.name : ne peut pas être vide."),
    ("titre trop long", set_at(["assessment", "title"], "T" * 301), "$.assessment.title : texte trop long (plus de 300"),
    ("niveau absent", lambda d: (d["answers"][0].pop("level"), d)[1],
     "$.answers[0].level : niveau absent alors que le statut est « answered »."),
    ("identifiant en double", _twin_swot_uuid, "$.swot[1].uuid : identifiant"),
    ("champ de profil inconnu", set_at(["assessment", "profile", "pointure"], {"value": 42}),
     "$.assessment.profile.pointure : champ de profil « pointure » inconnu du référentiel."),
    ("critère inconnu dans l’AFOM", set_at(["swot", 0, "criteria"], ["ZZZ.9"]), "$.swot[0].criteria[0] : critère « ZZZ.9 » inconnu."),
    ("critère inconnu dans une action", set_at(["actions", 0, "criteria"], ["ZZZ.9"]),
     "$.actions[0].criteria[0] : critère « ZZZ.9 » inconnu."),
    ("option inconnue dans une action", set_at(["actions", 0, "options"], ["00000000-0000-4000-8000-000000000000"]),
     "$.actions[0].options[0] : aucune option du document n’a l’identifiant"),
]


@pytest.mark.parametrize("label, mutate, expected", CASES, ids=[c[0] for c in CASES])
def test_each_refusal_names_the_place_and_the_reason(demo_doc, label, mutate, expected):
    problems = refusal(mutate(copy.deepcopy(demo_doc)))
    assert any(p.startswith(expected) for p in problems), problems


def test_past_fifty_problems_the_summary_lists_fifty_and_counts_the_rest(demo_doc):
    demo_doc["answers"] = [{"criterion": f"ZZZ.{i}", "status": "unknown"} for i in range(60)]
    with pytest.raises(exchange.ImportRefused) as exc:
        exchange.from_document(demo_doc, source="essai.json")
    text = str(exc.value).replace("\u00a0", " ")
    assert text.startswith("« essai.json » refusé, rien n’a été enregistré (60 problèmes) :")
    assert text.count("\n  – ") == 50 and text.endswith("… et 10 autres")


def test_validator_messages_the_schema_cannot_reach_today_are_french_too():
    def message(schema, instance):
        return exchange._french(next(jsonschema.Draft202012Validator(schema).iter_errors(instance)))

    assert message({"const": "ptce"}, "autre").replace("\u00a0", " ") == "valeur « autre » inattendue (attendu : « ptce »)."
    assert message({"multipleOf": 2}, 3) == "valeur invalide (multipleOf)."


def test_workshop_participants_and_their_answers_survive_the_round_trip(demo, ref, tmp_path):
    db, uuid = demo
    add_demo_participants(db, uuid)
    src = snapshot.load(db, uuid)
    assert len(src.participants) >= 2 and any(src.participant_answers.values())
    path = tmp_path / "atelier.json"
    exchange.export_file(db, uuid, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert [p["name"] for p in doc["participants"]] == [p.name for p in src.participants]
    other = open_database(tmp_path / "autre.sqlite3")
    exchange.import_file(other, path)
    dst = snapshot.load(other, uuid)
    other.close()
    assert [(p.uuid, p.name, p.college) for p in dst.participants] == [(p.uuid, p.name, p.college) for p in src.participants]
    levels = {pid: {c: (a.status, a.level) for c, a in answers.items()} for pid, answers in src.participant_answers.items()}
    assert {pid: {c: (a.status, a.level) for c, a in answers.items()} for pid, answers in dst.participant_answers.items()} == levels


def test_participants_answers_are_checked_like_the_agreed_ones(demo_doc):
    demo_doc["participants"] = [{"name": "Camille", "answers": [{"criterion": "ZZZ.1", "status": "unknown"}]}]
    assert any(p.startswith("$.participants[0].answers[0].criterion : critère « ZZZ.1 » inconnu")
               for p in refusal(demo_doc))


def test_an_assessment_whose_referential_is_not_installed_still_exports(demo, tmp_path):
    db, uuid = demo
    con = sqlite3.connect(db.path)
    with con:
        con.execute("UPDATE assessment SET referential_version = '9.9.9' WHERE id = ?", (uuid,))
    con.close()
    path = exchange.export_file(db, uuid, tmp_path / "sans_referentiel.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["referential"]["version"] == "9.9.9"
    ids = [a["criterion"] for a in doc["answers"]]
    assert len(ids) == 48 and ids == sorted(ids)  # no referential to follow: criterion id order


def test_a_missing_file_and_a_file_too_big_are_refused(db, tmp_path, monkeypatch):
    with pytest.raises(exchange.ImportRefused, match="introuvable ou illisible"):
        exchange.import_file(db, tmp_path / "absent.json")
    big = tmp_path / "gros.json"
    big.write_bytes(b" " * 3_000_000)
    monkeypatch.setattr(exchange, "MAX_JSON_BYTES", 2_000_000)
    with pytest.raises(exchange.ImportRefused, match=r"fichier trop volumineux \(3 Mo, maximum 2 Mo\)"):
        exchange.import_file(db, big)


def test_a_json_error_without_french_wording_is_passed_on_as_it_is(db, tmp_path):
    path = tmp_path / "controle.json"
    path.write_bytes(b'{"format": "ptce\x01"}')
    with pytest.raises(exchange.ImportRefused, match="JSON illisible ligne 1, colonne 17 \\(Invalid control character"):
        exchange.import_file(db, path)


def _figure_and_text_fields(ref):
    figure = next(f for f in ref.profile_fields if f.type in ("money", "integer", "decimal"))
    text = next(f for f in ref.profile_fields if f.type == "text")
    return figure, text


def test_a_figure_that_is_not_a_number_and_a_text_that_is_not_one_are_named(demo_doc, ref):
    """A document built in memory (the workbook import's path) may hold NaN, which JSON text
    cannot: the schema's bounds let it through (NaN compares false), the check does not."""
    figure, text = _figure_and_text_fields(ref)
    doc = copy.deepcopy(demo_doc)
    doc["assessment"]["profile"][figure.id] = {"value": float("nan")}
    assert f"$.assessment.profile.{figure.id}.value : nombre hors de portée (nan)." in refusal(doc)
    demo_doc["assessment"]["profile"][text.id] = {"value": 12}
    assert f"$.assessment.profile.{text.id}.value : un texte est attendu (trouvé : 12)." in refusal(demo_doc)


def test_too_many_other_names_and_names_too_long_together_for_one_cell(demo_doc):
    demo_doc["pole"]["aliases"] = [f"Nom {i}" for i in range(101)]
    assert any(p.startswith("$.pole.aliases : trop d’éléments (101, au plus 100).") for p in refusal(demo_doc))
    # each control character takes 7 characters in a workbook cell (_x0001_)
    demo_doc["pole"]["aliases"] = ["\u0001" * 300] * 20
    assert any(p.startswith("$.pole.aliases : les autres noms dépassent ensemble les 32767 caractères")
               for p in refusal(demo_doc))


def test_a_folder_given_as_the_file_is_refused_in_french(db, tmp_path):
    folder = tmp_path / "dossier.json"
    folder.mkdir()
    with pytest.raises(exchange.ImportRefused) as exc:
        exchange.import_file(db, folder)
    assert "lecture impossible" in str(exc.value)


def test_a_constraint_the_checks_missed_is_refused_without_sql(demo, demo_doc, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    db, _ = demo

    def broken(_db, _snap):
        raise IntegrityError("INSERT INTO answer …", {}, Exception("CHECK constraint failed: level"))

    monkeypatch.setattr(exchange, "_import_snapshot", broken)
    snap = exchange.from_document(demo_doc, source="essai.json")
    with pytest.raises(exchange.ImportRefused) as exc:
        exchange.import_snapshot(db, snap)
    text = str(exc.value)
    assert "contrainte non respectée" in text and "INSERT" not in text
