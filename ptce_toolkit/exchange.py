"""JSON exchange format ``ptce-assessment`` (format_version 1), see docs/FORMAT-JSON.md.

Import is all-or-nothing: the whole document is checked first and every problem is
reported with its JSON path; only then is it written, in one transaction.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ptce_toolkit import __version__, atomic, fmt
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.records import new_uuid, utc_now
from ptce_toolkit.snapshot import (
    ActionData, AnswerData, AssessmentData, OptionData, ParticipantData, PoleData, Snapshot, SwotData,
)
from ptce_toolkit.text_limits import MAX_CELL_CHARS, SCHEMA_PATH, cell_length, max_figure

FORMAT = "ptce-assessment"
FORMAT_VERSION = 1
MAX_JSON_BYTES = 20 * 1024 * 1024
MAX_SWOT_PER_QUADRANT = 9_999  # the workbook numbers items F1…F9999
MAX_DEPTH = 32  # nesting of arrays and objects; the format itself needs 6
_SURROGATE = re.compile(r"[\ud800-\udfff]")
NB = "\u00a0"


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}\u00a0: {self.message}" if self.location else self.message


class ImportRefused(ValueError):
    """The file was refused; nothing was written. ``problems`` lists every reason."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        head = f"« {self.source} » refusé, rien n’a été enregistré"
        if len(self.problems) == 1:
            return f"{head}\u00a0: {self.problems[0]}"
        lines = "\n".join(f"  – {p}" for p in self.problems[:50])
        more = "\n  … et " + fmt.plural(len(self.problems) - 50, "%n autre", "%n autres") if len(self.problems) > 50 else ""
        return f"{head} ({len(self.problems)} problèmes) :\n{lines}{more}"


# --------------------------------------------------------------------------- export


def _answer_doc(a: AnswerData) -> dict:
    doc = {"criterion": a.criterion, "level": a.level if a.status == "answered" else None, "status": a.status,
           "comment": a.comment, "evidence": a.evidence, "priority": a.priority, "updated_at": a.updated_at}
    # A carried-over answer says so (written only when set: other files stay as they were)
    if a.to_confirm:
        doc["to_confirm"] = True
    if a.carried_from:
        doc["carried_from"] = a.carried_from
    return doc


def to_document(snap: Snapshot, ref: ref_mod.Referential | None = None) -> dict:
    """Answers follow the referential's order when it is given, else criterion id order."""
    order = {c.id: i for i, c in enumerate(ref.criteria())} if ref else {}
    answers = sorted((a for a in snap.answers.values() if not a.is_empty),
                     key=lambda a: (order.get(a.criterion, 10**6), a.criterion))

    def crit_list(ids):  # links are sets: written in a canonical order
        return sorted(ids, key=lambda c: (order.get(c, 10**6), c))

    swot_order = {x.uuid: ("SWOT".index(x.quadrant), x.position) for x in snap.swot}
    option_order = {x.uuid: x.position for x in snap.options}

    p, a = snap.pole, snap.assessment
    doc = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__, "exported_at": utc_now(),
        "referential": {"id": a.referential_id, "version": a.referential_version},
        "pole": {"uuid": p.uuid, "name": p.name, "aliases": p.aliases, "territory": p.territory,
                 "department": p.department, "region": p.region, "creation_year": p.creation_year,
                 "legal_form": p.legal_form, "origin": p.origin},
        "assessment": {"uuid": a.uuid, "title": a.title, "started_on": a.started_on, "completed_on": a.completed_on,
                       "status": a.status, "facilitator": a.facilitator, "copied_from": a.copied_from,
                       "profile": a.profile},
        "answers": [_answer_doc(x) for x in answers],
        "swot": [{"uuid": s.uuid, "quadrant": s.quadrant, "text": s.text, "importance": s.importance,
                  "criteria": crit_list(s.criteria)} for s in sorted(snap.swot, key=lambda s: ("SWOT".index(s.quadrant), s.position))],
        "options": [{"uuid": o.uuid, "text": o.text, "swot": sorted(o.swot, key=lambda u: swot_order.get(u, (9, 0)))}
                    for o in sorted(snap.options, key=lambda o: o.position)],
        "actions": [{"uuid": x.uuid, "title": x.title, "owner": x.owner, "due_on": x.due_on, "status": x.status,
                     "priority": x.priority, "criteria": crit_list(x.criteria),
                     "options": sorted(x.options, key=lambda u: option_order.get(u, 10**6))} for x in snap.actions],
    }
    if snap.participants:
        doc["participants"] = [
            {"uuid": pr.uuid, "name": pr.name, "college": pr.college,
             "answers": [_answer_doc(x) for x in sorted(snap.participant_answers.get(pr.uuid, {}).values(),
                                                        key=lambda x: (order.get(x.criterion, 10**6), x.criterion))
                         if not x.is_empty]}
            for pr in snap.participants]
    return doc


