"""Run the UDFs through xlwings' Office.js engine (as xlwings Lite / Server do); print JSON.

Started by tests/test_xlwings_remote.py in a subprocess with XLWINGS_ON_SERVER=true and
XLWINGS_LICENSE_KEY=noncommercial, so that ``xw.func`` is the Office.js decorator.
Reads ``{"calls": [[func_name, args], ...]}`` on stdin; writes ``{"meta": ..., "results":
[{"value": ...} or {"error": type, "message": str}, ...]}``.
"""

import asyncio
import json
import sys

import xlwings as xw
from xlwings.server import custom_functions_call, custom_functions_meta

import sales_tools.udfs as udfs


def request(func_name: str, args: list) -> dict:
    """The body the Office.js add-in posts for one formula (see custom-functions-code.js)."""
    return {
        "func_name": func_name,
        "args": args,
        "caller_address": "Office.js[master.xlsx]Sheet1!B2",
        "content_language": "en-US",
        "version": xw.__version__,
        "runtime": "1.4",
        "client": "Office.js",
    }


async def call(func_name: str, args: list) -> dict:
    try:
        return {"value": await custom_functions_call(request(func_name, args), udfs)}
    except Exception as err:  # the runtime turns this into #VALUE! with str(err) on the flag
        return {"error": type(err).__name__, "message": str(err)}


async def main() -> None:
    calls = json.load(sys.stdin)["calls"]
    results = [await call(name, args) for name, args in calls]
    json.dump({"meta": custom_functions_meta(udfs), "results": results}, sys.stdout, default=str)


if __name__ == "__main__":
    asyncio.run(main())
