"""Strict, all-or-nothing import of a ``ptce-classeur`` workbook (export or filled questionnaire).

The workbook is read into a ``ptce-assessment`` document, then validated and written by
``exchange.from_document`` + ``exchange.import_snapshot`` exactly like a JSON file, so
both formats share their rules and their idempotence. Problems found by the shared
validation are mapped back to the sheet and cell they came from.
"""

from __future__ import annotations

import functools
import json
import re
import uuid as uuid_mod
from dataclasses import dataclass, field, fields
from pathlib import Path

from exports import xlsx_guard, xlsx_values as V
from exports import xlsx_layout as L
from exports.xlsx_export import content_hash
from exports.xlsx_guard import WorkbookRefused
from exports.xlsx_sheets import Book, Cell, Sheet, XmlRefused, coordinate
from ptce_toolkit import exchange, fmt
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.exchange import ImportRefused, Problem
from ptce_toolkit.records import utc_now
from ptce_toolkit.snapshot import AnswerData, Snapshot
from ptce_toolkit.vocabulary import FORMER_ASSESSMENT_STATUS_LABELS

__all__ = ["WorkbookRefused", "import_workbook", "read_workbook", "ParsedWorkbook", "XlsxImportResult"]
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SWOT_CODE = re.compile(r"(FO|FA|OP|ME)\s*0*([1-9][0-9]{0,3})")
MAX_PROBLEMS = 200


@functools.lru_cache(maxsize=8192)  # the same cells are named in every workbook of a folder
def where(sheet: str, row: int, col: int | None = None) -> str:
    return f"feuille « {sheet} », {'cellule ' + coordinate(row, col) if col else f'ligne {row}'}"


@dataclass
class ParsedWorkbook:
    """What a workbook says, before anything is written anywhere."""

    source: str
    snapshot: Snapshot
    ref: ref_mod.Referential
    meta: dict
    notes: list[str] = field(default_factory=list)
    edited: bool = False  # content differs from the hash recorded at export
    saved_at: str = ""  # last save time recorded in the file (docProps), else the export time
    absent: list[str] = field(default_factory=list)  # criteria with no row in the Réponses sheet
    campaign: bool = False  # a filled campaign questionnaire: identity derived from the pole name


@dataclass(frozen=True)
class XlsxImportResult:
    assessment_uuid: str
    pole_uuid: str
    replaced: bool
    unchanged: bool
    notes: list[str]


# what a reader of xlsx_values gives for an empty cell, without a note: taken without calling it
_EMPTY = {V.key: "", V.text: "", V.free_text: "", V.yes_no: False}
# normalised header -> column key, for each sheet's column list (made once per process)
_header_keys = functools.lru_cache(maxsize=None)(L.header_keys)


