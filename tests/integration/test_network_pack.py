"""The network loop from the command line: consolidate → repères → a pole imports them → its position."""

from __future__ import annotations

import json

from cli.main import main
from exports.xlsx_export import export_workbook
from ptce_toolkit import services as sv


def test_consolidation_writes_repères_and_a_pole_sees_its_position(db, ref, tmp_path, capsys):
    gov = next(d for d in ref.domains if d.id == "GOV")
    folder = tmp_path / "envois"
    folder.mkdir()
    uuids = []
    # six poles, GOV answered everywhere at one level: GOV scores 0, 1, 2, 2, 3, 4
    for i, level in enumerate([0, 1, 2, 2, 3, 4]):
        pole = sv.create_pole(db, f"Pôle {i}", region="Bretagne" if i < 5 else "Corse").created
        a = sv.create_assessment(db, pole, "Diagnostic 2026").created
        for c in gov.criteria:
            sv.set_answer(db, a, c.id, level=level)
        export_workbook(db, a, folder / f"pole_{i}.xlsx")
        uuids.append(a)
    reperes = tmp_path / "reperes.json"
    code = main(["--db", str(tmp_path / "reseau.sqlite3"), "consolidate", str(folder), "-o",
                 str(tmp_path / "synthese.xlsx"), "--workers", "1", "--quiet", "--reperes", str(reperes),
                 "--nom-reseau", "Réseau breton"])
    assert code == 0
    pack = json.loads(reperes.read_text(encoding="utf-8"))
    # 0 1 2 2 3 4: median 2, quartiles 1.25 and 2.75
    whole = next(g for g in pack["groupes"] if g["decoupage"] == "ensemble")
    assert whole["chiffres"]["GOV"] == {"n": 6, "mediane": 2, "q1": 1.25, "q3": 2.75}
    # Bretagne alone (5) would leave Corse (1) visible by difference: no region is published
    assert [g for g in pack["groupes"] if g["decoupage"] == "region"] == []

    capsys.readouterr()
    assert main(["reperes", str(reperes)]) == 0
    assert main(["--db", str(db.path), "position", uuids[5][:8]]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith(gov.title[:40]))
    assert "votre pôle 4,0, médiane 2,0, quartiles " in line and "(n\u00a0=\u00a06)" in line
    assert line.endswith("\u00a0: au-dessus du 3e quartile")
    assert "Réseau breton" in out


def test_a_refused_pack_changes_nothing(tmp_path, capsys):
    from ptce_toolkit import benchmark

    bad = tmp_path / "reperes.json"
    bad.write_text('{"format": "ptce-reperes", "version": 1, "version": 2}', encoding="utf-8")
    assert main(["reperes", str(bad)]) == 2
    assert "apparaît deux fois" in capsys.readouterr().err
    assert list(benchmark.packs_dir().iterdir()) == []


def test_a_pole_sent_twice_is_counted_once_in_the_pack(db, ref, tmp_path):
    """« Pôle Amont » filled twice under two identifiers (flagged by the consolidation), and
    « Pôle Aval » assessed two years running: 7 workbooks, 5 poles in the pack."""
    from exports.consolidate import consolidate_folder
    from exports.network_pack import pack_from_entries

    gov = next(d for d in ref.domains if d.id == "GOV")
    folder = tmp_path / "envois"
    folder.mkdir()
    sent = [("Pôle Amont", "2026", 0), ("Pôle Amont", "2026", 4), ("Pôle Aval", "2025", 0), ("Pôle Aval", "2026", 3),
            ("Pôle Bief", "2026", 1), ("Pôle Crue", "2026", 2), ("Pôle Delta", "2026", 2)]
    aval = None
    for i, (name, year, level) in enumerate(sent):
        if name == "Pôle Aval":
            aval = aval or sv.create_pole(db, name, region="Bretagne").created
            pole = aval
        else:
            pole = sv.create_pole(db, name, region="Bretagne").created
        a = sv.create_assessment(db, pole, f"Diagnostic {year}", started_on=f"{year}-03-01").created
        for c in gov.criteria:
            sv.set_answer(db, a, c.id, level=level)
        export_workbook(db, a, folder / f"envoi_{i}.xlsx")
    result = consolidate_folder(folder, tmp_path / "synthese.xlsx", workers=1)
    assert len(result.entries) == 7 and any("identifiants" in f.kind for f in result.flags)
    pack = pack_from_entries(result.entries, name="Réseau")
    whole = next(g for g in pack["groupes"] if g["decoupage"] == "ensemble")
    assert whole["poles"] == 5
    # one Amont (the more recent copy), Aval 2026 only, Bief, Crue, Delta
    assert whole["chiffres"]["GOV"]["n"] == 5
    assert next(g for g in pack["groupes"] if g["decoupage"] == "region")["poles"] == 5


def test_the_pdf_report_shows_the_pole_against_the_network(db, ref, tmp_path):
    """The report gets « Repères du réseau » once a pack for its referential is imported."""
    import shutil
    import subprocess
    from datetime import date

    import pytest

    from exports.pdf_report import write_report
    from ptce_toolkit import benchmark as bm
    from ptce_toolkit.records import AnswerData

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    gov = next(d for d in ref.domains if d.id == "GOV")
    a = sv.create_assessment(db, sv.create_pole(db, "Pôle Haut").created, "Diagnostic 2026").created
    for c in gov.criteria:
        sv.set_answer(db, a, c.id, level=4)

    def text():
        write_report(db, a, tmp_path / "r.pdf")
        out = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True)
        return " ".join(out.stdout.decode().split())

    assert "Repères du réseau" not in text()
    # five poles, every GOV criterion at 0…4: median 2, quartiles 1 and 3
    poles = [bm.PoleFigures(f"p{lv}", {c.id: AnswerData(c.id, "answered", lv) for c in gov.criteria},
                            {"region": "", "type_territoire": ""}) for lv in range(5)]
    bm.install_pack(bm.write_pack(bm.build_pack(ref, poles, name="Réseau des Hauts", made_on=date(2026, 11, 30)),
                                  tmp_path / "reperes.json"))
    flat = text()
    n = [d.id for d in ref.domains].index("GOV") + 1
    assert "Repères «\u00a0Réseau des Hauts\u00a0» du 30/11/2026".replace("\u00a0", " ") in flat
    assert f"{n}. {gov.title} 4,0 2,0 1,0 – 3,0 5 au-dessus du 3e quartile" in flat
