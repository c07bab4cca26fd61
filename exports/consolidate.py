"""``ptce consolidate FOLDER -o SYNTHESE.xlsx``: one synthesis workbook from many poles' workbooks.

Every file is read and validated exactly as ``ptce import`` would (in parallel, one
process per core) and nothing is guessed: duplicates and name conflicts are listed for
a person to decide, never merged or averaged. The same folder always gives the same
file, byte for byte (sorted rows, no timestamp).
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from exports import xlsx_layout as L
from exports.fast_book import FastBook
from exports.xlsx_import import read_workbook
from exports.xlsx_export import content_hash
from ptce_toolkit import exchange
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.exchange import ImportRefused, Problem

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass
class Entry:
    """One readable workbook, reduced to what the synthesis needs (small, picklable)."""

    file: str
    sha256: str
    ref_key: tuple[str, str]
    pole_uuid: str
    pole_name: str
    territory: str
    region: str
    department: str
    assessment_uuid: str
    title: str
    started_on: str
    completed_on: str
    status: str
    saved_at: str
    profile: dict
    answers: dict[str, tuple[str, int | None]]
    swot: list[tuple[str, int, str, int, list[str]]]  # quadrant, index in quadrant, text, importance, criteria
    edited: bool
    kind: str = "export"  # _meta kind: "export" or "template" (a filled questionnaire)
    fingerprint: str = ""  # filled questionnaires only: content hash of what the file says
    # number, title, owner, due date, status, priority, criteria, option numbers
    actions: list[tuple[int, str, str, str, str, int, list[str], list[int]]] = field(default_factory=list)


@dataclass
class Rejection:
    """A file (or part of one) left out of the synthesis. ``info``: not a defect of the file
    (exact copy, lock file, older version of a kept assessment), shown apart from real refusals."""

    file: str
    reason: str
    sheet: str = ""
    cell: str = ""
    pole: str = ""
    info: bool = False


@dataclass
class Flag:
    kind: str
    files: list[str]
    detail: str


@dataclass
class ConsolidationResult:
    output: Path
    accepted: int
    rejected: int
    to_review: int
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


# --------------------------------------------------------------------------- reading (worker side)


# The import's own validation, with the faster cell reader
# (exports.fast_book: same cells, same refusals; tests/formats/test_fast_book.py).
_READ_OPTIONS = {"book_factory": FastBook}


def read_entry(path: str, file: str, sha: str) -> Entry | list[Rejection]:
    """Runs in a worker process: validate one workbook as the importer does."""
    try:
        parsed = read_workbook(path, **_READ_OPTIONS)
    except ImportRefused as exc:
        pole = _pole_name_of(path)
        out = [_rejection(file, p.location, p.message) for p in exc.problems] or [Rejection(file, str(exc))]
        for r in out:
            r.pole = pole
        return out
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the whole folder
        return [Rejection(file, f"classeur illisible ({type(exc).__name__}).")]
    s = parsed.snapshot
    kind = str(parsed.meta.get("kind") or "export")
    option_number = {o.uuid: i for i, o in enumerate(sorted(s.options, key=lambda o: o.position), start=1)}
    actions = [(i, x.title, x.owner, x.due_on, x.status, x.priority, list(x.criteria),
                sorted(option_number[u] for u in x.options if u in option_number))
               for i, x in enumerate(sorted(s.actions, key=lambda x: x.position), start=1)]
    counters: dict[str, int] = {}
    swot = []
    for item in sorted(s.swot, key=lambda x: ("SWOT".index(x.quadrant), x.position)):
        counters[item.quadrant] = counters.get(item.quadrant, 0) + 1
        swot.append((item.quadrant, counters[item.quadrant], item.text, item.importance, list(item.criteria)))
    return Entry(file, sha, parsed.ref.key, s.pole.uuid, s.pole.name, s.pole.territory, s.pole.region,
                 s.pole.department, s.assessment.uuid, s.assessment.title, s.assessment.started_on,
                 s.assessment.completed_on, s.assessment.status,
                 parsed.saved_at,
                 s.assessment.profile, {c: (a.status, a.level) for c, a in s.answers.items()}, swot, parsed.edited,
                 kind, content_hash(exchange.to_document(s, parsed.ref)) if kind == "template" else "", actions)


def _pole_name_of(path: str) -> str:
    """For the Rejets sheet only: the pole name a refused workbook carries, when it can be read
    as plain text (same size guard and XML reader as the import); "" otherwise."""
    from exports.xlsx_guard import open_checked
    from exports.xlsx_sheets import Book

    try:
        zf = open_checked(path)
    except ImportRefused:
        return ""
    try:
        book = Book(zf)
        name = next((n for n in book.sheets if L.norm(n) == L.norm(L.PROFILE)), None)
        if name is None:
            return ""
        sheet = book.read(name)
        for (r, c), cell in sheet.cells.items():
            if cell.kind == "s" and cell.value == "pole.name":
                for col in range(1, c):
                    value = sheet.get(r, col)
                    if value is not None and value.formula is None and value.kind == "s" and value.value \
                            and _is_value_column(sheet, col):
                        return str(value.value).strip()[:200]
        return ""
    except Exception:  # noqa: BLE001 - best effort, the refusal itself is already recorded
        return ""
    finally:
        zf.close()


def _is_value_column(sheet, col: int) -> bool:
    return any(cell.kind == "s" and L.norm(cell.value or "") == L.norm("Valeur")
               for (r, c), cell in sheet.cells.items() if c == col and r <= L.HEADER_SEARCH_ROWS)


def _rejection(file: str, location: str, message: str) -> Rejection:
    import re

    m = re.match(r"feuille[ \u00a0]«\u00a0(.+?)\u00a0»(?:, (?:cellule (\w+)|ligne (\d+)))?$", location or "")
    if m:
        return Rejection(file, message, m.group(1), m.group(2) or (f"ligne {m.group(3)}" if m.group(3) else ""))
    return Rejection(file, f"{location} : {message}" if location else message)


def _read_chunk(jobs: list[tuple[str, str, str]]) -> list:
    return [read_entry(*job) for job in jobs]


# --------------------------------------------------------------------------- folder


def _is_lock(name: str) -> bool:
    """Excel (« ~$classeur.xlsx ») and LibreOffice (« .~lock.classeur.xlsx# ») lock files."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def _files(folder: Path) -> list[Path]:
    """Every file, sorted by relative path; hidden files and folders are skipped, except
    LibreOffice's lock files, which are listed (they say a workbook was open while copied)."""
    out = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts[:-1]) and (
                not rel.name.startswith(".") or _is_lock(rel.name)):
            out.append(p)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def consolidate_folder(folder: str | Path, output: str | Path, progress=None, workers: int | None = None,
                       *, chunk: int = 8, mp_context=None) -> ConsolidationResult:
    """Read every workbook of ``folder`` (sub-folders included) and write the synthesis to ``output``.

    ``progress(done, total, name)`` is called after each file; ``workers`` = processes
    (default: one per core; 1 reads in this process). ``mp_context``: the GUI passes
    « spawn », since forking a process that runs Qt threads is unsafe."""
    folder, output = Path(folder), Path(output)
    if not folder.is_dir():
        raise ImportRefused(str(folder), [Problem("", "dossier introuvable.")])
    tick = progress or (lambda done, total, name: None)
    rejections: list[Rejection] = []
    jobs, first_of_sha, copy_of = [], {}, {}
    files = [p for p in _files(folder) if p.resolve() != output.resolve()]
    total = len(files)
    done = 0
    for p in files:
        rel = p.relative_to(folder).as_posix()
        if _is_lock(p.name):
            app = "d’Excel" if p.name.startswith("~$") else "de LibreOffice"
            rejections.append(Rejection(rel, f"fichier de verrouillage {app} (le classeur était ouvert quand le "
                                             "dossier a été copié), ignoré.", info=True))
        elif p.suffix.lower() == ".csv":
            rejections.append(Rejection(rel, "fichier CSV : le format attendu est le classeur .xlsx exporté par "
                                             "PTCE Toolkit ou le questionnaire vierge rempli."))
        elif p.suffix.lower() not in SPREADSHEET_SUFFIXES:
            rejections.append(Rejection(rel, f"pas un classeur (extension « {p.suffix or 'aucune'} »), ignoré."))
        else:
            sha = _sha256(p)
            if sha in first_of_sha:
                copy_of[rel] = first_of_sha[sha]
                rejections.append(Rejection(rel, f"copie exacte de « {first_of_sha[sha]} » : comptée une seule fois.",
                                            info=True))
            else:
                first_of_sha[sha] = rel
                jobs.append((str(p), rel, sha))
                continue
        done += 1
        tick(done, total, rel)
    results = []
    workers = workers or os.cpu_count() or 1
    chunks = [jobs[i:i + chunk] for i in range(0, len(jobs), chunk)]
    if workers <= 1 or len(jobs) <= chunk:
        mapped = map(_read_chunk, chunks)
        pool = None
    else:
        exchange._validator()  # compiled once here: forked workers inherit it
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp_context)
        mapped = pool.map(_read_chunk, chunks)
    try:
        for batch_jobs, batch in zip(chunks, mapped):
            for (_, rel, _), res in zip(batch_jobs, batch):
                results.append(res)
                done += 1
                tick(done, total, rel)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    entries = [r for r in results if isinstance(r, Entry)]
    for r in results:
        if not isinstance(r, Entry):
            rejections.extend(r)
    pole_of = {e.file: e.pole_name for e in entries}
    for r in rejections:
        if r.file in copy_of:
            r.pole = pole_of.get(copy_of[r.file], "")
    entries, more, flags = resolve_duplicates(entries)
    rejections.extend(more)
    rejections.sort(key=lambda r: (r.file, r.sheet, r.cell, r.reason))
    from exports.xlsx_synthesis import write_synthesis

    write_synthesis(output, entries, rejections, flags, registry=ref_mod.registry())
    rejected_files = {r.file for r in rejections if not r.info}
    return ConsolidationResult(output, len(entries), len(rejected_files), len(flags), entries, rejections, flags)


