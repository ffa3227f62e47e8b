"""Read schema tables through `open_book.OpenBook` on json books (xlwings' remote engine); pickle them.

Started by tests/test_tables.py in a subprocess with XLWINGS_ON_SERVER=true and
XLWINGS_LICENSE_KEY=noncommercial, so that ``xw.Book(json=...)`` opens the remote engine
on the payload the Office.js add-in would send for each workbook file.  Reads on stdin::

    {"masters": [path, ...], "names": [schema name, ...], "out": pickle path}

and writes ``{path: {name: typed frame, or {"error": type, "message": str}}}`` to ``out``.
"""

import json
import pickle
import sys
from pathlib import Path

import xlwings as xw
from xlwings_json_book import book_json

from sales_tools.errors import SalesToolsError
from sales_tools.open_book import OpenBook


def read_all(path: Path, names: list[str]) -> dict:
    source = OpenBook(xw.Book(json=book_json(path)))
    out = {}
    for name in names:
        try:
            out[name] = source.read(name)
        except SalesToolsError as err:
            out[name] = {"error": type(err).__name__, "message": str(err)}
    return out


if __name__ == "__main__":
    spec = json.load(sys.stdin)
    tables = {path: read_all(Path(path), spec["names"]) for path in spec["masters"]}
    Path(spec["out"]).write_bytes(pickle.dumps(tables))
