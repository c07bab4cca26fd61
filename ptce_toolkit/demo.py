"""A fictional but plausible pole, used by ``ptce demo``, ``make run`` and the tests.

The names, places and figures are invented; the situation mirrors what case studies of
real poles describe (strong local cooperation, fragile economic model, little evaluation).
"""

from __future__ import annotations

from ptce_toolkit import referential as ref_mod
from ptce_toolkit import services as sv

DEMO_POLE = "Pôle Coop’Vallée du Lison"

# level per criterion for the current year; "NA" = sans objet, "DK" = ne sait pas
LEVELS_NOW = {
    "FIN.1": 3, "FIN.2": 3, "FIN.3": 2, "FIN.4": 2, "FIN.5": 1,
    "TER.1": 3, "TER.2": 2, "TER.3": 3, "TER.4": 2, "TER.5": 4,
    "ACT.1": 3, "ACT.2": 1, "ACT.3": 3, "ACT.4": 1, "ACT.5": 2, "ACT.6": 1,
    "GOV.1": 2, "GOV.2": 2, "GOV.3": 1, "GOV.4": 0, "GOV.5": 2, "GOV.6": 2,
    "COO.1": 2, "COO.2": 3, "COO.3": 3, "COO.4": 2, "COO.5": 4, "COO.6": "NA",
    "ECO.1": 3, "ECO.2": 1, "ECO.3": 2, "ECO.4": 3, "ECO.5": "DK", "ECO.6": 2,
    "INN.1": 3, "INN.2": "NA", "INN.3": 1, "INN.4": 2, "INN.5": 2,
    "EVA.1": 0, "EVA.2": 1, "EVA.3": 1, "EVA.4": 2, "EVA.5": 2,
    "RES.1": 2, "RES.2": 3, "RES.3": 0, "RES.4": "DK",
}
# what changed since last year (criterion: level a year earlier)
LEVELS_BEFORE = {"FIN.1": 2, "TER.4": 1, "ACT.1": 2, "GOV.1": 1, "GOV.2": 1, "COO.2": 2, "COO.3": 2,
                 "ECO.1": 2, "ECO.4": 2, "EVA.4": 1, "RES.1": 1, "INN.1": 2, "EVA.2": "DK"}

COMMENTS = {
    "FIN.1": ("La charte adoptée en assemblée générale de 2024 est relue chaque année par les membres.",
              "Charte signée par 23 structures ; compte rendu de l’AG 2025"),
    "TER.5": ("La Fabrique, ancienne tannerie réhabilitée, accueille six structures et un espace de coworking.",
              "Bail emphytéotique avec la communauté de communes"),
    "ACT.2": ("Deux PME du bâtiment participent au groupe « éco-rénovation », aucune autre entreprise classique.",
              ""),
    "GOV.4": ("Tout repose encore sur la fondatrice ; aucune passation n’est préparée. Point à traiter en priorité.",
              ""),
    "COO.5": ("Déjeuner des membres chaque premier jeudi du mois, marché de producteurs l’été.", "Agenda 2025"),
    # ECO.1 and ECO.4 agree with the profile below (2,5 ETP; 32,5 % of own resources, up from 28 %)
    "ECO.1": ("Une coordinatrice à temps plein et un chargé de mission à mi-temps, plus une assistante à mi-temps "
              "mise à disposition par un membre : 2,5 ETP.", "Bilan social 2025"),
    "ECO.4": ("Ressources propres de la cellule : 32,5 % en 2025 contre 28 % en 2024 (cotisations et services "
              "vendus, sans le bénévolat valorisé).", "Comptes 2024 et 2025"),
    "ECO.2": ("La convention régionale s’achève fin 2026 ; rien n’est signé au-delà.",
              "Convention Région 2024-2026"),
    "ECO.5": ("Personne n’a encore compté le temps bénévole des administrateurs.", ""),
    # « Sans objet » always says why (required by referential 2.0.0, flagged otherwise)
    "COO.6": ("Aucune structure chef de file : chaque activité née du pôle reste une structure autonome.", ""),
    "INN.2": ("Le pôle agit dans les services, le réemploi et la culture, sans ambition de production.", ""),
    "EVA.1": ("Aucun projet n’a été évalué depuis la création du pôle.", ""),
    "RES.3": ("Deux territoires voisins nous ont sollicités, sans suite faute de temps.", ""),
}
# last year's wording where it differs (the figures of that year)
COMMENTS_BEFORE = {
    "ECO.1": ("Une coordinatrice à temps plein ; le recrutement d’un chargé de mission est prévu.", ""),
    "ECO.4": ("Ressources propres de la cellule : 28 % en 2024 (cotisations et services vendus).", "Comptes 2024"),
}
PRIORITIES = {"GOV.4", "EVA.1", "ECO.2", "ACT.2"}