def export_file(db, assessment_uuid: str, path: str | Path) -> Path:
    snap = snap_mod.load(db, assessment_uuid)
    try:
        ref = ref_mod.registry().get(snap.assessment.referential_id, snap.assessment.referential_version)
    except ref_mod.ReferentialError:
        ref = None
    data = json.dumps(to_document(snap, ref), ensure_ascii=False, indent=2) + "\n"
    atomic.write_bytes(path, data.encode("utf-8"))
    return Path(path)


# --------------------------------------------------------------------------- validation


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    from ptce_toolkit.schema_fast import Prechecked

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # A document proven valid by the compiled check skips jsonschema; otherwise its own errors.
    return Prechecked(jsonschema.Draft202012Validator(schema), schema)


def json_path(path) -> str:
    out = "$"
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


_TYPE_FR = {"string": "un texte", "integer": "un entier", "number": "un nombre", "boolean": "vrai ou faux",
            "object": "un objet", "array": "une liste", "null": "null"}


def _figure(x) -> str:
    """A bound or a value as a person reads it: « 1700 » stays a year, 1e15 reads
    « 1 000 000 000 000 000 » rather than « 1000000000000000.0 »."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return fmt.number(x) if isinstance(x, int) and abs(x) >= 10_000 else str(x)


def _french(err) -> str:
    v, val = err.validator, err.validator_value
    if v == "type":
        kinds = val if isinstance(val, list) else [val]
        return f"devrait être {' ou '.join(_TYPE_FR.get(k, k) for k in kinds)} (trouvé : {json.dumps(err.instance, ensure_ascii=False)[:60]})."
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else "?"
        return f"champ obligatoire « {missing} » absent."
    if v == "enum":
        return f"valeur « {err.instance} » non reconnue (valeurs permises : {', '.join(map(str, val))})."
    if v == "const":
        return f"valeur « {err.instance} » inattendue (attendu : « {val} »)."
    if v == "minimum":
        return f"la valeur {_figure(err.instance)} est inférieure au minimum permis ({_figure(val)})."
    if v == "maximum":
        return f"la valeur {_figure(err.instance)} dépasse le maximum permis ({_figure(val)})."
    if v == "minLength":
        return "ne peut pas être vide."
    if v == "maxLength":
        return f"texte trop long (plus de {fmt.number(val)} caractères)."
    if v == "maxItems":
        return f"trop d’éléments ({len(err.instance)}, au plus {val})."
    if v == "pattern":
        return f"format invalide : « {str(err.instance)[:60]} »."
    return f"valeur invalide ({v})."


def from_document(doc, *, source: str = "document", registry: ref_mod.Registry | None = None) -> Snapshot:
    """Check a whole document and build the Snapshot; raise ImportRefused listing every problem."""
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise ImportRefused(source, [Problem("$", "le document doit être un objet JSON.")])
    if doc.get("format") != FORMAT:
        raise ImportRefused(source, [Problem("$.format", f"ce n’est pas un fichier « {FORMAT} » "
                                             f"(trouvé : « {doc.get('format')} »).")])
    fv = doc.get("format_version")
    if isinstance(fv, int) and not isinstance(fv, bool) and fv > FORMAT_VERSION:
        raise ImportRefused(source, [Problem("$.format_version", f"format version {fv}, plus récent que celui "
                                             f"de cette application ({FORMAT_VERSION}) ; mettez-la à jour.")])
    strings = _leaf_strings(doc)
    problems.extend(_structure_problems(doc, strings))  # a workbook cell may hold « _xD800_ » too
    if problems:
        raise ImportRefused(source, problems)
    for err in sorted(_validator().iter_errors(doc), key=lambda e: [str(x) for x in e.absolute_path]):
        problems.append(Problem(json_path(err.absolute_path), _french(err)))
    if problems:
        raise ImportRefused(source, problems)
    _text_problems(doc, problems, strings)
    if problems:
        raise ImportRefused(source, problems)
    reg = registry or ref_mod.registry()
    try:
        ref = reg.get(doc["referential"]["id"], doc["referential"]["version"])
    except ref_mod.ReferentialError as exc:
        raise ImportRefused(source, [Problem("$.referential", str(exc))]) from None
    snap = _build(doc, ref, problems)
    if problems:
        raise ImportRefused(source, problems)
    return snap


class _OneReferential:
    """A registry that knows one referential (``from_document`` asks its registry)."""

    def __init__(self, ref: ref_mod.Referential):
        self.ref = ref

    def get(self, _id: str, _version: str) -> ref_mod.Referential:
        return self.ref


def fields_problems(ref: ref_mod.Referential, *, pole: dict | None = None,
                    assessment: dict | None = None) -> list[Problem]:
    """What the import would refuse in these pole or assessment fields, the rest of a small
    document being valid. The services refuse the same, so that whatever the app stores its
    exports carry back (a creation year of 1700, a figure of 10¹⁶, 150 other names…)."""
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "referential": {"id": ref.id, "version": ref.version},
           "pole": {"name": "P", **(pole or {})}, "assessment": {"title": "T", **(assessment or {})}}
    try:
        from_document(doc, registry=_OneReferential(ref))
    except ImportRefused as exc:
        return exc.problems
    return []


def _text_problems(doc: dict, problems: list[Problem], strings=...) -> None:
    """Every text must fit in one workbook cell, escapes included (the schema's maxLength
    counts plain characters); the aliases share one cell, one per line. ``strings``: what
    _leaf_strings(doc) gives, when the caller has it already."""
    if strings is ...:
        strings = _leaf_strings(doc)
    try:
        long_text = strings is None or max(map(len, strings), default=0) > MAX_CELL_CHARS // 8
    except TypeError:  # a key that is not a string
        long_text = True
    stack = [(doc, ())] if long_text else []  # the walk naming paths, only when a text may be too long
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, path + (k,)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(value))
        elif isinstance(value, str) and len(value) > MAX_CELL_CHARS // 8 and cell_length(value) > MAX_CELL_CHARS:
            problems.append(Problem(json_path(path), f"texte trop long pour une cellule de classeur "
                                                     f"({fmt.number(cell_length(value))} caractères une fois les caractères de "
                                                     f"contrôle notés, au plus {fmt.number(MAX_CELL_CHARS)})."))
    # names and titles are shown alone (report cover, lists): blank is not a name
    required = [("$.pole.name", doc["pole"]["name"]), ("$.assessment.title", doc["assessment"]["title"])]
    for key, field in (("swot", "text"), ("options", "text"), ("actions", "title"), ("participants", "name")):
        required += [(f"$.{key}[{i}].{field}", item[field]) for i, item in enumerate(doc.get(key, []))]
    for loc, value in required:
        if not value.strip():
            problems.append(Problem(loc, "ne peut pas être vide (espaces seulement)."))
    aliases = doc["pole"].get("aliases", [])
    for i, alias in enumerate(aliases):
        if "\n" in alias or "\r" in alias:
            problems.append(Problem(f"$.pole.aliases[{i}]", "un autre nom tient sur une ligne (retour à la ligne "
                                                            "trouvé)."))
    if cell_length("\n".join(a.strip() for a in aliases)) > MAX_CELL_CHARS:
        problems.append(Problem("$.pole.aliases", f"les autres noms dépassent ensemble les {MAX_CELL_CHARS} "
                                                  "caractères d’une cellule de classeur."))
    problems.sort(key=lambda p: p.location)


def _date_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"date impossible «{NB}{value}{NB}» (ce jour n’existe pas)."
    return None


def _profile(profile: dict, ref, problems: list[Problem]) -> dict:
    """Profile entries checked against the referential's fields (choices, figures,
    qualifiers, perimeters); empty values are dropped, as a workbook drops empty cells."""
    qualifiers = {q.id for q in ref.qualifiers}
    perimeters = {q.id for q in ref.perimeters}
    out = {}
    for fid, entry in profile.items():
        loc = f"$.assessment.profile.{fid}"
        f = ref.profile_field(fid)
        if f is None:
            problems.append(Problem(loc, f"champ de profil «{NB}{fid}{NB}» inconnu du référentiel."))
            continue
        entry = {k: v for k, v in entry.items() if v not in (None, "")}
        value = entry.get("value")
        if value is not None:
            if f.type == "choice":
                ids = [c.id for c in f.choices]
                if value not in ids:
                    problems.append(Problem(f"{loc}.value", f"valeur «{NB}{str(value)[:60]}{NB}» hors de la liste "
                                                            f"du référentiel (valeurs permises{NB}: {', '.join(ids)})."))
            elif f.type in ("integer", "decimal", "money", "percent"):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    problems.append(Problem(f"{loc}.value", f"un nombre est attendu (trouvé{NB}: "
                                                            f"«{NB}{str(value)[:60]}{NB}»)."))
                elif not math.isfinite(value) or abs(value) > max_figure():
                    problems.append(Problem(f"{loc}.value", f"nombre hors de portée ({value})."))
            elif not isinstance(value, str):
                problems.append(Problem(f"{loc}.value", f"un texte est attendu (trouvé{NB}: {value})."))
        for key, allowed in (("qualifier", qualifiers), ("perimeter", perimeters)):
            if key in entry and entry[key] not in allowed:
                problems.append(Problem(f"{loc}.{key}", f"valeur «{NB}{entry[key][:60]}{NB}» hors de la liste du "
                                                        f"référentiel (valeurs permises{NB}: {', '.join(sorted(allowed))})."))
        if entry:
            out[fid] = entry
    return out


def _answers(items, ref, base: str, problems: list[Problem]) -> dict[str, AnswerData]:
    out: dict[str, AnswerData] = {}
    for i, a in enumerate(items or []):
        loc = f"{base}[{i}]"
        cid = a["criterion"]
        if not ref.has_criterion(cid):
            problems.append(Problem(f"{loc}.criterion", f"critère « {cid} » inconnu du référentiel {ref.id} {ref.version}."))
            continue
        if cid in out:
            problems.append(Problem(f"{loc}.criterion", f"critère « {cid} » présent deux fois."))
            continue
        status, level = a["status"], a.get("level")
        if status == "answered" and level is None:
            problems.append(Problem(f"{loc}.level", "niveau absent alors que le statut est « answered »."))
            continue
        if status != "answered" and level is not None:
            problems.append(Problem(f"{loc}.level", f"un niveau ({level}) est donné avec le statut « {status} »."))
            continue
        out[cid] = AnswerData(cid, status, level, a.get("comment", ""), a.get("evidence", ""),
                              a.get("priority", False), a.get("updated_at", ""),
                              a.get("to_confirm", False), a.get("carried_from", ""))
    return out


def _build(doc: dict, ref, problems: list[Problem]) -> Snapshot:
    seen: set[str] = set()

    def uid(obj: dict, loc: str) -> str:
        u = (obj.get("uuid") or "").lower() or new_uuid()
        if u in seen:
            problems.append(Problem(f"{loc}.uuid", f"identifiant « {u} » utilisé deux fois."))
        seen.add(u)
        return u

    p, a = doc["pole"], doc["assessment"]
    aliases = [x.strip() for x in p.get("aliases", []) if x.strip()]
    pole = PoleData(uid(p, "$.pole"), p["name"].strip(), aliases, p.get("territory", ""),
                    p.get("department", ""), p.get("region", ""), p.get("creation_year"), p.get("legal_form", ""),
                    p.get("origin", ""))
    profile = _profile(a.get("profile", {}), ref, problems)
    for key in ("started_on", "completed_on"):
        bad = _date_problem(a.get(key, ""))
        if bad:
            problems.append(Problem(f"$.assessment.{key}", bad))
    assessment = AssessmentData(uid(a, "$.assessment"), a["title"].strip(), ref.id, ref.version,
                                a.get("started_on", ""), a.get("completed_on", ""), a.get("status", "draft"),
                                a.get("facilitator", ""), profile, a.get("copied_from"))
    answers = _answers(doc.get("answers"), ref, "$.answers", problems)
    swot = []
    counters = {q: 0 for q in "SWOT"}
    for i, s in enumerate(doc.get("swot", [])):
        loc = f"$.swot[{i}]"
        for j, c in enumerate(s.get("criteria", [])):
            if not ref.has_criterion(c):
                problems.append(Problem(f"{loc}.criteria[{j}]", f"critère « {c} » inconnu."))
        swot.append(SwotData(uid(s, loc), s["quadrant"], s["text"], s.get("importance", 2), counters[s["quadrant"]],
                             list(dict.fromkeys(s.get("criteria", [])))))
        counters[s["quadrant"]] += 1
        if counters[s["quadrant"]] == MAX_SWOT_PER_QUADRANT + 1:
            problems.append(Problem(loc, f"plus de {MAX_SWOT_PER_QUADRANT} éléments dans le quadrant "
                                         f"«{NB}{s['quadrant']}{NB}» (au plus {MAX_SWOT_PER_QUADRANT})."))
    swot_ids = {s.uuid for s in swot}
    options = []
    for i, o in enumerate(doc.get("options", [])):
        loc = f"$.options[{i}]"
        links = [u.lower() for u in o.get("swot", [])]
        for j, u in enumerate(links):
            if u not in swot_ids:
                problems.append(Problem(f"{loc}.swot[{j}]", f"aucun élément AFOM du document n’a l’identifiant « {u} »."))
        options.append(OptionData(uid(o, loc), o["text"], i, list(dict.fromkeys(links))))
    option_ids = {o.uuid for o in options}
    actions = []
    for i, x in enumerate(doc.get("actions", [])):
        loc = f"$.actions[{i}]"
        for j, c in enumerate(x.get("criteria", [])):
            if not ref.has_criterion(c):
                problems.append(Problem(f"{loc}.criteria[{j}]", f"critère « {c} » inconnu."))
        bad = _date_problem(x.get("due_on", ""))
        if bad:
            problems.append(Problem(f"{loc}.due_on", bad))
        opts = [u.lower() for u in x.get("options", [])]
        for j, u in enumerate(opts):
            if u not in option_ids:
                problems.append(Problem(f"{loc}.options[{j}]", f"aucune option du document n’a l’identifiant « {u} »."))
        actions.append(ActionData(uid(x, loc), x["title"], x.get("owner", ""), x.get("due_on", ""),
                                  x.get("status", "todo"), x.get("priority", 2), i,
                                  list(dict.fromkeys(x.get("criteria", []))), list(dict.fromkeys(opts))))
    participants, p_answers = [], {}
    for i, pr in enumerate(doc.get("participants", [])):
        loc = f"$.participants[{i}]"
        pd = ParticipantData(uid(pr, loc), pr["name"], pr.get("college", ""), i)
        participants.append(pd)
        p_answers[pd.uuid] = _answers(pr.get("answers"), ref, f"{loc}.answers", problems)
    return Snapshot(pole, assessment, answers, swot, options, actions, participants, p_answers)


# --------------------------------------------------------------------------- files


def read_json_file(path: str | Path) -> dict:
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(name, [Problem("", f"fichier introuvable ou illisible ({exc.strerror}).")]) from None
    if size > MAX_JSON_BYTES:
        raise ImportRefused(name, [Problem("", f"fichier trop volumineux ({size // 1_000_000} Mo, maximum "
                                               f"{MAX_JSON_BYTES // 1_000_000} Mo).")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(name, [Problem("", f"lecture impossible ({exc.strerror}).")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(name, [Problem("", f"le fichier n’est pas en UTF-8 (octet {exc.start}).")]) from None
    try:
        return loads_strict(text)
    except ImportRefused as exc:
        raise ImportRefused(name, exc.problems) from None


class _Bad(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _unique_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _Bad(f"la clé «{NB}{key[:60]}{NB}» apparaît deux fois dans un même objet\u00a0; "
                       "une seule valeur est permise.")
        obj[key] = value
    return obj


def _no_constant(word: str):
    raise _Bad(f"«{NB}{word}{NB}» n’est pas un nombre permis (seuls les nombres finis sont acceptés).")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Bad(f"le nombre «{NB}{text[:40]}{NB}» est hors de portée (infini une fois lu).")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise _Bad(f"le nombre «{NB}{text[:40]}{NB}» a trop de chiffres.")
    return int(text)


def loads_strict(text: str):
    """``json.loads`` that refuses what the exports could not write back: duplicate keys,
    NaN/Infinity and numbers out of range, nesting deeper than MAX_DEPTH, lone surrogates."""
    try:
        doc = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant,
                         parse_float=_finite_float, parse_int=_bounded_int)
    except _Bad as exc:
        raise ImportRefused("document", [Problem("", exc.message)]) from None
    except RecursionError:
        raise ImportRefused("document", [Problem("", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux de "
                                                     "listes ou d’objets).")]) from None
    except json.JSONDecodeError as exc:
        raise ImportRefused("document", [Problem("", f"JSON illisible ligne {exc.lineno}, colonne {exc.colno} "
                                                     f"({_json_reason(exc.msg)}).")]) from None
    problems = _structure_problems(doc)
    if problems:
        raise ImportRefused("document", problems)
    return doc


def _leaf_strings(doc) -> list[str] | None:
    """Every string of ``doc`` and every key of its objects (strings, in a document read from JSON
    or a workbook), gathered without building paths; None when it nests deeper than MAX_DEPTH. The quick look before the walks that name paths (_structure_problems,
    _text_problems), which almost every document gives nothing to report."""
    strings: list[str] = []
    if isinstance(doc, str):
        return [doc]
    stack = [(doc, 1)] if isinstance(doc, (dict, list)) else []
    add, push = strings.append, stack.append
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return None
        if isinstance(value, dict):
            strings.extend(value)
            value = value.values()
        for item in value:
            if isinstance(item, str):
                add(item)
            elif isinstance(item, (dict, list)):
                push((item, depth + 1))
    return strings


def _structure_problems(doc, strings=...) -> list[Problem]:
    """Depth and strings, walked without recursion (the document may be hostile). ``strings``:
    what _leaf_strings(doc) gives, when the caller has it already."""
    if strings is ...:
        strings = _leaf_strings(doc)
    try:
        if strings is not None and not _SURROGATE.search("".join(strings)):
            return []
    except TypeError:  # a key that is not a string: the walk below
        pass
    problems: list[Problem] = []
    stack = [(doc, (), 1)]
    while stack and len(problems) < 50:
        value, path, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                problems.append(Problem(json_path(path), f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux "
                                                         "de listes ou d’objets)."))
                break
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and _SURROGATE.search(key):
                    problems.append(Problem(json_path(path), _surrogate_message(key)))
                    continue
                stack.append((item, path + (key,), depth + 1))
        elif isinstance(value, str) and _SURROGATE.search(value):
            problems.append(Problem(json_path(path), _surrogate_message(value)))
    return sorted(problems, key=lambda p: p.location)


def _surrogate_message(text: str) -> str:
    bad = _SURROGATE.search(text).group(0)
    return (f"caractère invalide U+{ord(bad):04X} (moitié de paire UTF-16 isolée) à la position "
            f"{_SURROGATE.search(text).start() + 1}\u00a0; corrigez le texte.")


def _json_reason(msg: str) -> str:
    table = {"Expecting value": "valeur attendue", "Unterminated string": "texte non terminé",
             "Expecting ',' delimiter": "virgule attendue", "Expecting property name enclosed in double quotes":
             "nom de champ entre guillemets attendu", "Extra data": "données en trop après la fin",
             "Expecting ':' delimiter": "deux-points attendus"}
    for en, fr in table.items():
        if msg.startswith(en):
            return fr
    return msg


@dataclass(frozen=True)
class ImportResult:
    assessment_uuid: str
    pole_uuid: str
    replaced: bool  # an assessment with this uuid existed and was updated


def import_snapshot(db, snap: Snapshot) -> ImportResult:
    from sqlalchemy.exc import IntegrityError

    try:
        return _import_snapshot(db, snap)
    except IntegrityError as exc:
        if "UNIQUE" not in str(exc.orig) and "PRIMARY KEY" not in str(exc.orig):
            # a value the checks above should have refused: say so plainly, never dump the SQL
            raise ImportRefused("document", [Problem("", "une valeur du fichier est refusée par la base "
                                                         "(contrainte non respectée)\u00a0; import refusé, rien "
                                                         "n’a été enregistré.")]) from None
        # an item uuid (SWOT, option, action, participant) already belongs to another assessment
        raise ImportRefused("document", [Problem("", "un élément du fichier (AFOM, option, action ou participant) "
                                                     "porte l’identifiant d’un élément d’une autre évaluation ; "
                                                     "import refusé, rien n’a été enregistré.")]) from None


def _import_snapshot(db, snap: Snapshot) -> ImportResult:
    from ptce_toolkit import models as m

    with db.session() as s:
        existing = s.get(m.Assessment, snap.assessment.uuid)
        replaced = existing is not None
        if existing is not None and existing.pole_id != snap.pole.uuid:
            raise ImportRefused("document", [Problem("$.assessment.uuid",
                                "cette évaluation existe déjà pour un autre pôle ; import refusé.")])
        snap_mod.write(db, snap, session=s)
    return ImportResult(snap.assessment.uuid, snap.pole.uuid, replaced)


def import_file(db, path: str | Path) -> ImportResult:
    path = Path(path)
    snap = from_document(read_json_file(path), source=path.name)
    try:
        return import_snapshot(db, snap)
    except ImportRefused as exc:
        raise ImportRefused(path.name, exc.problems) from None
