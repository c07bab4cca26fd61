"""Plausibility of the pole's figures: warnings that never block an entry, each naming the
comparability trap it guards against (DOMAIN.md §6.4, docs/METHODE.md).

The budget per FTE range comes from the figures of the sources: cells of the 2013–2014
case studies and the RTES 2013 median run from about 20 k€ to 115 k€ per FTE; a value
below half the lowest or above twice the highest is « far outside »."""

from __future__ import annotations

from datetime import date

from ptce_toolkit import fmt

BUDGET_PER_FTE_RANGE = (20_000, 115_000)  # € per FTE, animation cells in the sources
FAR_BELOW, FAR_ABOVE = BUDGET_PER_FTE_RANGE[0] / 2, BUDGET_PER_FTE_RANGE[1] * 2

TRAP_PERIMETER = ("piège des périmètres : le budget d’une cellule d’animation et le chiffre d’affaires cumulé "
                  "des membres diffèrent de deux ordres de grandeur")
TRAP_DEFINITION = "piège des définitions : une part dépend de ce que l’on compte au numérateur et au dénominateur"
TRAP_YEAR = "piège des années : un chiffre se compare à d’autres de la même année"


def _value(entry) -> float | None:
    if not isinstance(entry, dict):
        return None
    v = entry.get("value")
    return float(v) if isinstance(v, (int, float)) else None


def figure_warnings(ref, profile: dict, field_id: str, today: date | None = None) -> list[str]:
    """Warnings for one figure of ``profile`` (field id → stored dict); empty when plausible."""
    today = today or date.today()
    field = ref.profile_field(field_id)
    entry = profile.get(field_id)
    value = _value(entry)
    if value is None:
        return []
    out = []
    if field.type == "percent" and value > 100:
        out.append(f"Une part de plus de 100\u00a0% est impossible\u00a0: vérifiez le chiffre ({TRAP_DEFINITION}).")
    year = entry.get("year")
    if isinstance(year, int) and year > today.year:
        out.append(f"L’année {year} est dans le futur\u00a0: s’agit-il d’une prévision\u00a0? ({TRAP_YEAR}).")
    if not entry.get("perimeter"):
        out.append(f"Le périmètre n’est pas indiqué\u00a0: sans lui, le chiffre ne se compare à rien ({TRAP_PERIMETER}).")
    if field_id in ("budget_cellule", "etp_cellule"):
        budget, fte = _value(profile.get("budget_cellule")), _value(profile.get("etp_cellule"))
        if budget and fte:
            per_fte = budget / fte
            if not FAR_BELOW <= per_fte <= FAR_ABOVE:
                out.append(
                    f"{fmt.money(round(per_fte))} par ETP, loin des {fmt.money(BUDGET_PER_FTE_RANGE[0])} à "
                    f"{fmt.money(BUDGET_PER_FTE_RANGE[1])} observés dans les sources\u00a0: le budget et les ETP "
                    f"portent-ils sur le même périmètre\u00a0? ({TRAP_PERIMETER}).")
    return out


def benchmark_text(ref, field_id: str, *, with_perimeter: bool = True) -> str:
    """« Repère : 152 000 € (médiane RTES 2013, cellule d’animation) », or ''."""
    field = ref.profile_field(field_id)
    parts = []
    for b in ref.benchmarks_for(field_id):
        perimeter = next((p.label for p in ref.perimeters if p.id == b.perimeter), "")
        value = fmt.money(b.value) if field.type == "money" else \
            (fmt.number(b.value, 0) + "\u00a0%" if field.type == "percent" else fmt.number(b.value, 0))
        if field.type not in ("money", "percent") and field.unit:
            value += "\u00a0" + field.unit
        parts.append(f"{value} ({b.label}" + (f", {perimeter.lower()}" if perimeter and with_perimeter else "") + ")")
    return "\u00a0; ".join(parts)