# --------------------------------------------------------------------------- duplicates


def _newest_first(group: list[Entry]) -> list[Entry]:
    return sorted(group, key=lambda e: (e.saved_at, e.file), reverse=True)


def _older(old: Entry, newest: Entry) -> Rejection:
    return Rejection(old.file, f"version plus ancienne de la même évaluation que « {newest.file} » (enregistrée le "
                               f"{old.saved_at[:10] or '?'} contre {newest.saved_at[:10] or '?'}) : seule la plus "
                               "récente est retenue.", pole=old.pole_name, info=True)


def _same_pole(group: list[Entry]) -> tuple[list[Entry], list[Rejection], list[Flag]]:
    """Files of one assessment id filled for one pole name.

    Re-exports of an assessment (or re-saves of one filled questionnaire with the same
    content) are versions: the newest is kept. Copies of a blank questionnaire filled
    twice for the same pole with different answers are both kept and flagged: nothing
    tells which one the pole meant, and they are never merged."""
    if len(group) == 1:
        return group, [], []
    if any(e.kind != "template" for e in group):
        newest, *older = _newest_first(group)
        return [newest], [_older(o, newest) for o in older], []
    by_content: dict[str, list[Entry]] = {}
    for e in group:
        by_content.setdefault(e.fingerprint, []).append(e)
    kept, rejections = [], []
    for same in by_content.values():
        newest, *older = _newest_first(same)
        kept.append(newest)
        rejections += [_older(o, newest) for o in older]
    flags = []
    if len(kept) > 1:
        kept.sort(key=lambda e: e.file)
        flags.append(Flag("Même pôle, plusieurs questionnaires", [e.file for e in kept],
                          f"« {kept[0].pole_name} » a rempli {len(kept)} copies du même questionnaire avec des "
                          "réponses différentes. Toutes sont dans la synthèse, chacune sur sa ligne (colonne "
                          "« À vérifier » de la feuille Pôles) ; rien n’est fusionné. À trancher par une personne : "
                          "laquelle garder ?"))
    return kept, rejections, flags


