"""Random edits of an assessment for property tests: generated as plain steps, resolved
against the current content into a Document call (GUI) or a service operation (core)."""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from ptce_toolkit import snapshot
from ptce_toolkit.changes import Operation

CRITERIA = ("FIN.1", "FIN.2", "GOV.1", "GOV.4", "RES.4")
QUADRANTS = ("S", "W", "O", "T")
ANSWERS = [{"level": n} for n in range(5)] + [{"status": "not_applicable"}, {"status": "unknown"},
                                              {"comment": ""}, {"comment": "Revu en conseil d’administration"},
                                              {"evidence": "Procès-verbal du 3 mars"}, {"priority": True},
                                              {"priority": False}]
index = st.integers(0, 40)

steps = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(CRITERIA), st.sampled_from(ANSWERS)),
    st.tuples(st.just("profile"), st.sampled_from(["benevoles", "membres_structures"]),
              st.one_of(st.none(), st.integers(0, 500))),
    st.tuples(st.just("add_swot"), st.sampled_from(QUADRANTS), st.one_of(st.none(), st.integers(0, 6)),
              st.lists(st.sampled_from(CRITERIA), max_size=2)),
    st.tuples(st.just("update_swot"), index, st.sampled_from(["text", "importance", "criteria"])),
    st.tuples(st.just("move_swot"), index, st.sampled_from(QUADRANTS), st.integers(0, 6)),
    st.tuples(st.just("delete_swot"), index),
    st.tuples(st.just("add_option"), st.lists(index, max_size=3)),
    st.tuples(st.just("update_option"), index, st.lists(index, max_size=3)),
    st.tuples(st.just("delete_option"), index),
    st.tuples(st.just("add_action"), st.lists(index, max_size=2), st.lists(st.sampled_from(CRITERIA), max_size=2)),
    st.tuples(st.just("update_action"), index, st.sampled_from(["todo", "doing", "done", "dropped"])),
    st.tuples(st.just("delete_action"), index),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def _pick(items, i):
    return items[i % len(items)] if items else None


def resolve(snap, step) -> tuple[str, tuple, dict] | None:
    """(Document method, args, kwargs) for a step on this content; None when it cannot apply."""
    kind = step[0]
    swot = sorted(snap.swot, key=lambda s: (s.quadrant, s.position))
    options = sorted(snap.options, key=lambda o: o.position)
    actions = sorted(snap.actions, key=lambda a: a.position)
    if kind == "answer":
        return "set_answer", (step[1],), dict(step[2])
    if kind == "profile":
        return "set_profile", (step[1], None if step[2] is None else {"value": step[2]}), {}
    if kind == "add_swot":
        return "add_swot", (step[1], f"Élément {len(swot) + 1}"), {"position": step[2], "criteria": step[3]}
    if kind == "add_option":
        return "add_option", (f"Option {len(options) + 1}",), {"swot": [_pick(swot, i).uuid for i in step[1] if swot]}
    if kind == "add_action":
        return "add_action", (f"Action {len(actions) + 1}",), {
            "options": [_pick(options, i).uuid for i in step[1] if options], "criteria": step[2]}
    target = {"swot": swot, "option": options, "action": actions}[kind.split("_")[1]]
    item = _pick(target, step[1])
    if item is None:
        return None
    if kind == "update_swot":
        value = {"text": item.text + " (revu)", "importance": item.importance % 3 + 1,
                 "criteria": [] if item.criteria else ["GOV.1"]}[step[2]]
        return "update_swot", (item.uuid,), {step[2]: value}
    if kind == "move_swot":
        return "move_swot", (item.uuid, step[2], step[3]), {}
    if kind == "update_option":
        return "update_option", (item.uuid,), {"swot": [_pick(swot, i).uuid for i in step[2] if swot]}
    if kind == "update_action":
        return "update_action", (item.uuid,), {"status": step[2]}
    return kind, (item.uuid,), {}  # delete_*


# Document method -> (service, takes the assessment uuid first)
SERVICE = {"set_answer": ("set_answer", True), "set_profile": ("set_profile_value", True),
           "add_swot": ("add_swot_item", True), "update_swot": ("update_swot_item", False),
           "move_swot": ("move_swot_item", False), "delete_swot": ("delete_swot_item", False),
           "add_option": ("add_option", True), "update_option": ("update_option", False),
           "delete_option": ("delete_option", False), "add_action": ("add_action", True),
           "update_action": ("update_action", False), "delete_action": ("delete_action", False)}


def operation(assessment_uuid: str, call) -> Operation:
    method, args, kwargs = call
    name, with_assessment = SERVICE[method]
    return Operation.of(name, *((assessment_uuid,) if with_assessment else ()), *args, **kwargs)


def comparable(snap) -> dict:
    """A snapshot as plain data, without the assessment's own timestamp."""
    data = dataclasses.asdict(snap)
    data["assessment"].pop("updated_at")
    return data


def stored(db, uuid) -> dict:
    return comparable(snapshot.load(db, uuid))


def round_trip(db, sequence, operation_for, state):
    """Apply a sequence of steps through the services (``operation_for(step, n)`` gives the
    operation of an edit step, or None; "undo" and "redo" replay change records), redo what
    is left, then undo everything and redo everything. Returns ``state()`` at the start,
    with every edit done, after undoing all, after redoing all."""
    from ptce_toolkit import services as sv

    start = state()
    done, undone = [], []  # inverses of what is done; operations to redo
    for n, step in enumerate(sequence):
        if step[0] in ("undo", "redo"):
            source, target = (done, undone) if step[0] == "undo" else (undone, done)
            if source:
                target.append(sv.apply(db, source.pop()).inverse)
            continue
        op = operation_for(step, n)
        if op is None:
            continue
        try:
            change = sv.apply(db, op)
        except sv.ServiceError:
            continue  # refused (a link to an item deleted since, a name taken): nothing written
        done.append(change.inverse)
        undone.clear()
    while undone:
        done.append(sv.apply(db, undone.pop()).inverse)
    top = state()
    while done:
        undone.append(sv.apply(db, done.pop()).inverse)
    bottom = state()
    while undone:
        done.append(sv.apply(db, undone.pop()).inverse)
    return start, top, bottom, state()
