"""Odd JSON refused by ``ptce import``: one French sentence, exit code ≠ 0, nothing written
(what the import accepts, every export writes and re-imports: test_exchange_every_export.py).

The table gives the exact input (as bytes), the words of the French message and checks
the database fingerprint before and after.
"""

from __future__ import annotations

import json

import pytest

from cli.main import main
from ptce_toolkit import exchange, snapshot
from ptce_toolkit.records import AnswerData
from ptce_toolkit.services import ServiceError
from ptce_toolkit.services import participant_import as pim
from ptce_toolkit.services import workshop as ws
from tests.helpers.xlsx import db_fingerprint
from tests.helpers.documents import ASSESSMENT, base_doc, set_at

NB = "\u00a0"


def dumped(change) -> bytes:
    doc = base_doc()
    change(doc)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def text_of(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False)


def swot_items(n: int) -> list[dict]:
    return [{"quadrant": "S", "text": f"force {i}"} for i in range(n)]




CASES = [
    # (label, exact input bytes, where, French words)
    ("clé en double",
     text_of(base_doc()).replace('"title": "Diagnostic 2026"',
                                 '"title": "Diagnostic 2026", "title": "Autre"').encode(),
     "", f"la clé «{NB}title{NB}» apparaît deux fois"),
    ("NaN dans un chiffre",
     text_of(base_doc()).replace('"value": 42', '"value": NaN').encode(),
     "", f"«{NB}NaN{NB}» n’est pas un nombre permis"),
    ("Infinity dans un chiffre",
     text_of(base_doc()).replace('"value": 42', '"value": -Infinity').encode(),
     "", f"«{NB}-Infinity{NB}» n’est pas un nombre permis"),
    ("1e400 dans un chiffre",
     text_of(base_doc()).replace('"value": 42', '"value": 1e400').encode(),
     "", f"le nombre «{NB}1e400{NB}» est hors de portée"),
    ("entier démesuré", text_of(base_doc()).replace('"value": 42', '"value": ' + "9" * 5000).encode(),
     "", "a trop de chiffres"),
    ("chiffre au-delà de 10^15", dumped(set_at(["assessment", "profile", "membres_structures", "value"], 1e16)),
     "$.assessment.profile.membres_structures.value", "dépasse le maximum permis (1\u202f000\u202f000\u202f000\u202f000\u202f000)"),
    ("date impossible", dumped(set_at(["assessment", "started_on"], "2024-02-30")),
     "$.assessment.started_on", f"date impossible «{NB}2024-02-30{NB}»"),
    ("échéance impossible", dumped(lambda d: d["actions"][0].update(due_on="2026-13-01")),
     "$.actions[0].due_on", "date impossible"),
    ("texte de 32 768 caractères", dumped(lambda d: d["answers"][0].update(comment="mot " * 8192)),
     "$.answers[0].comment", "texte trop long (plus de 32\u202f767 caractères)"),
    ("texte qui déborde une fois échappé",
     dumped(lambda d: d["answers"][0].update(comment="a" * 32_760 + "\x01\x02")),
     "$.answers[0].comment", "texte trop long pour une cellule de classeur (32\u202f774 caractères"),
    ("texte plein d’emojis (unités UTF-16 d’Excel)",
     dumped(lambda d: d["answers"][0].update(comment="a" * 32_760 + "🌱" * 4)),
     "$.answers[0].comment", "texte trop long pour une cellule de classeur (32\u202f768 caractères"),
    ("10 000 éléments AFOM dans un quadrant", dumped(set_at(["swot"], swot_items(10_000))),
     "$.swot[9999]", f"plus de 9999 éléments dans le quadrant «{NB}S{NB}»"),
    ("texte libre au lieu d’un choix",
     dumped(set_at(["assessment", "profile", "forme_juridique_porteuse"], {"value": "association"})),
     "$.assessment.profile.forme_juridique_porteuse.value", f"valeur «{NB}association{NB}» hors de la liste"),
    ("qualificatif hors liste",
     dumped(set_at(["assessment", "profile", "membres_structures", "qualifier"], "à peu près")),
     "$.assessment.profile.membres_structures.qualifier", "hors de la liste du référentiel"),
    ("texte dans un chiffre", dumped(set_at(["assessment", "profile", "membres_structures", "value"], "48 000")),
     "$.assessment.profile.membres_structures.value", "un nombre est attendu"),
    ("autre nom sur deux lignes", dumped(set_at(["pole", "aliases"], ["PDR\nbis"])),
     "$.pole.aliases[0]", "tient sur une ligne"),
    ("surrogat isolé \\ud800",
     text_of(base_doc()).replace('"comment": "ok"', '"comment": "ok \\ud800"').encode(),
     "$.answers[0].comment", "caractère invalide U+D800"),
    ("surrogat isolé dans une clé",
     text_of(base_doc()).replace('"comment": "ok"', '"\\udfff": "ok"').encode(),
     "$.answers[0]", "caractère invalide U+DFFF"),
    ("10 000 listes imbriquées",
     text_of(base_doc()).replace('"comment": "ok"', '"x": ' + "[" * 10_000 + "]" * 10_000).encode(),
     "", "imbrication trop profonde"),
    ("40 listes imbriquées",
     text_of(base_doc()).replace('"comment": "ok"', '"x": ' + "[" * 40 + "]" * 40).encode(),
     "$.answers[0].x" + "[0]" * 29, "imbrication trop profonde"),
    ("réponse de participant vide", dumped(lambda d: d["participants"][0].update(answers=[{}])),
     "$.participants[0].answers[0]", f"champ obligatoire «{NB}criterion{NB}» absent"),
    ("priorité « oui »", dumped(lambda d: d["participants"][0]["answers"][0].update(priority="oui")),
     "$.participants[0].answers[0].priority", "devrait être vrai ou faux"),
    ("niveau 99 d’un participant", dumped(lambda d: d["participants"][0]["answers"][0].update(level=99)),
     "$.participants[0].answers[0].level", "la valeur 99 dépasse le maximum permis (4)"),
    ("niveau 99", dumped(lambda d: d["answers"][0].update(level=99)),
     "$.answers[0].level", "la valeur 99 dépasse le maximum permis (4)"),
    ("nom du pôle en espaces", dumped(set_at(["pole", "name"], " \u00a0 ")), "$.pole.name",
     "ne peut pas être vide (espaces seulement)"),
    ("titre d’action en espaces", dumped(lambda d: d["actions"][0].update(title="\t")), "$.actions[0].title",
     "ne peut pas être vide"),
    ("année de chiffre 99999", dumped(set_at(["assessment", "profile", "membres_structures", "year"], 99999)),
     "$.assessment.profile.membres_structures.year", "dépasse le maximum permis (2200)"),
]


