"""The PDF report, checked on the generated file with poppler and qpdf.

Expected texts and scores come from the data each test writes itself (levels chosen here,
means computed by hand in the comments), never from the report code.

``python tests/test_pdf_report.py DOSSIER`` writes the demo, known and extreme reports
(and their pages as PNG) to DOSSIER, to look at them.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot
from ptce_toolkit.snapshot import ParticipantData
from tests.helpers.module_env import database_copy, isolated_env

KNOWN_POLE = "Pôle des Tisserands de l’Œuvre"
# FIN: 4 + 3 + 3 + 2 + 1 = 13 over 5 criteria -> 2.6 -> « 2,6 »
FIN_LEVELS = {"FIN.1": 4, "FIN.2": 3, "FIN.3": 3, "FIN.4": 2, "FIN.5": 1}
# TER: 1 + 2 + 2 = 5 over 3 rated criteria -> 1.666… -> « 1,7 » (TER.4 and TER.5 are sans objet)
TER_LEVELS = {"TER.1": 1, "TER.2": 2, "TER.3": 2}
TER_NA = ("TER.4", "TER.5")
# every GOV criterion is sans objet: no score, never 0
GOV_NA = ("GOV.1", "GOV.2", "GOV.3", "GOV.4", "GOV.5", "GOV.6")
# ACT.1 ne sait pas, the rest of ACT unanswered: ACT has no score either
ACT_DK = "ACT.1"
# overall index = (2.6 + 5/3) / 2 = 2.133… -> « 2,1 »; completion = 8 rated / (48 - 8 NA) = 20 %
SWOT_TEXTS = {"S": "Un atelier partagé ouvert six jours sur sept", "W": "Trésorerie tendue chaque printemps",
              "O": "Appel à projets départemental sur le textile", "T": "Fermeture annoncée de la filature voisine"}
ACTIONS = [("Monter un groupement d’achat de laine locale", "Bernadette Quintal"),
           ("Rédiger la convention d’occupation de l’atelier", "Yannick Le Goff")]
FACILITATOR = "Hortense Vasseur-Quintin"
PARTICIPANT = "Anatole Brézillon"
COMMENT = "Le comité de pilotage relit la charte chaque année en janvier."
GENESIS = "Né en 2011 dans l’arrière-boutique de la mercerie Duplantier."
SOURCE = "Comptes approuvés par l’assemblée de juin"
EVIDENCE = "Charte signée par dix-neuf structures"


def make_known(db, title: str = "Diagnostic 2026") -> str:
    pole = sv.create_pole(db, KNOWN_POLE, territory="Vallée de la Laine", department="48", region="Occitanie").created
    a = sv.create_assessment(db, pole, title, started_on="2026-11-22", facilitator=FACILITATOR).created
    for cid, lv in {**FIN_LEVELS, **TER_LEVELS}.items():
        sv.set_answer(db, a, cid, status="answered", level=lv)
    for cid in TER_NA + GOV_NA:
        sv.set_answer(db, a, cid, status="not_applicable")
    sv.set_answer(db, a, ACT_DK, status="unknown")
    sv.set_answer(db, a, "FIN.1", status="answered", level=4, comment=COMMENT, evidence=EVIDENCE, priority=True)
    sv.set_profile_value(db, a, "budget_cellule", {"value": 152000, "qualifier": "exact", "year": 2025,
                                                    "perimeter": "cellule_animation", "source": SOURCE})
    sv.set_profile_value(db, a, "genese", {"value": GENESIS})
    sv.set_profile_value(db, a, "autofinancement", {"value": 32.5, "qualifier": "exact", "year": 2025})
    items = {q: sv.add_swot_item(db, a, q, text).created for q, text in SWOT_TEXTS.items()}
    opt = sv.add_option(db, a, "Mutualiser l’achat de matières premières", swot=[items["S"], items["O"]]).created
    for title_, owner in ACTIONS:
        sv.add_action(db, a, title_, owner=owner, due_on="2027-03-31", options=[opt])
    snap = snapshot.load(db, a)
    snap.participants.append(ParticipantData("p-1", PARTICIPANT, "Collège des fondateurs"))
    snapshot.write(db, snap)
    return a


# --------------------------------------------------------------------------- helpers


def write(db, uuid, path: Path, **kw) -> Path:
    from exports.pdf_report import write_report

    write_report(db, uuid, path, **kw)
    return path


def pages_text(path: Path) -> list[str]:
    """Text of each page, every run of spaces (no-break ones included) made one space."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(p.split()) for p in out.split("\f")[:-1]]


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def outline(path: Path) -> dict[str, int]:
    """Outline entry title -> the page (from 1) it opens."""
    out = subprocess.run(["qpdf", "--json", "--json-key=outlines", str(path)], check=True, capture_output=True,
                         text=True).stdout
    entries = {}

    def walk(items):
        for it in items:
            entries[it["title"]] = it["destpageposfrom1"]
            walk(it.get("kids", []))

    walk(json.loads(out)["outlines"])
    return entries