class _Reader:
    def __init__(self, book: Book, source: str, registry, identity: tuple[str, str] | None = None):
        self.book, self.source, self.registry = book, source, registry
        self.identity = identity  # (pole uuid, assessment uuid) imposed by the caller
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.locations: dict[str, str] = {}
        self.saved_at = ""
        self.absent: list[str] = []  # criteria whose row is missing from the Réponses sheet
        self.campaign = False
        # a pole name that looks mis-encoded: refused unless the workbook is our own export untouched
        self.suspect_name: Problem | None = None
        self.meta_cells: dict[str, str] = {}  # _meta key -> where its value is

    # ------------------------------------------------------------------ helpers

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.fail()

    def fail(self):
        raise WorkbookRefused(self.source, self.problems)

    def value(self, fn, sheet: Sheet, row: int, col: int | None, *args, default=None):
        """Apply a xlsx_values reader to one cell; record its note or its problem."""
        if col is None:
            return default
        cell = sheet.cells.get((row, col))
        if cell is None and fn in _EMPTY:
            return _EMPTY[fn]
        try:
            val, note = fn(cell, *args)
        except V.Unreadable as exc:
            self.problem(where(sheet.name, row, col), str(exc))
            return default
        if note:
            self.notes.append(f"{where(sheet.name, row, col)} : {note}")
        return val

    def sheet(self, name: str, required: bool = True) -> Sheet | None:
        names = self.book.sheets
        if name in names:
            return self.book.read(name)
        found = [n for n in names if L.norm(n) == L.norm(name)]
        if len(found) == 1:
            self.notes.append(f"feuille « {found[0]} » reconnue comme « {name} ».")
            return self.book.read(found[0])
        if required:
            visible = ", ".join(f"« {n} »" for n, (_, st) in names.items() if st == "visible") or "aucune"
            self.problem(f"feuille « {name} »", f"introuvable (renommée ou supprimée ?) ; feuilles présentes : "
                                                f"{visible}. Rendez-lui son nom d’origine.")
        return None

    def columns(self, sheet: Sheet, spec) -> tuple[dict[str, int], int] | None:
        """Find the header row and the column of each known header."""
        known = _header_keys(spec)
        required = L.REQUIRED[sheet_key(sheet.name)]
        top: dict[int, list] = {}
        for (r, c), cell in sheet.cells.items():
            if r > L.HEADER_SEARCH_ROWS:
                if sheet.ascending:  # the rest of the sheet is further down
                    break
            elif cell.kind == "s" and cell.value is not None:
                top.setdefault(r, []).append((c, cell))
        for row in range(1, L.HEADER_SEARCH_ROWS + 1):
            cols: dict[str, int] = {}
            for c, cell in sorted(top.get(row, []), key=lambda x: x[0]):
                r = row
                key = known.get(L.norm(cell.value))
                if key is None:
                    continue
                if key in cols:
                    self.problem(where(sheet.name, r, c), f"colonne « {cell.value} » présente deux fois.")
                cols[key] = c
            if all(k in cols for k in required):
                self.check_merges(sheet, row, [c for k, c in cols.items()
                                               if any(col.key == k and col.editable for col in spec)])
                return cols, row
        wanted = ", ".join(f"« {col.header} »" for col in spec if col.key in required)
        self.problem(f"feuille « {sheet.name} »", f"ligne d’en-tête introuvable (colonnes attendues : {wanted}).")
        return None

    def check_merges(self, sheet: Sheet, header: int, input_cols: list[int]) -> None:
        for r1, c1, r2, c2 in sheet.merged:
            if r2 > header and any(c1 <= c <= c2 for c in input_cols):
                self.problem(where(sheet.name, max(r1, header + 1), c1),
                             f"cellules fusionnées ({coordinate(r1, c1)}:{coordinate(r2, c2)}) dans la zone des "
                             "réponses ; défusionnez-les pour que chaque ligne garde sa propre réponse.")

    def rows(self, sheet: Sheet, header: int):
        return range(header + 1, sheet.max_row + 1)

    # ------------------------------------------------------------------ sheets

    def meta(self) -> dict:
        sheet = self.sheet(L.META, required=False)
        if sheet is None and not any(L.norm(n) == L.norm(L.ANSWERS) for n in self.book.sheets):
            raise xlsx_guard.refuse(self.source, "ce classeur n’a pas été produit par PTCE Toolkit (ni export, ni "
                                                 "questionnaire : pas de feuille « Réponses » ni de feuille « _meta »).")
        if sheet is None:
            raise xlsx_guard.refuse(self.source, "la feuille cachée « _meta » a été supprimée : impossible de savoir "
                                                 "à quel pôle et à quel référentiel ce classeur se rapporte. Repartez "
                                                 "d’un classeur exporté ou d’un questionnaire vierge (ptce template).")
        meta, cells = {}, {}
        for r in range(1, sheet.max_row + 1):
            key, val = sheet.get(r, 1), sheet.get(r, 2)
            for c, cell in ((1, key), (2, val)):
                if cell is not None and (cell.formula is not None or cell.kind == "e"):
                    raise xlsx_guard.refuse(self.source, "formule ou valeur d’erreur dans la feuille cachée « _meta » "
                                                         "(elle ne doit contenir que des valeurs) ; repartez du "
                                                         "classeur d’origine.", where(L.META, r, c))
            if key is not None and key.kind == "s" and key.value:
                meta[str(key.value).strip()] = None if val is None else val.value
                cells[str(key.value).strip()] = where(L.META, r, 2)
        if meta.get("format") != L.FORMAT_NAME:
            raise xlsx_guard.refuse(self.source, f"ce classeur n’a pas été produit par PTCE Toolkit (format "
                                                 f"« {meta.get('format')} » au lieu de « {L.FORMAT_NAME} »).")
        version = meta.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise xlsx_guard.refuse(self.source, f"version de format illisible (« {version} »).", cells.get("format_version", ""))
        if version > L.FORMAT_VERSION:
            raise xlsx_guard.refuse(self.source, f"classeur au format version {version}, plus récent que celui de "
                                                 f"cette application ({L.FORMAT_VERSION}) : mettez PTCE Toolkit à jour.")
        keys = ("pole_uuid", "assessment_uuid")
        if meta.get("kind") == "template" and meta.get("template_id"):
            keys = ("template_id",)  # a campaign questionnaire: identity derived from the pole name
        for key in keys:
            if not isinstance(meta.get(key), str) or not _UUID.fullmatch(meta[key]):
                raise xlsx_guard.refuse(self.source, f"identifiant « {key} » manquant ou abîmé.", cells.get(key, ""))
        self.meta_cells = cells
        self.locations["$.pole.uuid"] = cells.get("pole_uuid", "")
        self.locations["$.assessment.uuid"] = cells.get("assessment_uuid", "")
        self.locations["$.referential"] = cells.get("referential_version", "")
        return meta

    def profile(self, ref, doc: dict) -> None:
        sheet = self.sheet(L.PROFILE)
        found = sheet and self.columns(sheet, L.PROFILE_COLUMNS)
        if not found:
            return
        cols, header = found
        identity = {code: kind for code, _, kind in L.IDENTITY_ROWS}
        seen: set[str] = set()
        qualifiers = {q.id: q.label for q in ref.qualifiers}
        perimeters = {p.id: p.label for p in ref.perimeters}
        for r in self.rows(sheet, header):
            code = self.value(V.key, sheet, r, cols["code"], default="")
            if not code:
                if not V.is_blank(sheet.get(r, cols["value"])):
                    self.problem(where(sheet.name, r, cols["value"]), "valeur sans code de champ (colonne Code).")
                continue
            if code in seen:
                self.problem(where(sheet.name, r, cols["code"]), f"champ « {code} » présent deux fois.")
                continue
            seen.add(code)
            vc = cols["value"]
            if code in identity:
                obj, key = code.split(".")
                self.locations[f"$.{obj}.{key}"] = where(sheet.name, r, vc)
                doc[obj][key] = self.identity_value(identity[code], sheet, r, vc)
                repaired = V.mojibake_repair(doc[obj][key]) if code == "pole.name" else None
                if repaired:
                    self.suspect_name = Problem(where(sheet.name, r, vc), f"le nom «\u00a0{doc[obj][key]}\u00a0» semble "
                                                f"mal encodé (sans doute «\u00a0{repaired}\u00a0»)\u00a0; corrigez-le "
                                                "avant d’importer.")
                continue
            f = ref.profile_field(code)
            if f is None:
                self.problem(where(sheet.name, r, cols["code"]), f"champ de profil « {code} » inconnu du référentiel.")
                continue
            if f.type == "choice":
                value = self.value(V.choice, sheet, r, vc, {c.id: c.label for c in f.choices}, f.label, default="")
            elif f.type in ("integer", "decimal", "money", "percent"):
                value = self.value(V.number, sheet, r, vc, f.type)
            else:
                value = self.value(V.free_text, sheet, r, vc, default="")
            entry = {"value": value,
                     "qualifier": self.value(V.choice, sheet, r, cols.get("qualifier"), qualifiers, "Qualificatif", default=""),
                     "year": self.value(V.year, sheet, r, cols.get("year")),
                     "perimeter": self.value(V.choice, sheet, r, cols.get("perimeter"), perimeters, "Périmètre", default=""),
                     "source": self.value(V.free_text, sheet, r, cols.get("source"), default=""),
                     "definition": self.value(V.free_text, sheet, r, cols.get("definition"), default="")}
            entry = {k: v for k, v in entry.items() if v not in (None, "")}
            if entry:
                doc["assessment"]["profile"][code] = entry
                self.locations[f"$.assessment.profile.{code}"] = where(sheet.name, r, vc)

    def identity_value(self, kind: str, sheet: Sheet, r: int, c: int):
        if kind == "year":
            return self.value(V.year, sheet, r, c)
        if kind == "date":
            return self.value(V.iso_date, sheet, r, c, default="")
        if kind == "assessment_status":
            return self.value(V.choice, sheet, r, c, L.ASSESSMENT_STATUS_LABELS, "État",
                              FORMER_ASSESSMENT_STATUS_LABELS, default="") or "draft"
        if kind == "department":
            return self.value(V.department, sheet, r, c, default="")
        if kind == "lines":
            return self.value(V.aliases, sheet, r, c, default=[])
        return self.value(V.free_text, sheet, r, c, default="")

    def answers(self, ref, sheet_name: str, default_time: str) -> list[dict]:
        sheet = self.sheet(sheet_name)
        found = sheet and self.columns(sheet, L.ANSWER_COLUMNS)
        if not found:
            return []
        cols, header = found
        out, seen = [], {}
        inputs = [cols[k] for k in ("level", "comment", "evidence", "priority") if k in cols]
        for r in self.rows(sheet, header):
            crit = self.value(V.key, sheet, r, cols["criterion"], default="")
            if not crit:
                if any(not V.is_blank(sheet.get(r, c)) for c in inputs):
                    self.problem(where(sheet.name, r), "réponse sans identifiant de critère (colonne Critère).")
                continue
            if not ref.has_criterion(crit):
                self.problem(where(sheet.name, r, cols["criterion"]),
                             f"critère « {crit} » inconnu du référentiel {ref.id} {ref.version}.")
                continue
            if crit in seen:
                self.problem(where(sheet.name, r, cols["criterion"]),
                             f"critère « {crit} » présent deux fois (déjà ligne {seen[crit]}).")
                continue
            seen[crit] = r
            status, level = self.value(V.level, sheet, r, cols["level"], ref, default=("unanswered", None))
            answer = {"criterion": crit, "status": status, "level": level,
                      "comment": self.value(V.free_text, sheet, r, cols.get("comment"), default=""),
                      "evidence": self.value(V.free_text, sheet, r, cols.get("evidence"), default=""),
                      "priority": self.value(V.yes_no, sheet, r, cols.get("priority"), default=False),
                      "updated_at": self.value(V.text, sheet, r, cols.get("updated_at"), default="") or default_time}
            if status == "unanswered" and not (answer["comment"] or answer["evidence"] or answer["priority"]):
                continue
            self.locations[f"$.answers[{len(out)}]"] = where(sheet.name, r, cols["criterion"])
            self.locations[f"$.answers[{len(out)}].level"] = where(sheet.name, r, cols["level"])
            out.append(answer)
        self.absent = [c.id for c in ref.criteria() if c.id not in seen]
        return out

    def carried(self, ref, meta: dict, answers: list[dict]) -> None:
        """Carried-over answers, as ``_meta`` lists them (exports.xlsx_export.carry_meta): each keeps
        its origin; a proposal whose Réponses row still holds what was proposed stays « à confirmer »,
        a row changed in the file is the person's own answer (confirmed)."""
        pending, origins = self.carry_key(ref, meta, "a_confirmer"), self.carry_key(ref, meta, "repris_de")
        rows = {a["criterion"]: a for a in answers}
        for crit, origin in origins.items():
            if not isinstance(origin, str):
                raise self.meta_refused("repris_de", f"l’origine du critère «\u00a0{crit}\u00a0» doit être un texte "
                                                     f"(trouvé\u00a0: {json.dumps(origin)[:40]}).")
            if crit in rows and origin:
                rows[crit]["carried_from"] = origin
        for crit, value in pending.items():
            wanted = None
            if value is None or isinstance(value, (int, str)) and not isinstance(value, bool):
                try:
                    cell = None if value is None else Cell("n" if isinstance(value, int) else "s", value)
                    wanted, _ = V.level(cell, ref)
                except V.Unreadable:
                    pass
            if wanted is None:
                raise self.meta_refused("a_confirmer", f"proposition illisible pour le critère «\u00a0{crit}\u00a0» "
                                                       f"(0 à 4, «\u00a0{ref.not_applicable.label}\u00a0», "
                                                       f"«\u00a0{ref.unknown.label}\u00a0» ou null).")
            row = rows.get(crit)
            if row is not None and (row["status"], row["level"]) == wanted:
                row["to_confirm"] = True

    def carry_key(self, ref, meta: dict, key: str) -> dict:
        raw = meta.get(key)
        if raw is None or raw == "":
            return {}
        try:
            value = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise self.meta_refused(key, "valeur illisible\u00a0: un objet JSON {\"critère\": …} est attendu\u00a0; repartez "
                                         "du classeur d’origine.")
        for crit in value:
            if not ref.has_criterion(crit):
                raise self.meta_refused(key, f"critère «\u00a0{crit[:40]}\u00a0» inconnu du référentiel {ref.id} {ref.version}.")
        return value

    def meta_refused(self, key: str, message: str) -> WorkbookRefused:
        return xlsx_guard.refuse(self.source, f"clé «\u00a0{key}\u00a0»\u00a0: {message}",
                                 self.meta_cells.get(key, ""))

    def item_uuid(self, sheet: Sheet, r: int, cols, assessment_uuid: str, key: str) -> str:
        """The row's hidden identifier, or one derived from the assessment and the row's mark so
        that importing the same hand-filled file twice gives the same items."""
        raw = self.value(V.text, sheet, r, cols.get("uuid"), default="").strip()
        if raw and not _UUID.fullmatch(raw):
            self.problem(where(sheet.name, r, cols["uuid"]), f"identifiant « {raw[:40]} » abîmé ; videz la cellule.")
        return raw.lower() if raw and _UUID.fullmatch(raw) else str(
            uuid_mod.uuid5(uuid_mod.UUID(assessment_uuid), f"{sheet.name}/{key}"))

    def criteria_list(self, ref, sheet: Sheet, r: int, col: int | None) -> list[str]:
        out = []
        for token in V.id_list(sheet.get(r, col)) if col else []:
            match = ref.criterion_id_any_case(token)
            if match is None:
                self.problem(where(sheet.name, r, col), f"critère « {token} » inconnu du référentiel.")
            else:
                out.append(match)
        return out

    def swot(self, ref, assessment_uuid: str) -> tuple[list[dict], dict[str, str]]:
        sheet = self.sheet(L.SWOT)
        found = sheet and self.columns(sheet, L.SWOT_COLUMNS)
        if not found:
            return [], {}
        cols, header = found
        items, codes, counts = [], {}, {q: 0 for q in "SWOT"}
        for r in self.rows(sheet, header):
            text = self.value(V.free_text, sheet, r, cols["text"], default="")
            extra = [cols[k] for k in ("importance", "criteria") if k in cols]
            if not text.strip():
                if any(not V.is_blank(sheet.get(r, c)) for c in extra):
                    self.problem(where(sheet.name, r, cols["text"]), "importance ou critères donnés sans élément.")
                continue
            raw_code = self.value(V.key, sheet, r, cols["code"], default="")
            m = _SWOT_CODE.fullmatch(raw_code.strip().upper())
            if not m:
                self.problem(where(sheet.name, r, cols["code"]),
                             f"repère « {raw_code} » invalide (attendu : FO, FA, OP ou ME suivi d’un numéro).")
                continue
            code = f"{m.group(1)}{m.group(2)}"
            if code in codes:
                self.problem(where(sheet.name, r, cols["code"]), f"repère « {code} » présent deux fois.")
                continue
            quadrant = L.SWOT_QUADRANT_OF_CODE[m.group(1)]
            importance = self.value(V.ranked, sheet, r, cols.get("importance"), L.IMPORTANCE_LABELS, "Importance")
            uid = self.item_uuid(sheet, r, cols, assessment_uuid, code)
            codes[code] = uid
            self.locations[f"$.swot[{len(items)}]"] = where(sheet.name, r, cols["text"])
            items.append({"uuid": uid, "quadrant": quadrant, "text": text, "importance": importance or 2,
                          "criteria": self.criteria_list(ref, sheet, r, cols.get("criteria"))})
            counts[quadrant] += 1
        return items, codes

    def options(self, swot_codes: dict[str, str], assessment_uuid: str) -> tuple[list[dict], dict[str, str]]:
        sheet = self.sheet(L.OPTIONS)
        found = sheet and self.columns(sheet, L.OPTION_COLUMNS)
        if not found:
            return [], {}
        cols, header = found
        out, numbers = [], {}
        for r in self.rows(sheet, header):
            text = self.value(V.free_text, sheet, r, cols["text"], default="")
            if not text.strip():
                if not V.is_blank(sheet.get(r, cols.get("swot", 0))):
                    self.problem(where(sheet.name, r, cols["text"]), "éléments AFOM donnés sans option.")
                continue
            number = self.value(V.key, sheet, r, cols["number"], default="") or str(r - header)
            links = []
            for token in V.id_list(sheet.get(r, cols["swot"])) if "swot" in cols else []:
                m = _SWOT_CODE.fullmatch(token.upper())
                code = f"{m.group(1)}{m.group(2)}" if m else token
                if code not in swot_codes:
                    self.problem(where(sheet.name, r, cols["swot"]),
                                 f"repère AFOM « {token} » introuvable dans la feuille « {L.SWOT} ».")
                else:
                    links.append(swot_codes[code])
            uid = self.item_uuid(sheet, r, cols, assessment_uuid, number)
            numbers[number] = uid
            self.locations[f"$.options[{len(out)}]"] = where(sheet.name, r, cols["text"])
            out.append({"uuid": uid, "text": text, "swot": links})
        return out, numbers

    def actions(self, ref, option_numbers: dict[str, str], assessment_uuid: str) -> list[dict]:
        sheet = self.sheet(L.ACTIONS)
        found = sheet and self.columns(sheet, L.ACTION_COLUMNS)
        if not found:
            return []
        cols, header = found
        out = []
        for r in self.rows(sheet, header):
            title = self.value(V.free_text, sheet, r, cols["title"], default="")
            others = [cols[k] for k in ("owner", "due_on", "status", "priority", "criteria", "options") if k in cols]
            if not title.strip():
                if any(not V.is_blank(sheet.get(r, c)) for c in others):
                    self.problem(where(sheet.name, r, cols["title"]), "ligne remplie sans intitulé d’action.")
                continue
            number = self.value(V.key, sheet, r, cols["number"], default="") or str(r - header)
            opts = []
            for token in V.id_list(sheet.get(r, cols["options"])) if "options" in cols else []:
                if token not in option_numbers:
                    self.problem(where(sheet.name, r, cols["options"]),
                                 f"option n° {token} introuvable dans la feuille « {L.OPTIONS} ».")
                else:
                    opts.append(option_numbers[token])
            self.locations[f"$.actions[{len(out)}]"] = where(sheet.name, r, cols["title"])
            self.locations[f"$.actions[{len(out)}].due_on"] = where(sheet.name, r, cols.get("due_on"))
            out.append({
                "uuid": self.item_uuid(sheet, r, cols, assessment_uuid, number), "title": title,
                "owner": self.value(V.free_text, sheet, r, cols.get("owner"), default=""),
                "due_on": self.value(V.iso_date, sheet, r, cols.get("due_on"), default=""),
                "status": self.value(V.choice, sheet, r, cols.get("status"), L.ACTION_STATUS_LABELS, "Statut",
                                     default="") or "todo",
                "priority": self.value(V.ranked, sheet, r, cols.get("priority"), L.PRIORITY_LABELS, "Priorité") or 2,
                "criteria": self.criteria_list(ref, sheet, r, cols.get("criteria")), "options": opts})
        return out

    def participants(self, ref, default_time: str) -> list[dict]:
        sheet = self.sheet(L.PARTICIPANTS, required=False)
        found = sheet and self.columns(sheet, L.PARTICIPANT_COLUMNS)
        if not found:
            return []
        cols, header = found
        people: dict[str, dict] = {}
        for r in self.rows(sheet, header):
            name = self.value(V.text, sheet, r, cols["name"], default="")
            if not name.strip():
                continue
            uid = self.value(V.text, sheet, r, cols.get("uuid"), default="").strip().lower() or name
            person = people.setdefault(uid, {"name": name, "college": self.value(V.text, sheet, r, cols.get("college"),
                                                                                   default=""), "answers": []})
            if _UUID.fullmatch(uid):
                person["uuid"] = uid
            crit = self.value(V.key, sheet, r, cols["criterion"], default="")
            if not crit:
                continue
            status, level = self.value(V.level, sheet, r, cols["level"], ref, default=("unanswered", None))
            person["answers"].append({
                "criterion": crit, "status": status, "level": level,
                "comment": self.value(V.free_text, sheet, r, cols.get("comment"), default=""),
                "evidence": self.value(V.free_text, sheet, r, cols.get("evidence"), default=""),
                "priority": self.value(V.yes_no, sheet, r, cols.get("priority"), default=False),
                "updated_at": self.value(V.text, sheet, r, cols.get("updated_at"), default="") or default_time})
        return list(people.values())

    # ------------------------------------------------------------------ whole workbook

    def document(self) -> tuple[dict, ref_mod.Referential, dict]:
        meta = self.meta()
        try:
            ref = self.registry.get(str(meta.get("referential_id")), str(meta.get("referential_version")))
        except ref_mod.ReferentialError as exc:
            raise xlsx_guard.refuse(self.source, str(exc), self.locations["$.referential"]) from None
        # a questionnaire written before template_id existed carries one identity: its assessment
        # uuid serves as the campaign id (import_workbook still updates what it imported then)
        self.campaign = meta.get("kind") == "template"
        template_id = meta.get("template_id") or meta.get("assessment_uuid")
        placeholder = template_id if self.campaign else None
        a_uuid = (placeholder or meta["assessment_uuid"]).lower()
        default_time = self.saved_at = self.saved_time() or str(meta.get("exported_at") or "")
        doc = {"format": exchange.FORMAT, "format_version": exchange.FORMAT_VERSION,
               "referential": {"id": ref.id, "version": ref.version},
               "pole": {"uuid": (placeholder or meta["pole_uuid"]).lower()},
               "assessment": {"uuid": a_uuid, "profile": {}, "copied_from": meta.get("copied_from") or None}}
        self.profile(ref, doc)
        if self.identity:
            doc["pole"]["uuid"], doc["assessment"]["uuid"] = self.identity
        elif self.campaign and str(doc["pole"].get("name") or "").strip():
            doc["pole"]["uuid"], doc["assessment"]["uuid"] = campaign_identity(template_id,
                                                                               doc["pole"]["name"])
        a_uuid = doc["assessment"]["uuid"]
        doc["answers"] = self.answers(ref, L.ANSWERS, default_time)
        self.carried(ref, meta, doc["answers"])
        doc["swot"], codes = self.swot(ref, a_uuid)
        doc["options"], numbers = self.options(codes, a_uuid)
        doc["actions"] = self.actions(ref, numbers, a_uuid)
        people = self.participants(ref, default_time)
        if people:
            doc["participants"] = people
        if self.problems:
            if self.suspect_name is not None:
                self.problems.append(self.suspect_name)
            self.fail()
        return doc, ref, meta

    def saved_time(self) -> str:
        """dcterms:modified of the file: a stable time for answers typed without one."""
        if hasattr(self.book, "saved_time"):
            return self.book.saved_time()
        try:
            data = self.book.zf.read("docProps/core.xml")
        except KeyError:
            return ""
        m = re.search(rb"<dcterms:modified[^>]*>([^<]{10,40})</dcterms:modified>", data)
        return m.group(1).decode("ascii", "replace") if m else ""

    def locate(self, problem: Problem) -> Problem:
        loc = problem.location
        while loc:
            if loc in self.locations and self.locations[loc]:
                return Problem(self.locations[loc], problem.message)
            loc = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", loc) if loc != "$" else ""
        return problem


