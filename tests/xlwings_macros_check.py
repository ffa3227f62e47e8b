"""Run the macros through xlwings' own machinery on a json book (as Lite and Server do); print JSON.

Started by tests/test_macros.py in a subprocess with XLWINGS_ON_SERVER=true and
XLWINGS_LICENSE_KEY=noncommercial, so that ``xw.script`` is the Office.js decorator and
``xw.Book(json=...)`` opens the remote engine.  Reads on stdin::

    {"runs": [{"name": ..., "master": path, "kind": "script" | "classic", "call": ...,
      "args": [...], "settings": {...}, "book_name": ..., "edits": [[sheet, row, column, value]]}, ...]}

* ``script``: ``main.py``'s Lite script, called by ``custom_scripts_call`` with the
  book injected for its ``xw.Book`` parameter, as xlwings Lite calls it;
* ``classic``: a `sales_tools.macros` wrapper after ``set_mock_caller()`` on the book,
  so that its ``xw.Book.caller()`` returns it (no Excel needed).

Every run opens its own book on its master's payload (writes only queue actions, so
the cell values can be shared); ``settings`` rows are added to
the Settings table and ``edits`` (1-based row and column) typed over cells.  Writes ``{"scripts": meta of
main.py, "classic_scripts": meta of macros, "runs": {name: {"actions": [...]} or
{"error": type, "message": str}}}``.
"""

import asyncio
import copy
import importlib.util
import json
import sys
from pathlib import Path

import xlwings as xw
from xlwings.server import custom_scripts_call, custom_scripts_meta
from xlwings_json_book import book_json

from sales_tools import macros

ROOT = Path(__file__).resolve().parents[1]


def lite_main():
    """The repo's main.py, as xlwings Lite loads it."""
    spec = importlib.util.spec_from_file_location("main", ROOT / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def run(payload: dict, spec: dict, main) -> dict:
    for sheet, row, column, value in spec.get("edits", []):
        found = next(s for s in payload["sheets"] if s["name"] == sheet)
        found["values"] = copy.deepcopy(found["values"])  # the payload is shared by the other runs
        found["values"][row - 1][column - 1] = value
    book = xw.Book(json=payload)
    try:
        if spec["kind"] == "script":
            book = await custom_scripts_call(
                main, spec["call"], typehint_to_value={xw.Book: book}, args=spec.get("args", [])
            )
        else:
            book.set_mock_caller()
            getattr(macros, spec["call"])()
    except Exception as err:  # Lite shows the message in its task pane
        return {"error": type(err).__name__, "message": str(err)}
    return {"actions": book.json()["actions"]}


async def main() -> None:
    runs = json.load(sys.stdin)["runs"]
    lite = lite_main()
    payloads = {}
    results = {}
    for spec in runs:
        key = (spec["master"], spec.get("book_name"), json.dumps(spec.get("settings"), sort_keys=True))
        if key not in payloads:
            payloads[key] = book_json(Path(spec["master"]), spec.get("book_name"), spec.get("settings"))
        results[spec["name"]] = await run(
            {**payloads[key], "sheets": [dict(s) for s in payloads[key]["sheets"]]}, spec, lite
        )
    meta = {"scripts": custom_scripts_meta(lite), "classic_scripts": custom_scripts_meta(macros), "runs": results}
    json.dump(meta, sys.stdout, default=str)


if __name__ == "__main__":
    asyncio.run(main())
