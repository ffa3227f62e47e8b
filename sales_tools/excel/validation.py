"""Data validation from the schema: dropdowns, lookups, number and date rules, input messages."""

from __future__ import annotations

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from sales_tools.schema import TABLES, Column
from sales_tools.schema.language import tr

# Dates typed into the master must fall in this window (typos such as 2204 are rejected).
DATE_RANGE = ("DATE(2000,1,1)", "DATE(2099,12,31)")
_BIG = "1E+15"


def lookup_name(ref: str) -> str:
    """The defined name listing the values of a `table.column` reference, e.g. `lst_reps_rep_id`."""
    return "lst_" + ref.replace(".", "_")


def define_lookup(wb: Workbook, ref: str) -> str:
    """Define (once) the name for `ref`: the filled cells of that column of its Excel table.

    A dynamic OFFSET range rather than a structured reference: LibreOffice cannot use
    a defined name that points at a table column, and OFFSET grows with the table in both.
    """
    name = lookup_name(ref)
    if name not in wb.defined_names:
        table_name, column = ref.split(".")
        table = TABLES[table_name]
        letter = get_column_letter(table.names.index(column) + 1)
        sheet = quote_sheetname(table.sheet)
        text = f"OFFSET({sheet}!${letter}$2,0,0,MAX(1,COUNTA({sheet}!${letter}:${letter})-1),1)"
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    return name


def column_rule(col: Column, lookup: str | None = None, dates: tuple[str, str] = DATE_RANGE) -> DataValidation:
    """The validation of one column: a list, a lookup (`lookup` is a name or range), a
    number >= `min`, a date within `dates`, or just the input message."""
    if col.allowed:
        labels = [tr(a) for a in col.allowed]  # codes shown in the workbook's language
        dv = DataValidation("list", formula1='"' + ",".join(labels) + '"')
        error = tr("Pick one of:") + " " + ", ".join(labels)
    elif lookup:
        dv = DataValidation("list", formula1=lookup)
        error = col.note or f"Pick a {col.header} from the list"  # the reader's words, never a table.column
    elif col.type in ("int", "number", "money", "percent"):
        kind = "whole" if col.type == "int" else "decimal"
        low = "-" + _BIG if col.min is None else _number(col.min)
        high = _BIG if col.max is None else _number(col.max)
        dv = DataValidation(kind, operator="between", formula1=low, formula2=high)
        error = "Type a whole number" if kind == "whole" else "Type a number"
        error += f" of at least {_number(col.min)}" if col.min is not None else ""
        error += f" of at most {_number(col.max)}" if col.max is not None else ""
    elif col.type in ("date", "month"):
        dv = DataValidation("date", operator="between", formula1=dates[0], formula2=dates[1])
        error = "Type a date (yyyy-mm-dd) within the period"
    else:
        dv = DataValidation(None)
        error = ""
    dv.allow_blank = not col.required
    dv.showErrorMessage = bool(error)
    dv.error, dv.errorTitle = error or None, ("Invalid " + col.header) if error else None
    dv.prompt = col.note or error or None
    dv.promptTitle = col.header[:32] if dv.prompt else None
    dv.showInputMessage = bool(dv.prompt)
    return dv


def _number(value: float) -> str:
    return f"{value:g}"