def sheet_key(name: str) -> str:
    for key in L.REQUIRED:
        if L.norm(key) == L.norm(name):
            return key
    return name


CAMPAIGN_NS = uuid_mod.UUID("3c1f0f4e-2b7a-5d0c-9a51-7e0c4b1d2a60")


def campaign_identity(template_id: str, pole_name: str) -> tuple[str, str]:
    """(pole uuid, assessment uuid) of a copy of campaign questionnaire ``template_id`` filled for
    ``pole_name``: the same copy always gets the same identity (re-import updates), copies filled
    for different poles get different ones. Names compare as people mean them (accents, case,
    spaces, apostrophes ignored)."""
    key = L.norm(pole_name)
    return (str(uuid_mod.uuid5(CAMPAIGN_NS, f"pole:{key}")),
            str(uuid_mod.uuid5(CAMPAIGN_NS, f"questionnaire:{template_id.lower()}:{key}")))


def read_workbook(path: str | Path, *, registry: ref_mod.Registry | None = None,
                  identity: tuple[str, str] | None = None, book_factory=Book) -> ParsedWorkbook:
    """Check and read a workbook (.xlsx or .ods) into a validated Snapshot; raise WorkbookRefused
    with every problem, each naming the sheet and the cell. Nothing is written anywhere.

    A filled campaign questionnaire gets an identity derived from its pole name
    (:func:`campaign_identity`); ``identity`` imposes (pole uuid, assessment uuid) instead.
    ``book_factory`` builds the .xlsx cell reader (the consolidation passes exports.fast_book.FastBook);
    an .ods file is always read by OdsBook."""
    path = Path(path)
    source = path.name
    zf, kind = xlsx_guard.open_spreadsheet(path)
    reader = None
    try:
        if kind == "ods":
            from exports.ods_reader import OdsBook

            book = OdsBook(zf)
        else:
            book = book_factory(zf)
        reader = _Reader(book, source, registry or ref_mod.registry(), identity)
        doc, ref, meta = reader.document()
        try:
            snap = exchange.from_document(doc, source=source, registry=reader.registry)
        except ImportRefused as exc:
            raise WorkbookRefused(source, [reader.locate(p) for p in exc.problems]) from None
    except XmlRefused as exc:
        raise xlsx_guard.refuse(source, str(exc)) from None
    except RecursionError:
        raise xlsx_guard.refuse(source, "classeur illisible : éléments imbriqués à l’excès, refusé par prudence.") from None
    except (KeyError, ValueError, EOFError, OSError) as exc:
        if isinstance(exc, ImportRefused):
            raise
        raise xlsx_guard.refuse(source, f"classeur illisible ({type(exc).__name__}).") from None
    finally:
        zf.close()
    parsed = ParsedWorkbook(source, snap, ref, meta, reader.notes, saved_at=reader.saved_at,
                            absent=reader.absent, campaign=reader.campaign)
    recorded = meta.get("content_sha256")
    parsed.edited = bool(recorded) and recorded != content_hash(exchange.to_document(snap, ref))
    if reader.suspect_name is not None and (parsed.edited or not recorded):
        # an untouched export carries the name exactly as the app stored it: never refused
        raise WorkbookRefused(source, [reader.suspect_name])
    return parsed


