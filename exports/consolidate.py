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
from exports.xlsx_import import read_workbook
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


@dataclass
class Rejection:
    file: str
    reason: str
    sheet: str = ""
    cell: str = ""


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


def read_entry(path: str, file: str, sha: str) -> Entry | list[Rejection]:
    """Runs in a worker process: validate one workbook as the importer does."""
    try:
        parsed = read_workbook(path)
    except ImportRefused as exc:
        return [_rejection(file, p.location, p.message) for p in exc.problems] or [Rejection(file, str(exc))]
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the whole folder
        return [Rejection(file, f"classeur illisible ({type(exc).__name__}).")]
    s = parsed.snapshot
    counters: dict[str, int] = {}
    swot = []
    for item in sorted(s.swot, key=lambda x: ("SWOT".index(x.quadrant), x.position)):
        counters[item.quadrant] = counters.get(item.quadrant, 0) + 1
        swot.append((item.quadrant, counters[item.quadrant], item.text, item.importance, list(item.criteria)))
    return Entry(file, sha, parsed.ref.key, s.pole.uuid, s.pole.name, s.pole.territory, s.pole.region,
                 s.pole.department, s.assessment.uuid, s.assessment.title, s.assessment.started_on,
                 s.assessment.completed_on, s.assessment.status,
                 parsed.saved_at,
                 s.assessment.profile, {c: (a.status, a.level) for c, a in s.answers.items()}, swot, parsed.edited)


def _rejection(file: str, location: str, message: str) -> Rejection:
    import re

    m = re.match(r"feuille[ \u00a0]«\u00a0(.+?)\u00a0»(?:, (?:cellule (\w+)|ligne (\d+)))?$", location or "")
    if m:
        return Rejection(file, message, m.group(1), m.group(2) or (f"ligne {m.group(3)}" if m.group(3) else ""))
    return Rejection(file, f"{location} : {message}" if location else message)


def _read_chunk(jobs: list[tuple[str, str, str]]) -> list:
    return [read_entry(*job) for job in jobs]


# --------------------------------------------------------------------------- folder


def _files(folder: Path) -> list[Path]:
    out = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
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
    jobs, first_of_sha = [], {}
    files = [p for p in _files(folder) if p.resolve() != output.resolve()]
    total = len(files)
    done = 0
    for p in files:
        rel = p.relative_to(folder).as_posix()
        if p.name.startswith("~$"):
            rejections.append(Rejection(rel, "fichier de verrouillage d’Excel (classeur ouvert ailleurs), ignoré."))
        elif p.suffix.lower() == ".csv":
            rejections.append(Rejection(rel, "fichier CSV : le format attendu est le classeur .xlsx exporté par "
                                             "PTCE Toolkit ou le questionnaire vierge rempli."))
        elif p.suffix.lower() not in SPREADSHEET_SUFFIXES:
            rejections.append(Rejection(rel, f"pas un classeur (extension « {p.suffix or 'aucune'} »), ignoré."))
        else:
            sha = _sha256(p)
            if sha in first_of_sha:
                rejections.append(Rejection(rel, f"copie exacte de « {first_of_sha[sha]} » : comptée une seule fois."))
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
    entries, more, flags = resolve_duplicates(entries)
    rejections.extend(more)
    rejections.sort(key=lambda r: (r.file, r.sheet, r.cell, r.reason))
    from exports.xlsx_synthesis import write_synthesis

    write_synthesis(output, entries, rejections, flags, registry=ref_mod.registry())
    rejected_files = {r.file for r in rejections}
    return ConsolidationResult(output, len(entries), len(rejected_files), len(flags), entries, rejections, flags)


# --------------------------------------------------------------------------- duplicates


def resolve_duplicates(entries: list[Entry]) -> tuple[list[Entry], list[Rejection], list[Flag]]:
    """Same assessment twice: keep the newest, say so. Same uuid under two pole names: a person
    decides, both are left out. Same pole name under two pole uuids: both kept, flagged."""
    kept, rejections, flags = [], [], []
    by_assessment: dict[str, list[Entry]] = {}
    for e in entries:
        by_assessment.setdefault(e.assessment_uuid, []).append(e)
    for uuid, group in sorted(by_assessment.items()):
        names = sorted({L.norm(e.pole_name) for e in group})
        if len(group) == 1:
            kept.append(group[0])
        elif len(names) > 1 or len({e.pole_uuid for e in group}) > 1:
            flags.append(Flag("Même identifiant, noms différents", sorted(e.file for e in group),
                              f"L’évaluation {uuid} apparaît sous les noms "
                              + ", ".join(f"« {e.pole_name} »" for e in sorted(group, key=lambda e: e.file))
                              + " : un même questionnaire a sans doute servi à plusieurs pôles. Aucun de ces "
                                "fichiers n’est dans la synthèse ; à trancher par une personne."))
        else:
            ordered = sorted(group, key=lambda e: (e.saved_at, e.file))
            newest = ordered[-1]
            kept.append(newest)
            for old in ordered[:-1]:
                rejections.append(Rejection(old.file, f"version plus ancienne de la même évaluation que "
                                                      f"« {newest.file} » (enregistrée le {old.saved_at[:10] or '?'} "
                                                      f"contre {newest.saved_at[:10] or '?'}) : seule la plus "
                                                      "récente est retenue."))
    by_name: dict[str, list[Entry]] = {}
    for e in kept:
        by_name.setdefault(L.norm(e.pole_name), []).append(e)
    for name, group in sorted(by_name.items()):
        if len({e.pole_uuid for e in group}) > 1:
            flags.append(Flag("Même nom, identifiants différents", sorted(e.file for e in group),
                              f"« {group[0].pole_name} » apparaît avec {len({e.pole_uuid for e in group})} "
                              "identifiants de pôle différents : le même pôle rempli deux fois, ou deux pôles "
                              "homonymes ? Les lignes sont gardées séparément, rien n’est fusionné ; à trancher "
                              "par une personne."))
    kept.sort(key=lambda e: (L.norm(e.pole_name), e.started_on, e.assessment_uuid))
    return kept, rejections, flags