@pytest.mark.parametrize("label, raw, where, words", CASES, ids=[c[0] for c in CASES])
def test_odd_json_is_refused_in_french_and_nothing_is_written(demo, tmp_path, capsys, label, raw, where, words):
    db, _ = demo
    path = tmp_path / "etrange.json"
    path.write_bytes(raw)
    before = db_fingerprint(db)
    code = main(["--db", str(db.path), "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"Erreur{NB}: «{NB}etrange.json{NB}» refusé, rien n’a été enregistré"), err
    assert words in err, err
    if where:
        assert f"{where}{NB}: " in err or f"{where} : " in err, err
    assert "Traceback" not in err and "Error" not in err and "sqlite" not in err.lower()
    assert db_fingerprint(db) == before


def test_the_base_document_itself_is_accepted(db):
    snap = exchange.from_document(base_doc())
    exchange.import_snapshot(db, snap)
    assert snapshot.load(db, ASSESSMENT).pole.name == "Pôle des Deux Rives"


def test_exactly_9999_items_in_a_quadrant_are_accepted():
    doc = base_doc()
    doc["swot"] = swot_items(9_999)
    assert len(exchange.from_document(doc).swot) == 9_999


def test_empty_profile_values_are_dropped_like_a_workbook_does():
    doc = base_doc()
    doc["assessment"]["profile"]["membres_structures"].update(source="", year=None)
    doc["assessment"]["profile"]["habitants"] = {"value": None, "source": ""}
    snap = exchange.from_document(doc)
    assert snap.assessment.profile == {"membres_structures": {"value": 42, "qualifier": "environ"}}


# --------------------------------------------------------------------------- participants' answers (services)

PARTICIPANT_CASES = [
    ("niveau 99", AnswerData("FIN.1", "answered", 99), "le niveau doit être un entier de 0 à 4 (reçu"),
    ("niveau texte", AnswerData("FIN.1", "answered", "3"), "le niveau doit être un entier de 0 à 4"),
    ("statut inconnu", AnswerData("FIN.1", "peut-être", None), "statut de réponse inconnu"),
    ("priorité « oui »", AnswerData("FIN.1", "answered", 2, priority="oui"), "la priorité doit être vrai ou faux"),
    ("commentaire non texte", AnswerData("FIN.1", "answered", 2, comment=12), "le commentaire doit être un texte"),
    ("preuves trop longues", AnswerData("FIN.1", "answered", 2, evidence="x" * 32_768), "Preuves\u00a0: texte trop long (32\u202f768 caractères"),
]


@pytest.mark.parametrize("label, answer, words", PARTICIPANT_CASES, ids=[c[0] for c in PARTICIPANT_CASES])
def test_participant_answers_from_a_file_are_checked_before_anything_is_written(db, label, answer, words):
    pole = sv_create(db)
    person = ws.add_participant(db, pole, "Awa Diallo", "ess").created
    before = db_fingerprint(db)
    incoming = pim.Incoming("awa.xlsx", {"FIN.1": answer}, participant_uuid=person)
    plan = pim.plan_import(db, pole, [incoming])
    assert len(plan.problems) == 1 and words in plan.problems[0] and plan.problems[0].startswith("awa.xlsx")
    with pytest.raises(ServiceError, match="Import refusé, rien n’a été enregistré"):
        pim.apply_import(db, plan)
    assert db_fingerprint(db) == before


def sv_create(db) -> str:
    from ptce_toolkit import services as sv

    return sv.create_assessment(db, sv.create_pole(db, "Pôle des ateliers").created, "Séance").created


def test_a_lone_surrogate_written_as_xD800_in_a_workbook_cell_is_refused(demo, tmp_path, capsys):
    import openpyxl

    from exports.xlsx_export import export_workbook

    db, uuid = demo
    path = tmp_path / "classeur.xlsx"
    export_workbook(db, uuid, path)
    wb = openpyxl.load_workbook(path)
    sheet = wb["Réponses"]
    header = next(c for row in sheet.iter_rows(max_row=10) for c in row if c.value == "Commentaire")
    sheet.cell(header.row + 1, header.column).value = "avant _xD800_ après"
    wb.save(path)
    before = db_fingerprint(db)
    assert main(["--db", str(db.path), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "caractère invalide U+D800 (moitié de paire UTF-16 isolée)" in err and "Traceback" not in err
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("doc", [
    base_doc(), {1: "\ud800", "a": ["x", {"b": "\udc00"}]}, {(1, 2): ["x" * 5000]}, "\ud800", 3, None,
    {"a": json.loads("[" * 34 + '"ok"' + "]" * 34)}, {"a": json.loads("[" * 30 + "]" * 30)},
    {"\udfff": 1, "b": {"c": ["d", "e\ud801"]}},
])
def test_the_quick_look_says_what_the_walk_says(doc):
    """The glance before the walks (exchange._leaf_strings) never hides a problem: with it or
    without it (None sends to the walk), the same problems at the same places."""
    assert exchange._structure_problems(doc) == exchange._structure_problems(doc, None)


def test_the_quick_look_at_long_texts_says_what_the_walk_says():
    doc = base_doc()
    doc["answers"][0]["comment"] = "\x01" * 5000  # 35 000 characters once escaped in a cell
    doc["swot"][0][7] = "x" * 40_000  # a key that is no string: the walk decides
    for d in (doc, base_doc()):
        quick, walked = [], []
        exchange._text_problems(d, quick)
        exchange._text_problems(d, walked, None)
        assert quick == walked
    assert quick == [] and walked == []
    exchange._text_problems(doc, quick)
    assert [p.location for p in quick] == ["$.answers[0].comment", "$.swot[0][7]"]
