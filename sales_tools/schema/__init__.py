"""The one schema: every table of the master workbook and the rep templates, defined once.

The workbook builder, the templates, the reader, the importer and the validators all
read these definitions; none of them repeats a column list.  Column `name`s are the
snake_case names used in DataFrames; `header`s are what a manager sees in Excel.

This package is pure data (no openpyxl, no xlwings): number formats are Excel format
strings, types are the small vocabulary in `TYPES`.  Modules: `model` (Column, Table,
TYPES), `choices` (allowed values), `inputs` and `computed` (the master's tables, gathered
in `tables`), `settings` (the Settings sheet), `rep_templates` (the rep templates).
"""

from sales_tools.schema.choices import (
    ABC_CLASSES,
    CLOSING_OUTCOMES,
    CUSTOMER_SIZES,
    EFFECTIVE_OUTCOMES,
    PLAN_OPTIONS,
    PLAN_RULES,
    SEGMENTS,
    VISIT_OUTCOMES,
    VISIT_PURPOSES,
)  # fmt: skip
from sales_tools.schema.model import TYPES, Column, Table
from sales_tools.schema.rep_templates import (
    TEMPLATE_DISPLAY,
    TEMPLATE_FEEDS,
    TEMPLATE_FIRST_ROW,
    TEMPLATE_FORMULAS,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_INFO_CELLS,
    TEMPLATE_INFO_SHEET,
    TEMPLATE_LATER_SHEETS,
    TEMPLATE_ROWS,
    TEMPLATE_SUPERVISOR,
    TEMPLATE_TABLES,
)  # fmt: skip
from sales_tools.schema.settings import SETTINGS
from sales_tools.schema.tables import COMPUTED_TABLES, INPUT_TABLES, TABLES, table

__all__ = [
    "ABC_CLASSES", "CLOSING_OUTCOMES", "COMPUTED_TABLES", "CUSTOMER_SIZES", "EFFECTIVE_OUTCOMES", "INPUT_TABLES",
    "PLAN_OPTIONS", "PLAN_RULES", "SEGMENTS", "SETTINGS", "TABLES", "TEMPLATE_DISPLAY", "TEMPLATE_FEEDS", "TEMPLATE_FIRST_ROW",
    "TEMPLATE_FORMULAS", "TEMPLATE_HEADER_ROW", "TEMPLATE_INFO_CELLS", "TEMPLATE_INFO_SHEET",
    "TEMPLATE_LATER_SHEETS", "TEMPLATE_ROWS", "TEMPLATE_TABLES", "TEMPLATE_SUPERVISOR", "TYPES", "VISIT_OUTCOMES",
    "VISIT_PURPOSES", "Column", "Table", "table",
]  # fmt: skip