SAME_POLE = ("update", "separate")


def import_workbook(db, path: str | Path, *, registry: ref_mod.Registry | None = None,
                    same_pole: str = "update") -> XlsxImportResult:
    """``ptce import FILE.xlsx|.ods``: all or nothing; re-importing the same file changes nothing.

    - a row deleted from the Réponses sheet leaves the stored answer untouched (reported);
    - an answer changed in the file gets a fresh update time; line endings alone are no change;
    - a filled campaign questionnaire becomes the assessment of the pole named in it; with
      ``same_pole="separate"`` a second copy filled for the same pole is kept apart (its identity
      also depends on the file name) instead of updating the first one.
    """
    if same_pole not in SAME_POLE:
        raise ValueError(same_pole)
    path = Path(path)
    parsed = read_workbook(path, registry=registry)
    if parsed.campaign:
        parsed = _campaign_copy(db, path, parsed, registry, same_pole)
    snap, notes = parsed.snapshot, list(parsed.notes)
    existing = _load(db, snap.assessment.uuid)
    if existing is not None:
        names = {L.norm(n) for n in [existing.pole.name, *existing.pole.aliases]}
        if existing.pole.uuid == snap.pole.uuid and L.norm(snap.pole.name) not in names and not parsed.campaign:
            raise xlsx_guard.refuse(parsed.source, f"ce classeur porte l’identifiant d’une évaluation du pôle "
                                                   f"« {existing.pole.name} », mais il est rempli au nom de "
                                                   f"« {snap.pole.name} ». Un même classeur a sans doute été "
                                                   "envoyé à plusieurs pôles : chaque pôle doit avoir le sien "
                                                   "(ptce template). Si le pôle a changé de nom, renommez-le "
                                                   "d’abord dans l’application.")
        kept = _keep_what_the_file_does_not_change(existing, snap, parsed)
        notes += kept
        if _same(existing, snap, parsed.ref):
            return XlsxImportResult(snap.assessment.uuid, snap.pole.uuid, True, True,
                                    [*kept, "Ce classeur est identique à l’évaluation déjà présente : rien n’a changé."])
        if parsed.campaign:
            notes.append(f"une évaluation de « {existing.pole.name} » issue de ce même questionnaire existait "
                         "déjà : elle est mise à jour. S’il s’agit d’une autre copie remplie pour ce pôle, "
                         "importez-la à part (ptce import --meme-pole separer).")
    elif parsed.absent and len(parsed.absent) < len(parsed.ref.criteria()):
        notes.append(_absent_note(parsed, fmt.plural(len(parsed.absent), "considéré sans réponse",
                                                     "considérés sans réponse")))
    from sqlalchemy.exc import IntegrityError

    try:
        result = exchange.import_snapshot(db, snap)
    except ImportRefused as exc:
        raise WorkbookRefused(parsed.source, exc.problems) from None
    except IntegrityError:
        raise xlsx_guard.refuse(parsed.source, "un élément de ce classeur (AFOM, option, action ou participant) "
                                               "porte le même identifiant qu’un élément d’une autre évaluation "
                                               "déjà présente : ce classeur a sans doute été copié puis modifié. "
                                               "Importez-le dans une base vide ou videz les colonnes Identifiant.") from None
    return XlsxImportResult(result.assessment_uuid, result.pole_uuid, result.replaced, False, notes)


