"""Whatever the app stores, its exports import again: for every text a user can type, the
services accept exactly the texts the JSON import accepts (the format's lengths, and one
workbook cell counted after its escapes); the same for years, dates, figures, the number of
other names and a figure's precision. A value the services refuse changes nothing.

The importer is the oracle: each text is put in a small valid document and read with
``exchange.from_document``; the same text goes through the service that stores that field.
"""

from __future__ import annotations

import json
import shutil
import uuid as uuid_mod

import pytest

from ptce_toolkit import exchange
from ptce_toolkit.db import open_database
from ptce_toolkit import services as sv
from ptce_toolkit import snapshot, text_limits
from ptce_toolkit.services import workshop
from tests.helpers.documents import base_doc

# Lengths around the format's limits, a text whose workbook escapes push it over one cell
# while its own length fits, and emoji (two UTF-16 units each in a cell).
TEXTS = {f"{n} lettres": "x" * n for n in (1, 299, 300, 301, 999, 1000, 1001, 32_766, 32_767, 32_768)}
TEXTS |= {"4 681 contrôles": "\x01" * 4_681, "4 682 contrôles": "\x01" * 4_682,
          "16 383 émojis": "🌱" * 16_383, "16 384 émojis": "🌱" * 16_384}


def _doc(put) -> dict:
    doc = base_doc()
    put(doc)
    return doc


def _new(**fields):
    return dict(uuid=str(uuid_mod.uuid4()), **fields)


# field: (how the service stores the text, how a document carries it)
FIELDS = {
    "nom du pôle": (lambda db, a, p, t: sv.update_pole(db, p, name=t),
                    lambda d, t: d["pole"].update(name=t)),
    "autre nom": (lambda db, a, p, t: sv.update_pole(db, p, aliases=[t]),
                  lambda d, t: d["pole"].update(aliases=[t])),
    "territoire": (lambda db, a, p, t: sv.update_pole(db, p, territory=t),
                   lambda d, t: d["pole"].update(territory=t)),
    "titre": (lambda db, a, p, t: sv.update_assessment(db, a, title=t),
              lambda d, t: d["assessment"].update(title=t)),
    "animation": (lambda db, a, p, t: sv.update_assessment(db, a, facilitator=t),
                  lambda d, t: d["assessment"].update(facilitator=t)),
    "profil (texte)": (lambda db, a, p, t: sv.set_profile_value(db, a, "accroche", {"value": t}),
                       lambda d, t: d["assessment"].update(profile={"accroche": {"value": t}})),
    "profil (source)": (lambda db, a, p, t: sv.set_profile_value(db, a, "accroche", {"value": "v", "source": t}),
                        lambda d, t: d["assessment"].update(profile={"accroche": {"value": "v", "source": t}})),
    "élément AFOM": (lambda db, a, p, t: sv.add_swot_item(db, a, "S", t),
                     lambda d, t: d["swot"].append(_new(quadrant="S", text=t))),
    "option": (lambda db, a, p, t: sv.add_option(db, a, t),
               lambda d, t: d.setdefault("options", []).append(_new(text=t))),
    "intitulé d’action": (lambda db, a, p, t: sv.add_action(db, a, t),
                          lambda d, t: d["actions"].append(_new(title=t))),
    "responsable d’action": (lambda db, a, p, t: sv.add_action(db, a, "Plan", owner=t),
                             lambda d, t: d["actions"].append(_new(title="Plan", owner=t))),
    "commentaire": (lambda db, a, p, t: sv.set_answer(db, a, "FIN.2", level=2, comment=t),
                    lambda d, t: d["answers"].append({"criterion": "FIN.2", "status": "answered", "level": 2,
                                                      "comment": t})),
    "preuves": (lambda db, a, p, t: sv.set_answer(db, a, "FIN.2", level=2, evidence=t),
                lambda d, t: d["answers"].append({"criterion": "FIN.2", "status": "answered", "level": 2,
                                                  "evidence": t})),
    "participant": (lambda db, a, p, t: workshop.add_participant(db, a, t),
                    lambda d, t: d["participants"].append(_new(name=t))),
    "commentaire d’un participant": (
        lambda db, a, p, t: workshop.set_rating(db, a, workshop.list_participants(db, a)[0].uuid, "FIN.2",
                                                level=1, comment=t),
        lambda d, t: d["participants"][0]["answers"].append({"criterion": "FIN.2", "status": "answered",
                                                              "level": 1, "comment": t})),
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory, empty_template):
    """A base holding base_doc's assessment (its pole, a participant…), copied for each case."""
    path = tmp_path_factory.mktemp("limites") / "base.sqlite3"
    shutil.copyfile(empty_template, path)
    db = open_database(path)
    folder = tmp_path_factory.mktemp("limites-doc")
    source = folder / "doc.json"
    source.write_text(json.dumps(base_doc(), ensure_ascii=False), encoding="utf-8")
    uuid = exchange.import_file(db, source).assessment_uuid
    db.close()
    return path, uuid