def check_file(path: Path) -> None:
    """qpdf finds no error and every font is embedded (pdffonts « emb » column)."""
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    rows = fonts(path)
    assert rows, "aucune police dans le fichier"
    for row in rows:
        # name type [type2] encoding emb sub uni object id: emb is 5th from the end
        assert row[-5] == "yes", f"police non embarquée : {row[0]}"


# --------------------------------------------------------------------------- tests


class Report(NamedTuple):
    path: Path
    pages: list[str]
    progress: list[tuple[int, int, str]]


def render(tmp_path_factory, template: Path, uuid: str, name: str, **kw) -> Report:
    """One report written from a copy of ``template``, in an environment of its own."""
    calls = []
    with isolated_env(tmp_path_factory, f"rapport-{name}") as folder:
        with database_copy(template, folder / "base.sqlite3") as database:
            pdf = write(database, uuid, folder / f"{name}.pdf", progress=lambda *call: calls.append(call), **kw)
    return Report(pdf, pages_text(pdf), calls)


@pytest.fixture(scope="module")
def cases(tmp_path_factory, empty_template):
    """The known, the extreme and an empty assessment, written once in one database: (its path, their uuids)."""
    with isolated_env(tmp_path_factory, "rapport-cas") as folder:
        with database_copy(empty_template, folder / "cas.sqlite3") as database:
            uuids = {"known": make_known(database), "extreme": make_extreme(database),
                     "empty": sv.create_assessment(database, sv.create_pole(database, "Pôle vide").created,
                                                   "Diagnostic vide").created}
    return folder / "cas.sqlite3", uuids


@pytest.fixture
def cases_db(cases, tmp_path):
    """A copy of the cases' database for this test: (db, uuids)."""
    template, uuids = cases
    with database_copy(template, tmp_path / "cas.sqlite3") as database:
        yield database, uuids


REPORTS = {"connu": ("known", False), "anonyme": ("known", True), "extreme": ("extreme", False)}


@pytest.fixture(scope="module")
def report(cases, tmp_path_factory):
    """``report(name)``: the report named in REPORTS, rendered on first use and read by every test after."""
    template, uuids = cases

    @functools.cache
    def get(name: str) -> Report:
        case, anonymous = REPORTS[name]
        return render(tmp_path_factory, template, uuids[case], name, anonymous=anonymous)

    return get


@pytest.fixture(scope="module")
def demo_report(demo_template, tmp_path_factory) -> Report:
    template, uuid = demo_template
    return render(tmp_path_factory, template, uuid, "demo")


def test_known_assessment_text_and_file(report, ref):
    known_report = report("connu")
    check_file(known_report.path)
    pages = known_report.pages
    text = " ".join(pages)
    assert KNOWN_POLE in text
    for d in ref.domains:
        assert d.title in text
    for item in SWOT_TEXTS.values():
        assert item in text
    for title, owner in ACTIONS:
        assert title in text and owner in text
    assert "Score du domaine : 2,6 / 4" in text  # FIN
    assert "Score du domaine : 1,7 / 4" in text  # TER
    assert "2,1 / 4" in pages[1]  # overall index on the summary page
    assert "20 %" in pages[1]
    assert "152 000 €" in text and "32,5 %" in text
    assert "22 novembre 2026" in pages[0]
    for private in (COMMENT, EVIDENCE, FACILITATOR, PARTICIPANT, GENESIS, SOURCE):
        assert private in text


