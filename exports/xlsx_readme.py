"""The « Lisez-moi » sheet: how to read and fill the workbook, in plain French."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from exports import xlsx_layout as L
from exports.xlsx_cells import put_text
from ptce_toolkit import fmt

H1 = Font(bold=True, size=16, color="1F3864")
H2 = Font(bold=True, size=12, color="2F5597")
BOLD = Font(bold=True)


def _proposals(snap) -> list[tuple[str, str]]:
    """A carried-over assessment: which Réponses rows are proposals « à confirmer » (services.carry)."""
    pending = sorted(c for c, a in snap.answers.items() if a.to_confirm and not a.is_empty)
    if not pending:
        return []
    return [("p", "Propositions à confirmer\u00a0: les lignes " + ", ".join(pending) + " de la feuille Réponses "
                  "portent une réponse reprise de la version précédente du référentiel, à confirmer. Laissez le "
                  "niveau proposé pour qu’elle reste «\u00a0à confirmer\u00a0» dans l’application\u00a0; "
                  "changez-le pour donner votre propre réponse, qui sera importée comme confirmée.")]


def _paragraphs(snap, ref, kind: str) -> list[tuple[str, str]]:
    """(style, text) lines; style is h1, h2, b or p."""
    name = snap.pole.name or "(pôle à renseigner)"
    out = [("h1", f"{'Questionnaire d’auto-diagnostic' if kind == 'template' else 'Diagnostic'} — {name}"),
           ("p", f"{ref.title}, version {ref.version}.")]
    if kind == "template":
        out += [("p", "Ce questionnaire permet à un pôle qui n’utilise pas l’application PTCE Toolkit de réaliser "
                      "son auto-diagnostic dans Excel ou LibreOffice, puis de le renvoyer à son réseau ou à la "
                      "personne qui l’accompagne. Le fichier renvoyé est importé tel quel : merci de suivre les "
                      "consignes ci-dessous."),
                ("p", "Important : chaque pôle doit recevoir son propre questionnaire (il porte un identifiant "
                      "unique). Ne transmettez pas le même fichier à plusieurs pôles.")]
    else:
        out += [("p", f"Diagnostic « {snap.assessment.title} » du pôle « {name} », exporté par PTCE Toolkit. "
                      "Les feuilles se lisent dans l’ordre des onglets ; la feuille Scores se recalcule si vous "
                      "modifiez un niveau dans la feuille Réponses.")]
    out += [
        ("h2", "Comment remplir"),
        ("p", "1. Profil : complétez les cellules jaunes (nom du pôle, titre, dates, chiffres clés). Pour chaque "
              "chiffre, indiquez l’année de référence, le périmètre (cellule d’animation, ensemble des membres…) "
              "et la source : sans eux, les chiffres ne peuvent pas être comparés d’un pôle à l’autre."),
        ("p", "2. Réponses : pour chaque critère, choisissez un niveau de 0 à 4 dans la liste de la colonne "
              f"Niveau, ou « {ref.not_applicable.label} », ou « {ref.unknown.label} ». Laissez la cellule vide "
              "si vous n’avez pas encore répondu : une cellule vide n’est jamais lue comme 0."),
        ("p", "3. Commentaire et preuves : dites ce qui justifie le niveau (documents, faits, chiffres). "
              "Prioritaire : « oui » pour les critères à travailler en premier."),
        ("p", "4. AFOM : une force, une faiblesse, une opportunité ou une menace par ligne. Les repères "
              "(FO1, FA1, OP1, ME1…) servent à relier les options stratégiques à la grille."),
        ("p", "5. Options et Plan d’action : une option ou une action par ligne, reliée par les repères AFOM "
              "et les numéros d’options."),
        *_proposals(snap),
        ("h2", "Ce qu’il ne faut pas faire"),
        ("p", "Ne renommez pas les feuilles, ne supprimez pas de colonnes et ne fusionnez pas de cellules dans les "
              "zones de réponse. N’écrivez pas de formules dans les cellules jaunes : l’import les refuse. La "
              "feuille cachée « _meta » identifie le pôle et le référentiel ; ne la supprimez pas."),
        ("h2", "Échelle de maturité"),
    ]
    for lv in ref.levels:
        out.append(("b", f"{lv.value} – {lv.label}"))
        out.append(("p", lv.description))
    for special in (ref.not_applicable, ref.unknown):
        out.append(("b", special.label))
        out.append(("p", special.description))
    out.append(("h2", "Domaines du référentiel"))
    for d in ref.domains:
        out.append(("b", f"{d.id} – {d.title} ({len(d.criteria)} critères)"))
        if d.key_question:
            out.append(("p", d.key_question))
    out.append(("h2", "Grille AFOM"))
    for q in "SWOT":
        quad = ref.quadrants[q]
        out.append(("b", f"{L.SWOT_CODES[q]} – {quad.title}"))
        out.append(("p", quad.question))
    out += [
        ("h2", "Pour les réseaux et les informaticiens"),
        ("p", f"Format « {L.FORMAT_NAME} », version {L.FORMAT_VERSION} ; référentiel « {ref.id} » version "
              f"{ref.version}. La structure est décrite dans docs/FORMAT-XLSX.md. "
              + (f"Identifiant de l’évaluation : {snap.assessment.uuid}." if kind != "template" else
                 "Questionnaire de campagne : chaque copie remplie devient l’évaluation du pôle dont le nom est "
                 "saisi dans la feuille Profil ; réimporter la même copie la met à jour.")),
    ]
    if kind != "template" and snap.assessment.started_on:
        out.append(("p", f"Évaluation commencée le {fmt.long_date(snap.assessment.started_on)}."))
    return out


def write_readme(wb, snap, ref, kind: str) -> None:
    ws = wb.create_sheet(L.README)
    ws.column_dimensions["A"].width = 72
    ws.sheet_view.showGridLines = False
    fonts = {"h1": H1, "h2": H2, "b": BOLD}
    for row, (style, text) in enumerate(_paragraphs(snap, ref, kind), start=1):
        c = ws.cell(row, 1)
        put_text(c, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if style in fonts:
            c.font = fonts[style]
        if style == "p":
            # rough height so wrapped paragraphs are readable without resizing rows
            ws.row_dimensions[row].height = 15 * (1 + len(text) // 68)
        elif style == "h1":
            ws.row_dimensions[row].height = 21 * (1 + len(text) // 50)
        elif style == "h2":
            ws.row_dimensions[row].height = 24
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
