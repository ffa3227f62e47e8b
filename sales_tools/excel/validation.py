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
        error = tr("Pick one of: {choices}").format(choices=", ".join(labels))
    elif lookup:
        dv = DataValidation("list", formula1=lookup)
        error = col.note or tr("Pick a {header} from the list").format(header=col.header)  # never a table.column
    elif col.type in ("int", "number", "money", "percent"):
        whole = col.type == "int"
        low = "-" + _BIG if col.min is None else _number(col.min)
        high = _BIG if col.max is None else _number(col.max)
        dv = DataValidation("whole" if whole else "decimal", operator="between", formula1=low, formula2=high)
        error = _number_error(whole, col.min, col.max)
    elif col.type in ("date", "month"):
        dv = DataValidation("date", operator="between", formula1=dates[0], formula2=dates[1])
        error = tr("Type a date (yyyy-mm-dd) within the period")
    else:
        dv = DataValidation(None)
        error = ""
    dv.allow_blank = not col.required
    dv.showErrorMessage = bool(error)
    dv.error, dv.errorTitle = error or None, invalid_title(col) if error else None
    dv.prompt = col.note or error or None
    dv.promptTitle = col.header[:32] if dv.prompt else None
    dv.showInputMessage = bool(dv.prompt)
    return dv


def invalid_title(col: Column) -> str:
    """The title of a column's error alert: "Invalid <header>" in the workbook's language."""
    return tr("Invalid {header}").format(header=col.header)


def _number_error(whole: bool, low: float | None, high: float | None) -> str:
    """The error alert of a number rule: one whole phrase per kind and bounds, so each translates as a whole."""
    if whole:
        phrases = (
            tr("Type a whole number"),
            tr("Type a whole number of at least {min}"),
            tr("Type a whole number of at most {max}"),
            tr("Type a whole number of at least {min} of at most {max}"),
        )
    else:
        phrases = (
            tr("Type a number"),
            tr("Type a number of at least {min}"),
            tr("Type a number of at most {max}"),
            tr("Type a number of at least {min} of at most {max}"),
        )
    phrase = phrases[(low is not None) + 2 * (high is not None)]
    return phrase.format(min="" if low is None else _number(low), max="" if high is None else _number(high))


def _number(value: float) -> str:
    return f"{value:g}"