def test_sans_objet_and_ne_sait_pas_are_shown_as_such_never_as_zero(report, ref):
    pages = report("connu").pages
    gov_title = ref.domain("GOV").title
    gov_page = next(p for p in pages if "Score du domaine" in p and gov_title in p.split("Score du domaine")[0])
    assert "Score du domaine : non calculé" in gov_page
    assert gov_page.count(ref.not_applicable.label) >= len(GOV_NA)
    assert "0 · " + ref.levels[0].label not in " ".join(pages)  # no criterion was rated 0
    act_page = next(p for p in pages if f"{ACT_DK} " in p and "Score du domaine" in p)
    assert "Score du domaine : non calculé" in act_page
    assert ref.unknown.label in act_page


def test_anonymous_version_leaves_out_comments_and_names(report):
    anonymous_report = report("anonyme")
    check_file(anonymous_report.path)
    text = " ".join(anonymous_report.pages)
    assert KNOWN_POLE in text and "Score du domaine : 2,6 / 4" in text
    for secret in (COMMENT, EVIDENCE, FACILITATOR, PARTICIPANT, GENESIS, SOURCE, *(owner for _, owner in ACTIONS)):
        assert secret not in text
    for title, _ in ACTIONS:
        assert title in text


def test_outline_metadata_and_page_numbers(report, ref):
    pdf, pages = report("connu").path, report("connu").pages
    entries = outline(pdf)
    expected = ["Synthèse", "Plan d’action", "Annexe\u00a0: méthode"]  # no-break space before the colon
    expected += [f"{n}. {d.title}" for n, d in enumerate(ref.domains, 1)]
    for title in expected:
        page = entries[title]  # each entry opens the page that shows its heading
        assert " ".join(title.split()) in pages[page - 1], title
    assert entries["1. " + ref.domains[0].title] < entries["2. " + ref.domains[1].title]
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert KNOWN_POLE in info and "Diagnostic 2026" in info
    assert b"/Lang (fr-FR)" in pdf.read_bytes()
    total = len(pages)
    assert f"2 / {total}" in pages[1] and f"{total} / {total}" in pages[-1]


@pytest.mark.slow
def test_page_count_grows_with_content_and_empty_stays_short(cases_db, report, tmp_path):
    db, uuids = cases_db
    n_empty = page_count(write(db, uuids["empty"], tmp_path / "vide.pdf"))
    n_known = page_count(report("connu").path)
    n_big = page_count(report("extreme").path)
    assert n_empty <= 18
    assert n_empty <= n_known < n_big


def test_comparison_with_previous_assessment(cases_db, tmp_path):
    db, uuids = cases_db
    first = uuids["known"]
    pole = snapshot.load(db, first).pole.uuid
    second = sv.create_assessment(db, pole, "Diagnostic 2027", copy_from=first, started_on="2027-11-20").created
    sv.set_answer(db, second, "FIN.5", status="answered", level=3)  # FIN: 13 -> 15 over 5 = 3.0 (+0,4)
    text = " ".join(pages_text(write(db, second, tmp_path / "rapport.pdf")))
    assert "Évolution depuis le diagnostic précédent" in text
    assert "▲ +0,4" in text
    assert "Comparaison avec « Diagnostic 2026 »" in text


def test_no_comparison_for_a_first_assessment(report):
    text = " ".join(report("connu").pages)
    assert "Évolution depuis le diagnostic précédent" not in text