PROFILE = {
    "membres_structures": {"value": 34, "qualifier": "exact", "year": 2025, "perimeter": "ensemble_membres",
                      "source": "Registre des adhésions 2025"},
    "emplois_membres": {"value": 410, "qualifier": "environ", "year": 2025, "perimeter": "ensemble_membres",
                        "source": "Questionnaire annuel aux membres"},
    "etp_cellule": {"value": 2.5, "qualifier": "exact", "year": 2025, "perimeter": "cellule_animation",
                      "source": "Bilan social de l’association"},
    "budget_cellule": {"value": 152000, "qualifier": "exact", "year": 2025, "perimeter": "cellule_animation",
                         "source": "Comptes 2025 approuvés"},
    "autofinancement": {"value": 32.5, "qualifier": "environ", "year": 2025, "perimeter": "cellule_animation",
                             "source": "Comptes 2025"},
    "emplois_crees": {"value": 27, "qualifier": "environ", "year": 2025, "perimeter": "projets_pole",
                      "source": "Suivi des projets depuis 2014"},
    "structure_porteuse": {"value": "Association Coop’Vallée"},
    "stade": {"value": "structuration"},
    "habitants": {"value": 48000, "qualifier": "plus_de", "year": 2024, "perimeter": "territoire",
                             "source": "Recensement INSEE"},
}

SWOT = [
    ("S", "Une confiance ancienne entre les membres, née des chantiers menés ensemble depuis 2012.", 3, ["COO.5"]),
    ("S", "La Fabrique, lieu totem reconnu par les habitants et les élus.", 3, ["TER.5"]),
    ("S", "Des projets économiques communs qui tournent : ressourcerie, conserverie, marchés.", 2, ["COO.2"]),
    ("S", "Un soutien constant de la communauté de communes.", 2, ["ACT.3", "TER.4"]),
    ("W", "Le pôle dépend de sa fondatrice ; aucune relève n’est préparée.", 3, ["GOV.4"]),
    ("W", "Aucune évaluation des projets ni de la coopération.", 3, ["EVA.1", "EVA.2"]),
    ("W", "Un modèle économique fragile : la convention régionale finit en 2026.", 3, ["ECO.2", "ECO.4"]),
    ("W", "Très peu d’entreprises classiques parmi les membres.", 2, ["ACT.2"]),
    ("O", "Le nouveau schéma régional de l’ESS prévoit un appel à projets « coopérations territoriales ».", 3, []),
    ("O", "Des habitants prêts à investir leur épargne dans des projets locaux (club d’investisseurs citoyens).", 2, ["ECO.6"]),
    ("O", "Un laboratoire universitaire intéressé par une recherche-action sur les circuits courts.", 2, ["ACT.4", "INN.3"]),
    ("T", "Un changement de majorité aux prochaines élections intercommunales.", 2, ["ACT.3"]),
    ("T", "L’image « associative » du pôle freine l’adhésion des entreprises.", 2, ["EVA.5"]),
    ("T", "L’épuisement des bénévoles historiques.", 3, ["GOV.4"]),
]
OPTIONS = [
    ("Préparer une gouvernance partagée et la relève de la fondatrice.", [4, 13]),
    ("Répondre à l’appel à projets régional pour financer la cellule d’animation au-delà de 2026.", [8, 6]),
    ("Lancer avec le laboratoire une évaluation légère des projets communs.", [10, 5]),
    ("Aller chercher les entreprises par des groupes projets concrets plutôt que par la gouvernance.", [7, 12]),
]
ACTIONS = [
    ("Former deux binômes de co-animation au sein du conseil d’administration", "Bureau", "2027-03-31", "todo", 1,
     ["GOV.4"], [0]),
    ("Déposer le dossier de l’appel à projets régional", "Coordinatrice", "2027-01-15", "doing", 1, ["ECO.2"], [1]),
    ("Choisir cinq indicateurs d’impact et collecter l’année 2026", "Commission évaluation", "2027-06-30", "todo", 2,
     ["EVA.1", "EVA.2"], [2]),
    ("Organiser un petit-déjeuner des entreprises du territoire", "Chargé de mission", "2026-12-10", "done", 2,
     ["ACT.2"], [3]),
    ("Rédiger la fiche « comment adhérer au pôle »", "Coordinatrice", "", "todo", 3, ["ACT.6"], []),
]


