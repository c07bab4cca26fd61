"""Drive a running LibreOffice Calc through UNO, the way a person edits a workbook.

Run by the SYSTEM python (``/usr/bin/python3``, which has python3-uno), never imported
by the tests: ``tests/helpers/lo_client.py`` starts it once per soffice as a subprocess that
connects once, then answers requests: one JSON list of operations per line on stdin, one
line on stdout per request, ``{"ok": [results]}`` or ``{"error": "traceback"}``. The
document a request opened is always closed before the answer.

Typing goes through the ``.uno:EnterString`` dispatch on the selected cell, so Calc's own
input parser runs with the profile's locale (fr-FR): « 32,5 % » becomes 0.325 formatted as
a percentage, « 05 » the number 5, « = à revoir » a formula in error — exactly what a
person gets at the keyboard.
"""

import json
import os
import sys
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe, timeout=60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def url(path):
    return uno.systemPathToFileUrl(path)


class Session:
    def __init__(self, ctx):
        self.ctx = ctx
        smgr = ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        self.doc = None

    # -------------------------------------------------------------- operations

    def open(self, path):
        self.doc = self.desktop.loadComponentFromURL(url(path), "_blank", 0, (prop("Hidden", True),))
        return True

    def _frame(self):
        return self.doc.getCurrentController().getFrame()

    def _sheet(self, name):
        sheet = self.doc.Sheets.getByName(name)
        self.doc.getCurrentController().setActiveSheet(sheet)
        return sheet

    def type(self, sheet, cell, text):
        """Select the cell and enter ``text`` as if typed then Enter."""
        self._sheet(sheet)
        frame = self._frame()
        self.dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", cell),))
        self.dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
        return self.read(sheet, cell)

    def read(self, sheet, cell):
        c = self.doc.Sheets.getByName(sheet).getCellRangeByName(cell)
        kind = c.Type.value  # EMPTY, VALUE, TEXT, FORMULA
        out = {"type": kind, "string": c.String, "value": c.Value, "formula": c.Formula,
               "format": self.doc.NumberFormats.getByKey(c.NumberFormat).FormatString}
        if kind == "FORMULA":
            out["error"] = c.getError()
        return out

    def unprotect(self, sheet):
        s = self.doc.Sheets.getByName(sheet)
        if s.isProtected():
            s.unprotect("")
        return True

    def delete_row(self, sheet, row):
        """``row`` is 1-based, as shown on screen."""
        self.unprotect(sheet)
        self.doc.Sheets.getByName(sheet).Rows.removeByIndex(row - 1, 1)
        return True

    def find_row(self, sheet, column, value, first=1, last=400):
        """1-based row whose cell in ``column`` (1-based) shows ``value``."""
        s = self.doc.Sheets.getByName(sheet)
        for r in range(first - 1, last):
            if s.getCellByPosition(column - 1, r).String == value:
                return r + 1
        return None

    def sort(self, sheet, area, column, descending=False):
        """Sort the rows of ``area`` (« A4:K52 ») on its ``column`` (0-based within the area)."""
        self.unprotect(sheet)
        rng = self.doc.Sheets.getByName(sheet).getCellRangeByName(area)
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field = column
        field.IsAscending = not descending
        field.IsCaseSensitive = False
        desc = rng.createSortDescriptor()
        for p in desc:
            if p.Name == "SortFields":
                p.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
            elif p.Name == "ContainsHeader":
                p.Value = False
        rng.sort(desc)
        return True

    def calculate(self):
        self.doc.calculateAll()
        return True

    def save(self, path, filter, options=None):
        """Store a copy with the export filter ``filter`` (and its ``options``, as for CSV)."""
        props = [prop("FilterName", filter), prop("Overwrite", True)]
        if options is not None:
            props.append(prop("FilterOptions", options))
        self.doc.storeToURL(url(path), tuple(props))
        return True

    def close(self):
        if self.doc is not None:
            self.doc.close(True)
            self.doc = None
        return True


def answer(session, ops):
    try:
        results = []
        for op in ops:
            name = op.pop("op")
            results.append(getattr(session, name)(**op))
        return {"ok": results}
    except Exception:  # noqa: BLE001 - reported to the test, which fails with it
        return {"error": traceback.format_exc()}
    finally:
        try:
            session.close()
        except Exception:  # noqa: BLE001 - the document may already be gone
            session.doc = None


def main():
    # the answers get their own copy of stdout; anything else written on it goes to stderr
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    session = Session(connect(sys.argv[1]))
    for line in sys.stdin:
        out.write(json.dumps(answer(session, json.loads(line))) + "\n")
        out.flush()
    # the UNO bridge may crash while the interpreter tears it down: the work is done, leave now
    os._exit(0)


if __name__ == "__main__":
    main()