def test_long_tables_repeat_their_header_and_long_comments_flow_over(report):
    extreme_report = report("extreme")
    check_file(extreme_report.path)
    pages = extreme_report.pages
    header = ("Responsable", "Échéance", "Priorité", "Statut")
    plan_pages = [i for i, p in enumerate(pages) if all(word in p for word in header)]
    assert len(plan_pages) >= 2  # the action plan spans pages and its header comes back
    start = next(i for i, p in enumerate(pages) if "DÉBUT-DU-COMMENTAIRE" in p)
    end = next(i for i, p in enumerate(pages) if "FIN-DU-COMMENTAIRE" in p)
    assert end > start  # one comment longer than a page, split cleanly
    text = " ".join(pages)
    for q in "SWOT":
        assert f"Élément {q}15 " in text  # 15 per quadrant, 60 in all
    assert "\ufffd" in text  # the emoji the font lacks shows as a visible replacement mark
    assert MARKUP_LOOKALIKE in text


def test_failed_build_leaves_previous_file_untouched(cases_db, tmp_path, monkeypatch):
    from exports import pdf_report

    db, uuids = cases_db
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"ancien rapport")

    def broken(ctx):
        raise RuntimeError("panne simulée")

    real = pdf_report.sections
    monkeypatch.setattr(pdf_report, "sections", lambda ctx: real(ctx)[:3] + [("Panne", broken)])
    with pytest.raises(RuntimeError):
        pdf_report.write_report(db, uuids["known"], target)
    assert target.read_bytes() == b"ancien rapport"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_progress_reports_every_step_up_to_the_total(report):
    calls = report("connu").progress
    totals = {t for _, t, _ in calls}
    assert len(totals) == 1
    total = totals.pop()
    dones = [d for d, _, _ in calls]
    assert dones == sorted(dones) and dones[-1] == total and dones[0] >= 1
    assert all(label for _, _, label in calls)


def test_cli_report_anonymous(cases_db, tmp_path):
    from cli import main as cli

    db, uuids = cases_db
    out = tmp_path / "cli.pdf"
    assert cli.main(["--db", str(db.path), "report", uuids["known"][:8], "-o", str(out), "--anonyme"]) == 0
    text = " ".join(pages_text(out))
    assert KNOWN_POLE in text and COMMENT not in text


# --------------------------------------------------------------------------- extreme pole


MARKUP_LOOKALIKE = "Des <b>réseaux</b> & des <br/> partenaires"  # user text, never Paragraph markup
EXTREME_POLE = "Œuvre coopérative des Cœurs-Vaillants 🚀🤝 de Saint-Œillet"
EXTREME_TITLE = ("Diagnostic partagé " + "très détaillé et collectivement discuté, " * 8)[:300]


def make_extreme(db) -> str:
    """Very long comments, 60 SWOT items (and one that looks like markup), a domain all sans objet,
    emoji, a 300-character title, a 400-character word."""
    from ptce_toolkit import referential

    ref = referential.default()
    pole = sv.create_pole(db, EXTREME_POLE, territory="Plateau de l’Œil-de-Bœuf").created
    a = sv.create_assessment(db, pole, EXTREME_TITLE, started_on="2026-11-22", facilitator="Zoé Lœwenbrück").created
    sentence = ("Les membres ont longuement débattu de ce point ; chacun a pu dire ce qu’il voyait : "
                "les avis divergent encore ! Faut-il aller plus loin ? ")
    for i, c in enumerate(ref.criteria()):
        if c.domain_id == "INN":
            sv.set_answer(db, a, c.id, status="not_applicable")
            continue
        comment = sentence * 3
        if c.id == "FIN.2":
            comment = "DÉBUT-DU-COMMENTAIRE " + sentence * 60 + "\n\nDernier paragraphe. FIN-DU-COMMENTAIRE"
        evidence = "Compte rendu 🚀" if c.id != "TER.1" else "https://exemple.fr/" + "a" * 400  # one unbreakable word
        sv.set_answer(db, a, c.id, status="answered", level=i % 5, comment=comment, evidence=evidence,
                      priority=i % 7 == 0)
    for q in "SWOT":
        for n in range(1, 16):
            sv.add_swot_item(db, a, q, f"Élément {q}{n} : une formulation assez longue pour occuper deux lignes "
                             "dans la grille, comme on en écrit en atelier.", importance=1 + n % 3)
    sv.add_swot_item(db, a, "S", MARKUP_LOOKALIKE)
    swot = snapshot.load(db, a).swot
    opts = [sv.add_option(db, a, f"Option numéro {n} " + "à préciser " * 10, swot=[swot[n].uuid, swot[30 + n].uuid]).created
            for n in range(12)]
    for n in range(40):
        sv.add_action(db, a, f"Action {n + 1} : " + "mettre en œuvre la décision de l’assemblée " * 4,
                      owner="Commission « coopération »", due_on="2027-06-30", options=[opts[n % 12]])
    return a