def resolve_duplicates(entries: list[Entry]) -> tuple[list[Entry], list[Rejection], list[Flag]]:
    """Nothing is merged or averaged; a person decides what cannot be told apart.

    - Copies of one blank questionnaire filled for different poles (same ids, other pole
      names, ``kind`` template): a campaign; each pole is kept as its own pole.
    - Same assessment exported twice: the newest is kept, the older one is listed.
    - Two copies filled for the same pole with different answers: both kept, flagged.
    - Exported workbooks of one assessment id under two pole names: none is kept, flagged.
    - Same pole name under two pole uuids: both kept, flagged."""
    kept, rejections, flags = [], [], []
    by_assessment: dict[str, list[Entry]] = {}
    for e in entries:
        by_assessment.setdefault(e.assessment_uuid, []).append(e)
    for uuid, group in sorted(by_assessment.items()):
        by_name: dict[str, list[Entry]] = {}
        for e in group:
            by_name.setdefault(L.norm(e.pole_name), []).append(e)
        campaign = all(e.kind == "template" for e in group) and len({e.pole_uuid for e in group}) == 1
        if len(by_name) > 1 and not campaign:
            flags.append(Flag("Même identifiant, noms différents", sorted(e.file for e in group),
                              f"L’évaluation {uuid} apparaît sous les noms "
                              + ", ".join(f"« {e.pole_name} »" for e in sorted(group, key=lambda e: e.file))
                              + "\u00a0: un classeur exporté a sans doute été réutilisé pour un autre pôle, ou le pôle "
                                "a changé de nom. Aucun de ces fichiers n’est dans la synthèse ; à trancher par une "
                                "personne."))
            continue
        for _, same in sorted(by_name.items()):
            k, r, f = _same_pole(same)
            kept += k
            rejections += r
            flags += f
    by_name = {}
    for e in kept:
        by_name.setdefault(L.norm(e.pole_name), []).append(e)
    for name, group in sorted(by_name.items()):
        if len({e.pole_uuid for e in group}) > 1:
            flags.append(Flag("Même nom, identifiants différents", sorted(e.file for e in group),
                              f"« {group[0].pole_name} » apparaît avec {len({e.pole_uuid for e in group})} "
                              "identifiants de pôle différents : le même pôle rempli deux fois, ou deux pôles "
                              "homonymes ? Les lignes sont gardées séparément, rien n’est fusionné ; à trancher "
                              "par une personne."))
    kept.sort(key=lambda e: (L.norm(e.pole_name), e.started_on, e.assessment_uuid, e.file))
    return kept, rejections, flags
