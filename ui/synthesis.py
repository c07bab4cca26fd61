"""Dashboard additions for reading the scores honestly (issue 13): the like-for-like change
and how many criteria it rests on, the criteria left out across referential versions,
level distribution and median, domains insufficiently documented, unexplained
« Sans objet », and the referential's unifying objectives. Texts only: the numbers come
from ptce_toolkit.scoring and ptce_toolkit.crosswalk."""

from __future__ import annotations

from ptce_toolkit import crosswalk, fmt
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import scoring
from ui.translation import tr


def previous_referential(doc):
    """The referential of the document's previous assessment (None: none, or not installed)."""
    if doc.previous is None:
        return None
    a = doc.previous.assessment
    try:
        return ref_mod.registry().get(a.referential_id, a.referential_version)
    except ref_mod.ReferentialError:
        return None


def comparison(doc):
    """Like-for-like comparison with the document's previous assessment, or None."""
    prev_ref = previous_referential(doc)
    if prev_ref is None:
        return None
    return crosswalk.compare_assessments(doc.ref, doc.snap.answers, prev_ref, doc.previous.answers)


def change_text(diff: float | None) -> str:
    if diff is None:
        return "—"
    if diff == 0:
        return "="
    return ("▲ " if diff > 0 else "▼ ") + fmt.signed_score(diff)


def evolution_lines(cmp, previous_title: str) -> list[str]:
    if cmp is None:
        return []
    lines = [tr("Évolution de l’indice depuis « %1 », à critères constants : %2 (sur %3 critères notés les "
                "deux années)").replace("%1", previous_title).replace("%2", change_text(cmp.difference))
             .replace("%3", str(cmp.criteria))]
    if cmp.left_out:
        lines.append(tr("Non comparés (sans équivalent dans la version précédente du référentiel) : %1")
                     .replace("%1", ", ".join(cmp.left_out)))
    return lines


def reading_lines(ref, scores, answers) -> list[str]:
    dist = " · ".join(f"{lv}\u00a0: {scores.distribution[lv]}" for lv in range(5))
    lines = [tr("Répartition des niveaux : %1 — médiane %2, moyenne %3")
             .replace("%1", dist).replace("%2", fmt.score(scores.median)).replace("%3", fmt.score(scores.mean_level))]
    if scores.insufficient:
        lines.append(tr("Insuffisamment renseigné, hors de l’indice : %1").replace(
            "%1", ", ".join(f"{ref.domain(i).short_title} ({scores.domains[i].answered}/{scores.domains[i].applicable})"
                            for i in scores.insufficient)))
    if scores.unexplained_na:
        lines.append(tr("« %1 » sans explication : %2").replace("%1", ref.not_applicable.label)
                     .replace("%2", ", ".join(scores.unexplained_na)))
    for g in scoring.group_scores(ref, answers):
        lines.append(tr("Objectif « %1 » : %2 sur 4 (%3/%4 critères notés)").replace("%1", g.title)
                     .replace("%2", fmt.score(g.score)).replace("%3", str(g.answered)).replace("%4", str(g.criteria)))
    return lines