def _import_accepts(put, text) -> bool:
    try:
        exchange.from_document(_doc(lambda d: put(d, text)))
    except exchange.ImportRefused:
        return False
    return True


@pytest.fixture
def base(imported, tmp_path):
    """(database, assessment, pole): a copy of the module's base."""
    path = tmp_path / "base.sqlite3"
    shutil.copyfile(imported[0], path)
    db = open_database(path)
    yield db, imported[1], snapshot.load(db, imported[1]).pole.uuid
    db.close()


def _verdicts(base, field, store, put, candidates) -> dict:
    """For each candidate: (the service stored it, the import accepts it). A refusal must
    change nothing and name the field in French, not by a JSON path."""
    db, a, p = base
    verdicts = {}
    for value in candidates:
        before = exchange.to_document(snapshot.load(db, a))
        try:
            store(db, a, p, value)
        except sv.ServiceError as exc:
            stored = False
            after = exchange.to_document(snapshot.load(db, a))
            before.pop("exported_at"), after.pop("exported_at")
            assert after == before, f"{field} : refusé mais la base a changé"
            assert "\u00a0: " in str(exc) and "$." not in str(exc), str(exc)
        else:
            stored = True
        verdicts[value if not isinstance(value, str) or len(value) < 20 else f"{len(value)} car."] = (
            stored, _import_accepts(put, value))
    assert all(s == i for s, i in verdicts.values()), {k: v for k, v in verdicts.items() if v[0] != v[1]}
    assert any(not s for s, _ in verdicts.values()), "aucune limite atteinte : le cas ne prouve rien"
    assert any(s for s, _ in verdicts.values()), "rien d’accepté : le cas ne prouve rien"
    return verdicts


@pytest.mark.parametrize("field", FIELDS)
def test_the_services_accept_exactly_what_the_import_accepts(field, base):
    _verdicts(base, field, *FIELDS[field], TEXTS.values())


# Values other than texts: (how the service stores it, how a document carries it, values
# on both sides of what the format allows).
VALUES = {
    "année de création": (lambda db, a, p, v: sv.update_pole(db, p, creation_year=v),
                          lambda d, v: d["pole"].update(creation_year=v), (1799, 1800, 2014, 2200, 2201)),
    "autres noms": (lambda db, a, p, v: sv.update_pole(db, p, aliases=[f"nom {i}" for i in range(v)]),
                    lambda d, v: d["pole"].update(aliases=[f"nom {i}" for i in range(v)]), (0, 100, 101)),
    "date de début": (lambda db, a, p, v: sv.update_assessment(db, a, started_on=v),
                      lambda d, v: d["assessment"].update(started_on=v),
                      ("2024-02-29", "2023-02-29", "2026-13-01", "26/01/2026")),
    "chiffre du profil": (lambda db, a, p, v: sv.set_profile_value(db, a, "membres_structures", {"value": v}),
                          lambda d, v: d["assessment"].update(profile={"membres_structures": {"value": v}}),
                          (10**15, 10**15 + 1, -(10**15) - 1, 2.5)),
    "année d’un chiffre": (
        lambda db, a, p, v: sv.set_profile_value(db, a, "membres_structures", {"value": 3, "year": v}),
        lambda d, v: d["assessment"].update(profile={"membres_structures": {"value": 3, "year": v}}),
        (1799, 1800, 2200, 2201)),
    "précision d’un chiffre": (
        lambda db, a, p, v: sv.set_profile_value(db, a, "membres_structures", {"value": 3, "qualifier": v}),
        lambda d, v: d["assessment"].update(profile={"membres_structures": {"value": 3, "qualifier": v}}),
        ("environ", "à peu près")),
}


