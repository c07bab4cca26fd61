"""Helpers shared by the workbook tests: database fingerprint, generated assessments."""

from __future__ import annotations

import hashlib

from hypothesis import strategies as st
from sqlalchemy import text

from ptce_toolkit import exchange
from ptce_toolkit.snapshot import (
    ActionData, AnswerData, AssessmentData, OptionData, ParticipantData, PoleData, Snapshot, SwotData,
)


def db_fingerprint(db) -> str:
    """sha256 over every row of every table: equal fingerprints = nothing was written."""
    h = hashlib.sha256()
    with db.connection() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))]
        for t in tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{t}"')))
            h.update(t.encode())
            for r in rows:
                h.update(r.encode())
    return h.hexdigest()


def content(snap, ref) -> dict:
    doc = exchange.to_document(snap, ref)
    doc.pop("exported_at")
    return doc


# ------------------------------------------------------------------ generated assessments

HOSTILE = ["=1+1", "+33 6 12 34 56 78", "-5", "@SUM(A1)", '=HYPERLINK("http://exemple.invalid","clic")',
           "\t=tab", "ligne 1\nligne 2", "ligne\r\nWindows", "« guillemets » et l’apostrophe",
           'des "doubles" et des \'simples\'', "emoji 🌱🤝", "_x0041_ littéral", "＝plein", "contrôle \x01\x07\x1f",
           "  espaces autour  ", "œ € — ’"]
texts = st.one_of(st.sampled_from(HOSTILE),
                  st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
                  st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@", ""]),
                            st.text(st.characters(exclude_categories=("Cs",)), max_size=40)))
# names and item texts are trimmed and must say something (the format refuses blank ones)
solid = texts.map(lambda s: s.strip()).filter(lambda s: s != "" and s.strip() == s)
single_line = solid.filter(lambda s: "\n" not in s and "\r" not in s and s.strip() == s)
dates = st.one_of(st.just(""), st.dates(min_value=__import__("datetime").date(1990, 1, 1),
                                          max_value=__import__("datetime").date(2099, 12, 31)).map(str))
# fresh random uuids: hypothesis' own uuids repeat across examples, which would collide in one database
uuids = st.builds(lambda: str(__import__("uuid").uuid4()))


# where a carried-over answer came from (services.carry writes « 1.0.0:GOV.4, 1.0.0:ACT.2 »)
carried_from = st.one_of(st.just(""), st.sampled_from(["1.0.0:GOV.4", "1.0.0:INN.3, 1.0.0:ACT.4"]), texts)


def snapshots(ref) -> st.SearchStrategy:
    """Generated assessments of ``ref``: every answer status, profile values of every field type,
    AFOM items, options, actions, participants, hostile texts everywhere. One strategy per
    referential, built once with its parts (building them again at each draw was most of it)."""
    if _LAST[0] is not ref:
        _LAST[:] = [ref, _snapshots(ref, _Parts(ref))]
    return _LAST[1]


_LAST: list = [None, None]  # (referential, its strategy): asked again at every example


class _Parts:
    """The strategies of a snapshot that depend on the referential only, not on what was drawn."""

    def __init__(self, ref):
        crits = [c.id for c in ref.criteria()]
        self.answered = st.lists(st.sampled_from(crits), unique=True, max_size=12)
        self.status = st.sampled_from(["answered", "not_applicable", "unknown", "unanswered"])
        self.fields = st.lists(st.sampled_from(ref.profile_fields), unique_by=lambda f: f.id, max_size=6)
        self.choice = {f.id: st.sampled_from([c.id for c in f.choices]) for f in ref.profile_fields
                       if f.type == "choice"}
        self.amount = st.one_of(st.integers(0, 10**9), st.floats(0, 1e9).map(lambda x: round(x, 2)))
        self.some_text = texts.filter(bool)
        self.qualifier = st.sampled_from(["", *[q.id for q in ref.qualifiers]])
        self.year = st.one_of(st.none(), st.integers(1800, 2200))
        self.perimeter = st.sampled_from(["", *[p.id for p in ref.perimeters]])
        self.definition = st.sampled_from(["", "hors bénévolat valorisé"])
        self.quadrants = st.lists(st.sampled_from("SWOT"), max_size=8)
        self.linked = st.lists(st.sampled_from(crits), unique=True, max_size=3)
        self.action_status = st.sampled_from(["todo", "doing", "done", "dropped"])
        self.aliases = st.lists(single_line, unique=True, max_size=3)
        self.department = st.sampled_from(["", "25", "2A", "974"])
        self.assessment_status = st.sampled_from(["draft", "completed"])
        self.copied_from = st.one_of(st.none(), uuids)


@st.composite
def _snapshots(draw, ref, parts: _Parts):
    answers = {}
    for cid in draw(parts.answered):
        status = draw(parts.status)
        a = AnswerData(cid, status, draw(st.integers(0, 4)) if status == "answered" else None,
                       draw(texts), draw(texts), draw(st.booleans()), "2026-01-02T03:04:05.000006Z",
                       draw(st.booleans()), draw(carried_from))
        if not a.is_empty:
            answers[cid] = a
    profile = {}
    for f in draw(parts.fields):
        if f.type == "choice":
            value = draw(parts.choice[f.id])
        elif f.type == "integer":
            value = draw(st.integers(-10**12, 10**12))
        elif f.type in ("decimal", "money", "percent"):
            value = draw(parts.amount)
        else:
            value = draw(parts.some_text)
        entry = {"value": value, "qualifier": draw(parts.qualifier), "year": draw(parts.year),
                 "perimeter": draw(parts.perimeter), "source": draw(texts), "definition": draw(parts.definition)}
        profile[f.id] = {k: v for k, v in entry.items() if v not in (None, "")}
    swot, counts = [], {q: 0 for q in "SWOT"}
    for q in draw(parts.quadrants):
        swot.append(SwotData(draw(uuids), q, draw(solid), draw(st.integers(1, 3)), counts[q], draw(parts.linked)))
        counts[q] += 1
    options = [OptionData(draw(uuids), draw(solid), i,
                          draw(st.lists(st.sampled_from([s.uuid for s in swot]), unique=True, max_size=3))
                          if swot else [])
               for i in range(draw(st.integers(0, 4)))]
    actions = [ActionData(draw(uuids), draw(solid), draw(texts), draw(dates), draw(parts.action_status),
                          draw(st.integers(1, 3)), i, draw(parts.linked),
                          draw(st.lists(st.sampled_from([o.uuid for o in options]), unique=True, max_size=2))
                          if options else [])
               for i in range(draw(st.integers(0, 4)))]
    participants = [ParticipantData(draw(uuids), draw(solid), draw(texts), i) for i in range(draw(st.integers(0, 2)))]
    p_answers = {}
    for p in participants:
        chosen = draw(parts.linked)
        p_answers[p.uuid] = {c: AnswerData(c, "answered", draw(st.integers(0, 4)), draw(texts), "", False,
                                           "2026-01-02T03:04:05.000006Z") for c in chosen}
    pole = PoleData(draw(uuids), draw(solid), draw(parts.aliases), draw(texts), draw(parts.department), draw(texts),
                    draw(parts.year), draw(texts), draw(texts))
    assessment = AssessmentData(draw(uuids), draw(solid), ref.id, ref.version, draw(dates), draw(dates),
                                draw(parts.assessment_status), draw(texts), profile, draw(parts.copied_from))
    return Snapshot(pole, assessment, answers, swot, options, actions, participants, p_answers)
