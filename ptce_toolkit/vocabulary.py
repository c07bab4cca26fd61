"""Labels of the action plan's values, with no database behind them (SQLAlchemy-free, so the
fast report path can use them). ``services.plan`` re-exports them for the front ends."""

from __future__ import annotations

ACTION_STATUS_LABELS = {"todo": "À faire", "doing": "En cours", "done": "Fait", "dropped": "Abandonné"}
PRIORITY_LABELS = {1: "Haute", 2: "Moyenne", 3: "Basse"}
