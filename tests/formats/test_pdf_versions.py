"""The PDF evolution page across referential versions goes through the crosswalk and names what it leaves out;
an unexplained « Sans objet » is flagged in the report."""

from __future__ import annotations

import subprocess

from exports.pdf_report import write_report
from ptce_toolkit import referential as r
from ptce_toolkit import services as sv
from ptce_toolkit.services import carry


def _text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_evolution_page_across_versions_names_the_criteria_left_out(demo, tmp_path):
    db, uuid = demo
    v2 = r.registry().get("ptce-referentiel-action", "2.0.0")
    new, _ = carry.carry_over(db, uuid, v2, title="Diagnostic 2027", started_on="2027-11-16")
    sv.set_answer(db, new, "TER.4", level=4)
    sv.set_answer(db, new, "ECO.7", status="not_applicable")  # no reason given
    text = _text(write_report(db, new, tmp_path / "rapport.pdf"))
    page = text[text.index("Évolution depuis le diagnostic précédent"):]
    assert "version 1.0.0 du référentiel" in page
    assert "laissés de côté" in page
    start = page.index("laissés de côté")
    left = page[start:page.index(". ", start)]  # the sentence naming them
    for cid in ("FIN.6", "GOV.7", "GOV.8", "ECO.7", "INN.6"):
        assert cid in left, cid
    assert "TER.4" not in left
    assert "TER.4 Notre pôle est inscrit" in page  # a comparable criterion whose answer changed is listed
    # objectives and the unexplained « Sans objet » in the reading section
    assert "Objectifs fédérateurs" in text and "Dynamisme économique du territoire" in text
    assert "sans explication dans le commentaire : ECO.7" in text.replace("\u00a0", " ")