def _apply_levels(db, assessment, levels, comments=None) -> None:
    comments = {**COMMENTS, **(comments or {})}
    for cid, lv in levels.items():
        comment, evidence = comments.get(cid, ("", ""))
        status = {"NA": "not_applicable", "DK": "unknown"}.get(lv, "answered")
        sv.set_answer(db, assessment, cid, status=status, level=lv if status == "answered" else None,
                      comment=comment, evidence=evidence, priority=cid in PRIORITIES)


def create_demo(db, ref: ref_mod.Referential | None = None) -> str:
    """Create the demo pole with last year's and this year's assessments; returns this year's uuid."""
    ref = ref or ref_mod.default()
    pole = sv.create_pole(db, DEMO_POLE, territory="Vallée du Lison (communauté de communes Loue-Lison)",
                          department="25", region="Bourgogne-Franche-Comté", creation_year=2014,
                          legal_form="Association loi 1901", origin="Collectif d’associations d’insertion",
                          aliases=["Coop’Vallée", "PTCE du Lison"]).created
    before = sv.create_assessment(db, pole, "Diagnostic 2025", referential=ref, started_on="2025-11-18",
                                  facilitator="Claire Dumont (DLA du Doubs)").created
    _apply_levels(db, before, {**{c: v for c, v in LEVELS_NOW.items()}, **LEVELS_BEFORE}, COMMENTS_BEFORE)
    sv.update_assessment(db, before, status="completed", completed_on="2025-12-09")
    now = sv.create_assessment(db, pole, "Diagnostic 2026", referential=ref, started_on="2026-11-17",
                               facilitator="Claire Dumont (DLA du Doubs)", copy_from=before).created
    _apply_levels(db, now, LEVELS_NOW)
    for fid, value in PROFILE.items():
        if ref.profile_field(fid) is not None:
            sv.set_profile_value(db, now, fid, value)
    # copy_from brought last year's (empty) lists; rebuild the grid for this year
    swot_ids = [sv.add_swot_item(db, now, q, text, importance=imp, criteria=[c for c in crit if ref.has_criterion(c)]).created
                for q, text, imp, crit in SWOT]
    option_ids = [sv.add_option(db, now, text, swot=[swot_ids[i] for i in links]).created
                  for text, links in OPTIONS]
    for title, owner, due, status, prio, crit, opts in ACTIONS:
        sv.add_action(db, now, title, owner=owner, due_on=due, status=status, priority=prio,
                      criteria=[c for c in crit if ref.has_criterion(c)], options=[option_ids[i] for i in opts])
    return now
