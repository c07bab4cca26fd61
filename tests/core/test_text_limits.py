"""Whatever the app stores, its exports import again: for every text a user can type, the
services accept exactly the texts the JSON import accepts (the format's lengths, and one
workbook cell counted after its escapes). A text the services refuse changes nothing.

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


@pytest.mark.parametrize("field", FIELDS)
def test_the_services_accept_exactly_what_the_import_accepts(field, imported, tmp_path):
    store, put = FIELDS[field]
    path = tmp_path / "base.sqlite3"
    shutil.copyfile(imported[0], path)
    db = open_database(path)
    try:
        a = imported[1]
        p = snapshot.load(db, a).pole.uuid
        agreed = {}
        for name, text in TEXTS.items():
            before = exchange.to_document(snapshot.load(db, a))
            try:
                store(db, a, p, text)
            except sv.ServiceError as exc:
                stored, message = False, str(exc)
            else:
                stored, message = True, ""
            agreed[name] = (stored, _import_accepts(put, text))
            if not stored:
                assert "trop long" in message and "au plus" in message, message
                after = exchange.to_document(snapshot.load(db, a))
                before.pop("exported_at"), after.pop("exported_at")
                assert after == before, f"{field} : refusé mais la base a changé"
        assert all(s == i for s, i in agreed.values()), {k: v for k, v in agreed.items() if v[0] != v[1]}
        assert any(not s for s, _ in agreed.values()), "aucune limite atteinte : le cas ne prouve rien"
    finally:
        db.close()


def test_an_assessment_with_every_text_at_its_limit_exports_and_imports_again(imported, tmp_path, empty_template):
    """Each field filled with the longest text the services take, then JSON and workbook
    exports, each imported into an empty base: the same document comes back."""
    from exports.xlsx_export import export_workbook
    from exports.xlsx_import import import_workbook

    path = tmp_path / "base.sqlite3"
    shutil.copyfile(imported[0], path)
    db = open_database(path)
    a = imported[1]
    p = snapshot.load(db, a).pole.uuid
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
    db.close()


def test_the_limits_are_the_schema_s():
    """Read with an empty cache (another test of this process may have filled it untraced),
    against the schema as this test reads it."""
    schema = json.loads(text_limits.SCHEMA_PATH.read_text(encoding="utf-8"))
    props, defs = schema["properties"], schema["$defs"]
    text_limits.max_length.cache_clear()
    assert text_limits.max_length("pole", "name") == props["pole"]["properties"]["name"]["maxLength"] == 300
    assert text_limits.max_length("pole", "aliases", "[]") == props["pole"]["properties"]["aliases"]["items"][
        "maxLength"]
    assert text_limits.max_length("assessment", "profile", "*", "source") == defs["str"]["maxLength"] == 1000
    assert text_limits.max_length("answers", "[]", "comment") == defs["text"]["maxLength"] == 32_767