def _load(db, assessment_uuid: str):
    from ptce_toolkit import snapshot as snap_mod
    from ptce_toolkit.services.errors import NotFound

    try:
        return snap_mod.load(db, assessment_uuid)
    except NotFound:
        return None


def _campaign_copy(db, path: Path, parsed: ParsedWorkbook, registry, same_pole: str) -> ParsedWorkbook:
    """The identity of a filled campaign copy in this database: a pole already known under this
    name (or an alias) keeps its uuid; ``separate`` gives a second copy its own assessment."""
    from sqlmodel import select

    from ptce_toolkit import models as m

    snap = parsed.snapshot
    pole_uuid, a_uuid = snap.pole.uuid, snap.assessment.uuid
    key = L.norm(snap.pole.name)
    legacy = None if parsed.meta.get("template_id") else _load(db, str(parsed.meta.get("assessment_uuid")).lower())
    if legacy is not None and key in {L.norm(n) for n in [legacy.pole.name, *legacy.pole.aliases]}:
        return read_workbook(path, registry=registry, identity=(legacy.pole.uuid, legacy.assessment.uuid))
    with db.session() as s:
        for p in s.exec(select(m.Pole)):
            if key in {L.norm(n) for n in [p.name, *json.loads(p.aliases or "[]")]}:
                pole_uuid = p.id
                break
    if same_pole == "separate":
        a_uuid = str(uuid_mod.uuid5(uuid_mod.UUID(a_uuid), f"copie:{L.norm(path.name)}"))
    if (pole_uuid, a_uuid) == (snap.pole.uuid, snap.assessment.uuid):
        return parsed
    again = read_workbook(path, registry=registry, identity=(pole_uuid, a_uuid))
    if same_pole == "separate":
        again.notes.append(f"copie gardée à part : évaluation distincte pour « {snap.pole.name} ».")
    return again