@pytest.mark.parametrize("field", VALUES)
def test_other_values_the_services_store_are_the_ones_the_import_accepts(field, base):
    _verdicts(base, field, *VALUES[field])


def test_an_assessment_with_every_text_at_its_limit_exports_and_imports_again(base, tmp_path, empty_template):
    """Each field filled with the longest text the services take, then JSON and workbook
    exports, each imported into an empty base: the same document comes back."""
    from exports.xlsx_export import export_workbook
    from exports.xlsx_import import import_workbook

    db, a, p = base
    for field, (store, _) in FIELDS.items():
        longest = None
        for text in sorted(TEXTS.values(), key=len, reverse=True):
            try:
                store(db, a, p, text)
            except sv.ServiceError:
                continue
            longest = text
            break
        assert longest is not None and len(longest) >= 300, field
    expected = exchange.to_document(snapshot.load(db, a))
    expected.pop("exported_at")
    for n, (write, read) in enumerate(((exchange.export_file, exchange.import_file),
                                       (export_workbook, import_workbook))):
        out = write(db, a, tmp_path / f"sortie{n}.{'json' if n == 0 else 'xlsx'}")
        copy_path = tmp_path / f"vide{n}.sqlite3"
        shutil.copyfile(empty_template, copy_path)
        other = open_database(copy_path)
        try:
            read(other, out)
            got = exchange.to_document(snapshot.load(other, a))
            got.pop("exported_at")
            assert got == expected
        finally:
            other.close()


def test_the_limits_are_the_schema_s():
    """Read with an empty cache (another test of this process may have filled it untraced),
    against the schema as this test reads it."""
    schema = json.loads(text_limits.SCHEMA_PATH.read_text(encoding="utf-8"))
    props, defs = schema["properties"], schema["$defs"]
    text_limits.schema_limit.cache_clear()
    assert text_limits.max_length("pole", "name") == props["pole"]["properties"]["name"]["maxLength"] == 300
    assert text_limits.max_length("pole", "aliases", "[]") == props["pole"]["properties"]["aliases"]["items"][
        "maxLength"]
    assert text_limits.max_length("assessment", "profile", "*", "source") == defs["str"]["maxLength"] == 1000
    assert text_limits.max_length("answers", "[]", "comment") == defs["text"]["maxLength"] == 32_767
    assert text_limits.max_items("participants") == props["participants"]["maxItems"] == 500


def test_a_session_takes_as_many_participants_as_an_export_carries(tmp_path, empty_template):
    """A session of 500 (brought in by an import, faster than 500 additions) takes no 501st."""
    from ptce_toolkit.services import workshop as ws

    doc = base_doc()
    doc["participants"] = [_new(name=f"Participant {n}") for n in range(500)]
    source = tmp_path / "cinq-cents.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    shutil.copyfile(empty_template, tmp_path / "base.sqlite3")
    db = open_database(tmp_path / "base.sqlite3")
    try:
        a = exchange.import_file(db, source).assessment_uuid
        before = exchange.to_document(snapshot.load(db, a))
        with pytest.raises(sv.ServiceError, match="au plus 500 participants"):
            ws.add_participant(db, a, "Participant 500")
        after = exchange.to_document(snapshot.load(db, a))
        before.pop("exported_at"), after.pop("exported_at")
        assert after == before and len(after["participants"]) == 500
        after["participants"].append(_new(name="Participant 500"))
        with pytest.raises(exchange.ImportRefused):
            exchange.from_document(after)  # an export with one more would not come back
    finally:
        db.close()