if __name__ == "__main__":  # write the reports and their pages to look at them
    import os
    import sys
    import tempfile

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out/rapport")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PTCE_TOOLKIT_DATA", tempfile.mkdtemp())
    from ptce_toolkit import demo
    from ptce_toolkit.db import open_database

    database = open_database(Path(tempfile.mkdtemp()) / "cas.sqlite3")
    cases = {"demo": demo.create_demo(database), "connu": make_known(database), "extreme": make_extreme(database)}
    for name, uuid in cases.items():
        for anonymous in (False, True):
            pdf = write(database, uuid, out / f"{name}{'-anonyme' if anonymous else ''}.pdf", anonymous=anonymous)
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
            print(pdf, page_count(pdf), "pages")


def test_positioning_chart_page_for_the_demo(demo_report):
    pages = [" ".join(p.split()) for p in demo_report.pages]
    page = next(p for p in pages if "Positionnement : apprentissage et interaction" in p.replace("\u00a0", " "))
    # by hand (docs/METHODE.md): learning 5/5 = 1,0, interaction 13/5 = 2,6; a year earlier 11/5 = 2,2
    text = page.replace("\u00a0", " ")
    assert "interaction 2,6, apprentissage 1,0, quadrant « Écosystème coopératif »" in text
    assert "« Diagnostic 2025 » : interaction 2,2, apprentissage 1,0." in text
    assert all(q in text for q in ("Milieu innovateur", "Technopole :", "District :"))
    assert outline(demo_report.path)["Positionnement : apprentissage et interaction".replace(" :", "\u00a0:")] > 1


def test_key_figures_show_the_sources_benchmarks(demo_report):
    text = " ".join(" ".join(p.split()) for p in demo_report.pages)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Repère des sources" in text
    assert "152 000 € (médiane RTES 2013)" in text and "32 % (médiane RTES 2013)" in text
    assert "Enquête du RTES auprès de 42 PTCE (2013)" in text and "sans fixer de niveau" in text


def test_the_paragraph_shortcuts_change_nothing_in_the_file(demo, cases_db, tmp_path, monkeypatch):
    """Wrapping once per width and parsing the same markup once (pdf_styles.paragraph_class) give
    the very bytes ReportLab's own Paragraph gives: demo and extreme case, normal and anonymous,
    and the normal one a second time from the parse cache, which gives the same bytes again (so
    ReportLab's own Paragraph, which has no cache, is not run a third time)."""
    from reportlab import rl_config
    from reportlab.platypus import Paragraph

    from exports.pdf_styles import paragraph_class

    monkeypatch.setattr(rl_config, "invariant", 1)  # no date nor random id in the file
    cases = {"demo": demo, "extreme": (cases_db[0], cases_db[1]["extreme"])}

    def files(tag, runs):
        out = {}
        for name, (db, uuid) in cases.items():
            for n, anonymous in enumerate(runs):
                path = write(db, uuid, tmp_path / f"{tag}-{name}-{n}.pdf", anonymous=anonymous)
                out[name, n] = path.read_bytes()
        return out

    fast = files("rapide", (False, True, False))
    Para = paragraph_class()
    monkeypatch.setattr(Para, "wrap", Paragraph.wrap)
    monkeypatch.setattr(Para, "_setup", Paragraph._setup)
    plain = files("reportlab", (False, True))
    assert plain.keys() == {(name, n) for name in cases for n in (0, 1)}
    for key in plain:
        assert fast[key] == plain[key], key
    assert fast["demo", 0] == fast["demo", 2] and fast["extreme", 0] == fast["extreme", 2]