def _absent_note(parsed: ParsedWorkbook, what: str) -> str:
    missing = parsed.absent
    return (f"feuille « {L.ANSWERS} » : {fmt.plural(len(missing), '%n critère absent', '%n critères absents')} du classeur (ligne supprimée ?), "
            f"{what} ({', '.join(missing[:10])}{'…' if len(missing) > 10 else ''}).")


def _eol(text):
    """Text without carriage returns: spreadsheets drop them (LibreOffice saves CR-LF as LF)."""
    return text.replace("\r", "") if isinstance(text, str) else text


def _keep_line_endings(old, new):
    """Where ``new`` differs from ``old`` only by its line endings (CR-LF vs LF), keep ``old``."""
    if isinstance(old, str) and isinstance(new, str):
        return old if old != new and _eol(old) == _eol(new) else new
    if isinstance(old, dict) and isinstance(new, dict):
        return {k: _keep_line_endings(old[k], v) if k in old else v for k, v in new.items()}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [_keep_line_endings(a, b) for a, b in zip(old, new)]
    return new


def _align(old_obj, new_obj) -> None:
    for f in fields(new_obj):
        setattr(new_obj, f.name, _keep_line_endings(getattr(old_obj, f.name), getattr(new_obj, f.name)))


def _keep_what_the_file_does_not_change(existing: Snapshot, snap: Snapshot, parsed: ParsedWorkbook) -> list[str]:
    """Reconcile a file with the stored assessment, in place: absent rows keep their stored answer,
    line endings alone are no change, an answer the file changes gets a fresh update time."""
    notes = []
    kept = [c for c in parsed.absent if c in existing.answers and c not in snap.answers]
    for crit in kept:
        snap.answers[crit] = existing.answers[crit]
    if parsed.absent:
        notes.append(_absent_note(parsed, fmt.plural(len(kept), "réponse enregistrée conservée telle quelle (%n)",
                                                     "réponses enregistrées conservées telles quelles (%n)")
                                  if kept else "sans réponse enregistrée"))
    _align(existing.pole, snap.pole)
    _align(existing.assessment, snap.assessment)
    for group in ("swot", "options", "actions", "participants"):
        stored = {x.uuid: x for x in getattr(existing, group)}
        for item in getattr(snap, group):
            if item.uuid in stored:
                _align(stored[item.uuid], item)
    now = utc_now()
    for people_old, people_new in [(existing.answers, snap.answers),
                                   *[(existing.participant_answers.get(p, {}), answers)
                                     for p, answers in snap.participant_answers.items()]]:
        for crit, ans in list(people_new.items()):
            old = people_old.get(crit)
            if old is None:
                continue
            _align(old, ans)
            if _answer_key(ans) == _answer_key(old):
                ans.updated_at = old.updated_at
            elif ans.updated_at <= old.updated_at:
                ans.updated_at = now  # edited in the file, whose hidden time is the export's
    return notes


def _answer_key(a: AnswerData) -> tuple:
    return a.status, a.level if a.status == "answered" else None, a.comment, a.evidence, bool(a.priority)


def _same(a: Snapshot, b: Snapshot, ref) -> bool:
    da, db_ = exchange.to_document(a, ref), exchange.to_document(b, ref)
    for d in (da, db_):
        d.pop("exported_at", None)
    return da == db_
