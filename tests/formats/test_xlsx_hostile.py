"""A corpus of hostile or damaged workbooks: each gets its own clear French message and the
database is left exactly as it was. The corpus is generated once per session."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from exports.xlsx_cells import put_text
from exports.xlsx_import import WorkbookRefused, import_workbook
from exports.xlsx_template import write_template
from tests.helpers.module_env import isolated_env
from tests.helpers.shared import built_once
from tests.helpers.workbook_copies import load_copy
from tests.helpers.xlsx import db_fingerprint

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&lol4;</sheets></workbook>"""


def _rezip(src: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return out.getvalue()


def _edited(base, out, edit):
    wb = load_copy(base)  # openpyxl.load_workbook(base), parsed once per process
    edit(wb)
    wb.save(out)
    return out.read_bytes()


def _meta(key, value):
    def edit(wb):
        ws = wb["_meta"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
    return edit


def _prepare(wb):
    """A valid filled questionnaire: pole name and one answer."""
    wb["Profil"]["C4"] = "Pôle témoin"
    wb["Réponses"]["D4"] = 2


def _then(*edits):
    def edit(wb):
        _prepare(wb)
        for e in edits:
            e(wb)
    return edit


def _set(sheet, cell, value):
    def edit(wb):
        wb[sheet][cell] = value
    return edit


def _set_profile(code, value):
    def edit(wb):
        ws = wb["Profil"]
        row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[9].value == code)
        ws.cell(row, 3).value = value
    return edit


def _merge(wb):
    wb["Réponses"].merge_cells("D5:D7")


def _rename(old, new):
    def edit(wb):
        wb[old].title = new
    return edit


def _drop_meta(wb):
    del wb["_meta"]


def _duplicate_criterion(wb):
    put_text(wb["Réponses"]["B5"], "FIN.1")


# name -> (builder(tmp, base) -> bytes, words the message must contain)
CORPUS = {
    "vide.xlsx": (lambda d, b: b"", ["vide"]),
    "tronque.xlsx": (lambda d, b: b.read_bytes()[: len(b.read_bytes()) // 2], ["tronquée"]),
    "tableau.csv.xlsx": (lambda d, b: "critère;niveau\nFIN.1;3\n".encode("utf-8"), ["CSV"]),
    "rapport.pdf.xlsx": (lambda d, b: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", ["PDF"]),
    "ancien.xls": (lambda d, b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, ["97-2003"]),
    "libreoffice.ods": (lambda d, b: _ods(), [".ods"]),
    "bombe.xlsx": (lambda d, b: _rezip(b.read_bytes(), {"xl/worksheets/sheet3.xml": b"<" + b" " * 30_000_000}),
                   ["bombe"]),
    "entites.xlsx": (lambda d, b: _rezip(b.read_bytes(), {"xl/workbook.xml": BILLION_LAUGHS}), ["interdite"]),
    "formule.xlsx": (lambda d, b: _edited(b, d / "f.xlsx", _then(_set("Réponses", "D6", "=1+2"))),
                     ["Réponses", "D6", "formule"]),
    "fusion.xlsx": (lambda d, b: _edited(b, d / "m.xlsx", _then(_merge)), ["fusionnées", "D5:D7"]),
    "hors_echelle.xlsx": (lambda d, b: _edited(b, d / "h.xlsx", _then(_set("Réponses", "D8", 7))),
                          ["D8", "hors de l’échelle"]),
    "niveau_texte.xlsx": (lambda d, b: _edited(b, d / "t.xlsx", _then(_set("Réponses", "D9", "trois"))),
                          ["D9", "ambigu"]),
    "sans_meta.xlsx": (lambda d, b: _edited(b, d / "s.xlsx", _then(_drop_meta)), ["_meta", "supprimée"]),
    "renommee.xlsx": (lambda d, b: _edited(b, d / "r.xlsx", _then(_rename("Réponses", "Feuil3"))),
                      ["Réponses", "introuvable", "Feuil3"]),
    "ancien_referentiel.xlsx": (lambda d, b: _edited(b, d / "o.xlsx", _then(_meta("referential_version", "0.9.0"))),
                                ["0.9.0", "n’est pas installé"]),
    "format_futur.xlsx": (lambda d, b: _edited(b, d / "v.xlsx", _then(_meta("format_version", 2))),
                          ["version 2", "plus récent"]),
    "critere_double.xlsx": (lambda d, b: _edited(b, d / "c.xlsx", _then(_duplicate_criterion)),
                            ["B5", "FIN.1", "deux fois"]),
    "critere_inconnu.xlsx": (lambda d, b: _edited(b, d / "u.xlsx", _then(_set("Réponses", "B10", "XYZ.9"))),
                             ["B10", "XYZ.9", "inconnu"]),
    "mojibake.xlsx": (lambda d, b: _edited(b, d / "j.xlsx", _then(_set("Profil", "C4", "PÃ´le du Lison"))),
                      ["C4", "mal encodé", "Pôle du Lison"]),
    "chiffre_texte.xlsx": (lambda d, b: _edited(b, d / "n.xlsx", _then(_set_profile("membres_structures", "beaucoup"))),
                           ["Profil", "«\u00a0beaucoup\u00a0»", "n’est pas un nombre"]),
    "repere_inconnu.xlsx": (lambda d, b: _edited(b, d / "k.xlsx", _then(_set("Options", "B4", "Une option"),
                                                                         _set("Options", "C4", "FO9"))),
                            ["Options", "C4", "FO9"]),
    "pas_ptce.xlsx": (lambda d, b: _foreign(d), ["pas été produit par PTCE Toolkit"]),
}


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def _foreign(d) -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Un classeur quelconque"
    wb.save(d / "autre.xlsx")
    return (d / "autre.xlsx").read_bytes()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """Built once per session for all workers (tests/formats/test_fast_book.py imports this
    fixture too): the folder of hostile files, beside the base they are made from."""
    def build(d):
        out = d / "corpus"
        out.mkdir(exist_ok=True)
        with isolated_env(tmp_path_factory, "corpus-donnees"):
            base = write_template(d / "base.xlsx", pole_name="Pôle témoin")
            for name, (make, _) in CORPUS.items():
                (out / name).write_bytes(make(d, base))

    folder, _ = built_once(tmp_path_factory, "corpus-hostile", build)
    return folder / "corpus"


def test_the_base_of_the_corpus_is_importable(corpus, tmp_path, db):
    """Each hostile file is this one plus one defect, so each refusal is due to its defect."""
    path = tmp_path / "ok.xlsx"
    _edited(corpus.parent / "base.xlsx", path, _then())
    import_workbook(db, path)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_gets_its_own_message_and_writes_nothing(name, corpus, db, demo):
    db, _ = demo
    before = db_fingerprint(db)
    start = time.perf_counter()
    with pytest.raises(WorkbookRefused) as err:
        import_workbook(db, corpus / name)
    elapsed = time.perf_counter() - start
    message = str(err.value)
    assert name in message and "rien n’a été enregistré" in message
    for word in CORPUS[name][1]:
        assert word in message, (word, message)
    assert db_fingerprint(db) == before
    print(f"{name}: {elapsed * 1000:.0f} ms — {message}")


def test_accent_insensitive_sheet_name_is_accepted_with_a_note(corpus, tmp_path, db):
    path = tmp_path / "reponses.xlsx"
    _edited(corpus.parent / "base.xlsx", path, _then(_rename("Réponses", "REPONSES")))
    result = import_workbook(db, path)
    assert any("« REPONSES » reconnue comme « Réponses »" in n for n in result.notes)
