"""Whatever the JSON import accepts (generated documents at the format's limits: hostile texts,
longest texts, extreme numbers and years), every export writes and re-imports identically:
JSON and workbook, and the PDF report builds.

Not among pyproject's ``coverage_tests``: it runs without the coverage tracer (≈ 70 % slower
under it); the lines of exchange.py it runs are proven by the listed test files.
"""

from __future__ import annotations

import copy
import json
import shutil
import uuid as uuid_mod

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_toolkit import exchange, snapshot, text_limits
from tests.helpers.documents import base_doc

WORDS = st.text(st.sampled_from("abcdeéèàç œ’«»—€"), min_size=1, max_size=12)


def long_text(limit: int):
    """Texts at and just under a limit (with word breaks: unbroken runs are issue 16 item 5)."""
    return st.sampled_from([limit, limit - 1, 1]).map(lambda n: ("mot " * (n // 4 + 1))[:n].strip() or "m")


HOSTILE = ["=1+1", "@SUM(A1)", "ligne 1\nligne 2", "\tx", "_x0041_ littéral", "contrôle \x01\x1f",
           "emoji 🌱", "  espaces  ", "＝plein", "« guillemets »"]
short = st.one_of(st.just(""), st.sampled_from(HOSTILE), WORDS, long_text(1000))  # "str" fields of the schema
texts = st.one_of(st.just(""), st.sampled_from(HOSTILE), WORDS, long_text(text_limits.MAX_CELL_CHARS))


@st.composite
def accepted_documents(draw, ref):
    doc = base_doc()
    doc["pole"].update(uuid=str(uuid_mod.uuid4()), name=draw(st.sampled_from(["P", "Pôle =1", "é" * 300])),
                       aliases=draw(st.lists(st.sampled_from(["A", "B é", "x" * 300]), unique=True, max_size=3)),
                       territory=draw(st.sampled_from(["", "t" * 1000, "=x"])), creation_year=draw(
                           st.sampled_from([None, 1800, 2200])))
    profile = {}
    for f in draw(st.lists(st.sampled_from(ref.profile_fields), unique_by=lambda f: f.id, max_size=5)):
        if f.type == "choice":
            value = draw(st.sampled_from([c.id for c in f.choices]))
        elif f.type in ("integer", "decimal", "money", "percent"):
            value = draw(st.sampled_from([0, -10**15, 10**15, 2.5, 1e15, 999_999_999_999_999]))
        else:
            value = draw(texts.filter(bool))
        profile[f.id] = {"value": value, "year": draw(st.sampled_from([None, 1800, 2200])),
                         "qualifier": draw(st.sampled_from(["", *[q.id for q in ref.qualifiers]])),
                         "source": draw(short)}
    doc["assessment"].update(uuid=str(uuid_mod.uuid4()), title=draw(st.sampled_from(["T", "t" * 300])),
                             started_on=draw(st.sampled_from(["", "2024-02-29", "2026-12-31"])),
                             facilitator=draw(st.sampled_from(["", "f" * 1000])), profile=profile)
    doc["answers"] = [{"criterion": c, "status": "answered", "level": draw(st.integers(0, 4)),
                       "comment": draw(texts), "evidence": draw(texts), "priority": draw(st.booleans())}
                      for c in draw(st.lists(st.sampled_from([c.id for c in ref.criteria()]), unique=True,
                                             max_size=3))]
    doc["swot"] = [{"uuid": str(uuid_mod.uuid4()), "quadrant": q, "text": draw(texts.filter(str.strip))}
                   for q in draw(st.lists(st.sampled_from("SWOT"), max_size=4))]
    doc["actions"] = [{"uuid": str(uuid_mod.uuid4()), "title": draw(st.sampled_from(["a", "a" * 1000])),
                       "due_on": draw(st.sampled_from(["", "2028-02-29"])), "owner": draw(short)}]
    doc["participants"] = [{"uuid": str(uuid_mod.uuid4()), "name": draw(st.sampled_from(["Awa", "n" * 300])),
                            "answers": [{"criterion": "FIN.1", "status": "answered", "level": 1,
                                         "comment": draw(texts)}]}]
    return doc


def _comparable(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc.pop("exported_at", None)
    return doc


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_whatever_the_import_accepts_every_export_writes_and_reimports(data, ref, tmp_path_factory,
                                                                      empty_template):
    from exports.pdf_report import write_report
    from exports.xlsx_export import export_workbook
    from exports.xlsx_import import import_workbook

    doc = data.draw(accepted_documents(ref))
    folder = tmp_path_factory.mktemp("aller-retour")
    first, second, third = (empty_database(empty_template, folder / f"{n}.sqlite3") for n in ("un", "deux", "trois"))
    try:
        uuid = exchange.import_file(first, _write(folder / "entree.json", doc)).assessment_uuid
        expected = _comparable(exchange.to_document(snapshot.load(first, uuid), ref))
        # JSON: export, re-import elsewhere, same document
        exchange.export_file(first, uuid, folder / "sortie.json")
        exchange.import_file(second, folder / "sortie.json")
        assert _comparable(exchange.to_document(snapshot.load(second, uuid), ref)) == expected
        # workbook: export, re-import elsewhere, same document
        export_workbook(first, uuid, folder / "sortie.xlsx")
        import_workbook(third, folder / "sortie.xlsx")
        assert _comparable(exchange.to_document(snapshot.load(third, uuid), ref)) == expected
        # and the report builds
        write_report(first, uuid, folder / "rapport.pdf")
        assert (folder / "rapport.pdf").read_bytes().startswith(b"%PDF")
    finally:
        for d in (first, second, third):
            d.close()


def _write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def empty_database(template, path):
    """A new empty database: a copy of the session's, already migrated (migrating takes ≈ 0.15 s)."""
    from ptce_toolkit.db import open_database

    shutil.copyfile(template, path)
    return open_database(path)
