"""Command line: ``ptce [--db PATH] COMMAND …``.

Every command imports only what it needs (``ptce score`` must start fast) and reports
errors as one French sentence on stderr with a non-zero exit code, never a traceback.
A front end beside ``ui``: it calls ``exports`` and ``ptce_toolkit``, never ``ui``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ptce_toolkit import __version__

EXIT_ERROR = 1
EXIT_REFUSED = 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def _db(args, *, write: bool = False):
    """Commands that write take the single-instance lock (refused while the app has the
    base open) and make the start-up backup when the data changed."""
    from ptce_toolkit.db import open_database

    db = open_database(args.db, lock=write, startup_backup=write)
    if write:
        _locked.append(db)  # closed by main(), which releases the lock
    return db


_locked: list = []


def _resolve(con, ref: str) -> str:
    """Accept a full uuid or a unique prefix (handy from the keyboard); ``con``: sqlite3."""
    from ptce_toolkit import quickread

    try:
        return quickread.resolve_assessment(con, ref)
    except quickread.AmbiguousOrMissing as exc:
        raise CliError(str(exc)) from None


def _resolve_assessment(db, ref: str) -> str:
    with db.connection() as conn:
        return _resolve(conn.connection.driver_connection, ref)


# --------------------------------------------------------------------------- commands


def cmd_demo(args) -> int:
    from ptce_toolkit import demo

    db = _db(args, write=True)
    uuid = demo.create_demo(db)
    print(uuid)
    if args.out:
        from exports.demo_files import write_demo_files

        for path in write_demo_files(db, uuid, Path(args.out)):
            print(f"Écrit\u00a0: {path}", file=sys.stderr)
    return 0


def cmd_poles(args) -> int:
    from ptce_toolkit import services as sv

    db = _db(args)
    poles = sv.list_poles(db)
    if args.json:
        print(json.dumps([{"uuid": p.uuid, "name": p.name, "territory": p.territory} for p in poles],
                         ensure_ascii=False, indent=2))
        return 0
    if not poles:
        print("Aucun pôle. Créez-en un avec « ptce demo » ou importez un fichier.")
    for p in poles:
        print(f"{p.uuid}  {p.name}" + (f" — {p.territory}" if p.territory else ""))
    return 0


def cmd_assessments(args) -> int:
    from ptce_toolkit import services as sv
    from ptce_toolkit.vocabulary import ASSESSMENT_STATUS_LABELS

    db = _db(args)
    items = sv.list_assessments(db)
    if args.json:
        print(json.dumps([a.__dict__ for a in items], ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("Aucune évaluation.")
    for a in items:
        status = ASSESSMENT_STATUS_LABELS.get(a.status, a.status).lower()
        print(f"{a.uuid}  {a.pole_name} — {a.title} ({a.started_on}, {status}, {a.answered} réponses)")
    return 0


def cmd_import(args) -> int:
    """One or several files, each recognised by its content (.json, .xlsx, .ods). Two filled copies
    of one campaign questionnaire for the same pole in one run are a choice left to the person
    (--meme-pole); an identical re-import says so, once, and nothing else."""
    from exports import xlsx_guard
    from ptce_toolkit import exchange

    db = _db(args, write=True)
    paths = [Path(f) for f in args.file]
    kinds = [xlsx_guard.detect(p) for p in paths]
    same_pole = {"separer": "separate", "remplacer": "update", None: "update"}[args.meme_pole]
    if len(paths) > 1 and args.meme_pole is None:
        _refuse_copies_for_one_pole([p for p, k in zip(paths, kinds) if k != "json"])
    for path, kind in zip(paths, kinds):
        if kind == "json":
            result = exchange.import_file(db, path)
            notes, unchanged = [], False
        else:
            from exports.xlsx_import import import_workbook

            result = import_workbook(db, path, same_pole=same_pole)
            notes, unchanged = result.notes, result.unchanged
        print(result.assessment_uuid)
        if unchanged:
            for note in notes[:-1]:  # rows absent from the file, whose answers were kept
                print(note, file=sys.stderr)
            print(f"« {path.name} » : identique à l’évaluation déjà présente, rien n’a changé.", file=sys.stderr)
            continue
        for note in notes:
            print(note, file=sys.stderr)
        verb = "mise à jour" if result.replaced else "créée"
        print(f"Évaluation {verb} depuis « {path.name} ».", file=sys.stderr)
    return 0


def _refuse_copies_for_one_pole(paths: list[Path]) -> None:
    """Several copies of one questionnaire filled for the same pole, in one run: nothing is
    written until the person says what they mean."""
    from exports.xlsx_import import read_workbook
    from ptce_toolkit.exchange import ImportRefused, Problem

    seen: dict[str, list[tuple[Path, str]]] = {}
    for path in paths:
        parsed = read_workbook(path)
        if parsed.campaign:
            seen.setdefault(parsed.snapshot.assessment.uuid, []).append((path, parsed.snapshot.pole.name))
    clashes = [group for group in seen.values() if len(group) > 1]
    if clashes:
        problems = [Problem("", f"« {group[0][1]} » : {len(group)} copies remplies du même questionnaire ("
                                + ", ".join(f"« {p.name} »" for p, _ in group) + ")") for group in clashes]
        problems.append(Problem("", "choisissez : --meme-pole separer (une évaluation par copie) ou "
                                    "--meme-pole remplacer (la dernière copie de la liste l’emporte)."))
        raise ImportRefused("import", problems)


def _export_xlsx(db, uuid: str, path: Path) -> None:
    from exports.xlsx_export import export_workbook

    export_workbook(db, uuid, path)


def cmd_export(args) -> int:
    from ptce_toolkit import exchange

    if not (args.json or args.xlsx):
        raise CliError("Précisez --json FICHIER et/ou --xlsx FICHIER.")
    db = _db(args)
    uuid = _resolve_assessment(db, args.assessment)
    if args.json:
        exchange.export_file(db, uuid, args.json)
        print(f"Écrit : {args.json}", file=sys.stderr)
    if args.xlsx:
        _export_xlsx(db, uuid, Path(args.xlsx))
        print(f"Écrit : {args.xlsx}", file=sys.stderr)
    return 0


def cmd_nouvelle(args) -> int:
    """A new assessment from an existing one: on the same referential, a copy; on another
    version, its answers carried over through the crosswalk (proposals « à confirmer »)."""
    from ptce_toolkit import fmt, referential, snapshot
    from ptce_toolkit import services as sv
    from ptce_toolkit.services import carry

    db = _db(args, write=True)
    source_uuid = _resolve_assessment(db, args.assessment)
    source = sv.referential_of(db, source_uuid)
    reg = referential.registry()
    target = reg.get(source.id, args.version) if args.version else reg.latest(source.id)
    options = {"title": args.titre or "", "started_on": args.date}
    if target.key == source.key:
        pole = snapshot.load(db, source_uuid).pole.uuid
        uuid = sv.create_assessment(db, pole, referential=target, copy_from=source_uuid, **options).created
        print(f"Nouvelle évaluation recopiée de la précédente, référentiel {target.version}.", file=sys.stderr)
    else:
        uuid, report = carry.carry_over(db, source_uuid, target, **options)
        parts = [fmt.plural(len(report.carried), "%n réponse reprise", "%n réponses reprises"),
                 fmt.plural(len(report.to_confirm), "%n proposition à confirmer", "%n propositions à confirmer"),
                 fmt.plural(len(report.empty), "%n critère sans réponse", "%n critères sans réponse")]
        print(f"Nouvelle évaluation sur le référentiel {target.version} (depuis {source.version})\u00a0: "
              + ", ".join(parts) + ".", file=sys.stderr)
    print(uuid)
    return 0


def _read_agreed_answers(args):
    """(referential, agreed answers) of the assessment named on the command line, read-only
    with sqlite3 alone (no SQLAlchemy: these commands must start fast, see quickread.py)."""
    from ptce_toolkit import dbfile, paths, quickread, referential

    con = dbfile.connect_readonly(paths.default_db_path(args.db))
    try:
        uuid = quickread.resolve_assessment(con, args.assessment)
        return referential.registry().get(*quickread.referential_key(con, uuid)), quickread.agreed_answers(con, uuid)
    except quickread.AmbiguousOrMissing as exc:
        raise CliError(str(exc)) from None
    finally:
        con.close()


def cmd_score(args) -> int:
    from ptce_toolkit import fmt, scoring

    ref, answers = _read_agreed_answers(args)
    scores = scoring.score(ref, answers)
    if args.json:
        print(json.dumps(scores.as_dict(), ensure_ascii=False, indent=2))
        return 0
    for d in ref.domains:
        ds = scores.domains[d.id]
        extra = []
        if ds.not_applicable:
            extra.append(f"{ds.not_applicable} sans objet")
        if ds.unknown:
            extra.append(f"{ds.unknown} ne sait pas")
        if ds.unanswered:
            extra.append(f"{ds.unanswered} sans réponse")
        if ds.score is not None and ds.insufficient:
            extra.append("insuffisamment renseigné, hors indice")
        print(f"{d.id:4} {d.title[:48]:48} {fmt.score(ds.score):>4}" + (f"  ({', '.join(extra)})" if extra else ""))
    print(f"Indice global : {fmt.score(scores.overall)} / 4 — complétude : {fmt.percent(scores.completion)}")
    return 0


def cmd_report(args) -> int:
    # Read-only and on the fast path, like score: sqlite3 only, neither SQLAlchemy nor Qt.
    from ptce_toolkit import dbfile, paths

    from exports import pdf_report

    pdf_report.command_line_setup()
    if bool(args.assessment) == bool(args.tous):
        raise CliError("Donnez l’identifiant d’une évaluation, ou --tous pour un rapport par évaluation.")
    con = dbfile.connect_readonly(paths.default_db_path(args.db))
    try:
        if args.tous:
            def progress(done, total, name):
                print(f"{done}/{total} {name}", file=sys.stderr, flush=True)

            written = pdf_report.write_all(con, args.output, anonymous=args.anonyme, progress=progress)
            from ptce_toolkit import fmt

            print(fmt.plural(len(written), "%n rapport écrit", "%n rapports écrits")
                  + f" dans «\u00a0{args.output}\u00a0».", file=sys.stderr)
            return 0
        pdf_report.write_report(con, _resolve(con, args.assessment), Path(args.output), anonymous=args.anonyme)
    finally:
        con.close()
    print(f"Écrit : {args.output}", file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    from exports.xlsx_template import write_template

    write_template(Path(args.output), pole_name=args.pole)
    print(f"Écrit : {args.output}", file=sys.stderr)
    return 0


def cmd_consolidate(args) -> int:
    from exports.consolidate import consolidate_folder

    def progress(done, total, name):
        if not args.quiet:
            print(f"\r{done}/{total} {name[:50]:50}", end="", file=sys.stderr, flush=True)

    if args.anonyme and not args.rapport:
        raise CliError("--anonyme ne vaut qu’avec --rapport (le rapport de synthèse anonymisé).")
    result = consolidate_folder(Path(args.folder), Path(args.output), progress=progress, workers=args.workers)
    if not args.quiet:
        print(file=sys.stderr)
    if args.reperes:
        from exports.network_pack import pack_from_entries
        from ptce_toolkit import benchmark

        pack = pack_from_entries(result.entries, name=args.nom_reseau or Path(args.folder).resolve().name)
        if pack is None:
            raise CliError("Aucun classeur accepté : pas de repères à écrire.")
        benchmark.write_pack(pack, args.reperes)
        print(f"Repères du réseau écrits\u00a0: {args.reperes}", file=sys.stderr)
    if args.rapport:
        from exports.network_report import write_network_report

        written = write_network_report(result, args.rapport, name=args.nom_reseau or Path(args.folder).resolve().name,
                                       anonymous=args.anonyme)
        if written is None:
            raise CliError("Aucun classeur accepté\u00a0: pas de rapport de synthèse à écrire.")
        print(f"Rapport de synthèse écrit\u00a0: {args.rapport}", file=sys.stderr)
    from ptce_toolkit import fmt

    print(fmt.plural(result.accepted, "%n classeur consolidé", "%n classeurs consolidés") + ", "
          + fmt.plural(result.rejected, "%n rejeté", "%n rejetés") + f"\u00a0: {args.output}")
    return 0


def cmd_reperes(args) -> int:
    """Import a « repères du réseau » file, or list those kept."""
    from ptce_toolkit import benchmark

    if args.file:
        try:
            kept, pack = benchmark.install_pack(args.file)
        except benchmark.PackRefused as exc:
            raise CliError(str(exc), EXIT_REFUSED) from None
        print(f"Repères «\u00a0{pack['nom']}\u00a0» du {pack['date']} importés.", file=sys.stderr)
        return 0
    packs = benchmark.installed_packs()
    if not packs:
        print("Aucun fichier de repères importé.")
    for pk in packs:
        whole = benchmark.group_of(pk)
        print(f"{pk['date']}  {pk['nom']} — {whole['poles'] if whole else 0}\u00a0pôles, référentiel "
              f"{pk['referentiel']['id']} {pk['referentiel']['version']}")
    return 0


def cmd_position(args) -> int:
    """The pole's domain scores beside the network's median and quartiles (latest pack for its referential)."""
    from ptce_toolkit import benchmark, fmt

    ref, answers = _read_agreed_answers(args)
    pack = benchmark.latest_pack_for(ref)
    if pack is None:
        raise CliError(f"Aucun fichier de repères importé pour le référentiel {ref.id} {ref.version} "
                       "(voir «\u00a0ptce reperes FICHIER\u00a0»).")
    rows = benchmark.positions(ref, pack, answers, breakdown="region" if args.region else benchmark.WHOLE_NETWORK,
                               value=args.region or "")
    if not rows:
        raise CliError(f"Les repères «\u00a0{pack['nom']}\u00a0» ne publient rien pour ce groupe.")
    print(f"Repères «\u00a0{pack['nom']}\u00a0» du {pack['date']}")
    titles = {d.id: d.title for d in ref.domains} | {benchmark.OVERALL: "Indice global"}
    for r in rows:
        print(f"{titles[r.key][:40]:40}  votre pôle {fmt.score(r.own)}, médiane {fmt.score(r.network.median)}, "
              f"quartiles {fmt.score(r.network.q1)}–{fmt.score(r.network.q3)} (n\u00a0=\u00a0{r.network.n})"
              + (f"\u00a0: {r.verdict}" if r.verdict else ""))
    return 0


def cmd_backups(args) -> int:
    from ptce_toolkit import backup, fmt, paths

    path = paths.default_db_path(args.db)
    if args.restore:
        if args.restore in ("derniere", "dernière"):
            chosen = backup.latest_good_backup(path)
        else:
            chosen = backup.find_backup(path, args.restore)
        if chosen is None:
            raise CliError(f"Sauvegarde «\u00a0{args.restore}\u00a0» introuvable (voir «\u00a0ptce backups\u00a0»).")
        aside = backup.restore_backup(path, chosen.path)
        print(f"Sauvegarde du {chosen.label()} restaurée. L’ancienne base est conservée sous "
              f"«\u00a0{aside.name}\u00a0» (dans «\u00a0{aside.parent}\u00a0»).")
        return 0
    if args.now:
        made = backup.make_backup(path, reason=backup.MANUAL)
        print(f"Sauvegarde faite\u00a0: {made}")
        return 0
    items = backup.list_backups(path)
    if not items:
        print("Aucune sauvegarde.")
    for b in items:
        print(f"{b.path.name}  {b.label()}  {fmt.number(b.size / 1024, 0)}\u00a0Kio")
    return 0


def cmd_referentiels(args) -> int:
    """List the referentials this machine knows, and the files set aside with why."""
    from ptce_toolkit import fmt, paths, referential

    reg = referential.registry()

    def origin(path) -> str:
        if path is None:
            return ""
        return "fourni avec l’application" if path.parent == paths.SHIPPED_REFERENTIAL_DIR else str(path)

    if args.json:
        print(json.dumps({
            "referentials": [{"id": r.id, "version": r.version, "title": r.title, "criteria": len(r.criteria()),
                              "file": str(r.source_path) if r.source_path else None} for r in reg.all()],
            "problems": [{"file": str(p.path), "kind": p.kind, "line": p.line, "field": p.field,
                          "message": p.message} for p in reg.problems],
        }, ensure_ascii=False, indent=2))
        return 0
    for r in reg.all():
        print(f"{r.id} {r.version}  {r.title} ({len(r.criteria())}\u00a0critères) — {origin(r.source_path)}")
    if reg.problems:
        print("\n" + fmt.plural(len(reg.problems), "%n fichier mis de côté", "%n fichiers mis de côté") + "\u00a0:")
        for p in reg.problems:
            where = ", ".join(x for x in (f"ligne {p.line}" if p.line else "",
                                          f"champ «\u00a0{p.field}\u00a0»" if p.field else "") if x)
            print(f"  – {p.path} ({p.kind}{', ' + where if where else ''})\u00a0: {p.message}")
    else:
        print(f"\nAucun problème dans le dossier «\u00a0{paths.user_referential_dir()}\u00a0».")
    return 0


# --------------------------------------------------------------------------- parser


# argparse speaks English: its usage errors, in French (same exit code 2).
_ARGPARSE_FR = (
    (r"unrecognized arguments: (\S+)", "argument non reconnu\u00a0: {0}"),
    (r"unrecognized arguments: (.*)", "arguments non reconnus\u00a0: {0}"),
    (r"the following arguments are required: ([^,]+)", "argument obligatoire manquant\u00a0: {0}"),
    (r"the following arguments are required: (.*)", "arguments obligatoires manquants\u00a0: {0}"),
    (r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)", "{0}\u00a0: choix inconnu «\u00a0{1}\u00a0» (choix possibles\u00a0: {2})"),
    (r"argument (\S+): invalid (\w+) value: '(.*)'", "{0}\u00a0: valeur invalide «\u00a0{2}\u00a0»"),
    (r"argument (\S+): expected one argument", "{0}\u00a0: une valeur est attendue"),
    (r"argument (\S+): not allowed with argument (\S+)", "{0} ne peut pas être donné avec {1}"),
)


class FrenchArgumentParser(argparse.ArgumentParser):
    _WORDS = (("usage: ", "utilisation\u00a0: "), ("positional arguments:", "arguments\u00a0:"),
              ("options:", "options\u00a0:"), ("show this help message and exit", "afficher cette aide"),
              ("show program's version number and exit", "afficher la version"))

    def _fr(self, text: str) -> str:
        for en, fr in self._WORDS:
            text = text.replace(en, fr)
        return text

    def format_usage(self) -> str:
        return self._fr(super().format_usage())

    def format_help(self) -> str:
        return self._fr(super().format_help())

    def error(self, message: str):
        import re

        for pattern, french in _ARGPARSE_FR:
            m = re.fullmatch(pattern, message)
            if m:
                message = french.format(*m.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : {message} (voir «\u00a0{self.prog} --help\u00a0»).\n")


def build_parser() -> argparse.ArgumentParser:
    p = FrenchArgumentParser(prog="ptce", description="PTCE Toolkit en ligne de commande.")
    p.add_argument("--version", action="version", version=f"PTCE Toolkit {__version__}")
    p.add_argument("--db", metavar="CHEMIN", help="base SQLite à utiliser (sinon PTCE_TOOLKIT_DB ou le dossier de données)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    s = sub.add_parser("demo", help="créer le pôle de démonstration")
    s.add_argument("--out", metavar="DOSSIER", help="écrire aussi le JSON, le PDF et le classeur de démonstration")
    s.set_defaults(func=cmd_demo)
    s = sub.add_parser("poles", help="lister les pôles")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_poles)
    s = sub.add_parser("assessments", help="lister les évaluations")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_assessments)
    s = sub.add_parser("import", help="importer des fichiers .json, .xlsx ou .ods (reconnus par leur contenu)")
    s.add_argument("file", metavar="FICHIER", nargs="+")
    s.add_argument("--meme-pole", choices=("separer", "remplacer"), default=None,
                   help="copies du même questionnaire remplies pour un même pôle : une évaluation par copie "
                        "(separer) ou mise à jour de la même (remplacer)")
    s.set_defaults(func=cmd_import)
    s = sub.add_parser("export", help="exporter une évaluation")
    s.add_argument("assessment", metavar="UUID")
    s.add_argument("--json", metavar="FICHIER")
    s.add_argument("--xlsx", metavar="FICHIER")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("nouvelle", help="commencer une nouvelle évaluation à partir d’une autre (réponses reprises "
                                        "vers une autre version du référentiel avec --version)")
    s.add_argument("assessment", metavar="UUID")
    s.add_argument("--version", metavar="VERSION", help="version du référentiel (sinon la plus récente installée)")
    s.add_argument("--titre", metavar="TITRE")
    s.add_argument("--date", metavar="AAAA-MM-JJ", help="date de début (sinon aujourd’hui)")
    s.set_defaults(func=cmd_nouvelle)
    s = sub.add_parser("score", help="afficher les scores d’une évaluation")
    s.add_argument("assessment", metavar="UUID")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_score)
    s = sub.add_parser("report", help="écrire le rapport PDF (ou un par évaluation avec --tous)")
    s.add_argument("assessment", metavar="UUID", nargs="?")
    s.add_argument("-o", "--output", required=True, metavar="FICHIER.pdf|DOSSIER")
    s.add_argument("--tous", action="store_true", help="un rapport par évaluation, dans le dossier -o, nommé par pôle et année")
    s.add_argument("--anonyme", action="store_true", help="sans commentaires ni noms (diffusion externe)")
    s.set_defaults(func=cmd_report)
    s = sub.add_parser("template", help="écrire un questionnaire vierge (.xlsx)")
    s.add_argument("-o", "--output", required=True, metavar="FICHIER.xlsx")
    s.add_argument("--pole", metavar="NOM")
    s.set_defaults(func=cmd_template)
    s = sub.add_parser("consolidate", help="consolider un dossier de classeurs")
    s.add_argument("folder", metavar="DOSSIER")
    s.add_argument("-o", "--output", required=True, metavar="SYNTHESE.xlsx")
    s.add_argument("--workers", type=int, default=None)
    s.add_argument("--quiet", action="store_true")
    s.add_argument("--reperes", metavar="REPERES.json", help="écrire aussi les repères du réseau à renvoyer aux pôles")
    s.add_argument("--nom-reseau", metavar="NOM", help="nom du réseau dans les repères (sinon le nom du dossier)")
    s.add_argument("--rapport", metavar="SYNTHESE.pdf", help="écrire aussi le rapport PDF de synthèse du réseau")
    s.add_argument("--anonyme", action="store_true", help="rapport de synthèse sans aucun nom de pôle")
    s.set_defaults(func=cmd_consolidate)
    s = sub.add_parser("reperes", help="importer un fichier de repères du réseau, ou lister ceux importés")
    s.add_argument("file", metavar="FICHIER", nargs="?")
    s.set_defaults(func=cmd_reperes)
    s = sub.add_parser("position", help="situer une évaluation par rapport aux repères du réseau")
    s.add_argument("assessment", metavar="UUID")
    s.add_argument("--region", metavar="REGION", help="comparer au groupe de cette région plutôt qu’à tout le réseau")
    s.set_defaults(func=cmd_position)
    s = sub.add_parser("backups", help="lister, créer ou restaurer les sauvegardes")
    s.add_argument("--now", action="store_true", help="faire une sauvegarde maintenant")
    s.add_argument("--restore", metavar="NOM", help="restaurer cette sauvegarde (« derniere » : la plus récente intacte)")
    s.set_defaults(func=cmd_backups)
    s = sub.add_parser("referentiels", help="lister les référentiels et les fichiers mis de côté")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_referentiels)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    finally:
        while _locked:
            _locked.pop().close()


def _run(args) -> int:
    try:
        return args.func(args)
    except CliError as exc:
        print(f"Erreur\u00a0: {exc}", file=sys.stderr)
        return exc.code
    except Exception as exc:  # noqa: BLE001 - one sentence for the user, never a traceback
        return _report_error(exc)


def _report_error(exc: Exception) -> int:
    from ptce_toolkit.db import DatabaseError
    from ptce_toolkit.exchange import ImportRefused
    from ptce_toolkit.referential import ReferentialError
    from ptce_toolkit.services import ServiceError

    if isinstance(exc, ImportRefused) or type(exc).__name__ in ("WorkbookRefused",):
        print(f"Erreur\u00a0: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    if isinstance(exc, (ServiceError, ReferentialError, DatabaseError)):
        print(f"Erreur\u00a0: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if isinstance(exc, OSError):  # a file that cannot be written or read: French, never strerror
        from ptce_toolkit import save_errors

        print(f"Erreur\u00a0: {save_errors.describe(exc, during='file')}", file=sys.stderr)
        return EXIT_ERROR
    import sqlite3

    if isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("sqlalchemy"):
        from ptce_toolkit import save_errors

        print(f"Erreur\u00a0: {save_errors.describe(exc, during='save')}", file=sys.stderr)
        return EXIT_ERROR
    # a bug: one French sentence, no English detail on the user's screen
    print(f"Erreur inattendue ({type(exc).__name__})\u00a0: l’opération a été abandonnée. "
          "Signalez-la en indiquant la commande lancée.", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
