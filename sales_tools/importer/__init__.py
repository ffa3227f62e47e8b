"""Consolidate rep templates and CRM/ERP exports into the master workbook.

`import_files` reads every file (values only, via python-calamine: macros never run),
types and validates all rows in one pass per table, and writes the master ONCE,
atomically, changing only the sheets that change.  Every row read is either imported
or listed on the Exceptions sheet with file, sheet, row, column, value and reason;
the Import log records rows read, imported and rejected per file.

Rules (documented for managers in docs/import.md):

* **Rep templates** are recognised by their Instructions sheet (rep ID in B3, period
  in B5:B6).  Their rows get the rep ID, ``source`` = the file name, order lines
  numbered 1, 2, ... per order ID, the amount recomputed as quantity x unit price
  when blank (it is a formula; a different value is rejected), and payment IDs
  ``<rep>-<yyyymm>-<row>``.  Dates must fall within the file's period; customers must
  be on the Customers sheet (the template offers only those).
* **Exports** are mapped by a column map (schema table ``column_map``: from the
  `mapping` argument, else the master's Column map sheet).  A sheet feeds one fact
  table (the one with most mapped columns present) plus master data found on it
  (reps, customers, categories): IDs not yet in the master are added, so a CRM
  export brings its new customers along; duplicates are proposed on Customer
  merges, never merged silently.  Order lines are numbered when the export has no
  line column.  Order-level returns (no line/amount) expand to every line of the
  order, amount = the line's amount, return date = the order date when absent.
* **Nothing counts twice**: a file whose SHA-256 is in the Import log is skipped; a
  rep's new file for a period already imported replaces that rep's rows from the
  earlier file(s) for the period; a key already in the master is rejected.
* **Untrusted files** are checked before reading (`sales_tools.safety`).

Modules: `sources` reads the files, `master` the master's tables; `templates` and
`exports` find the rows in each kind of file, `fill` completes them; `plan` decides the
`ChangeSet` (`batch` gathers the rows, `report` counts them); `apply` writes the master.
"""

from sales_tools.importer.apply import import_files, save_changes
from sales_tools.importer.exports import load_mapping
from sales_tools.importer.master import MASTER_COLUMNS, read_master
from sales_tools.importer.plan import ChangeSet, ImportOptions, plan_changes
from sales_tools.importer.report import ImportReport
from sales_tools.importer.sources import Source, read_source

__all__ = [
    "MASTER_COLUMNS",
    "ChangeSet",
    "ImportOptions",
    "ImportReport",
    "Source",
    "import_files",
    "load_mapping",
    "plan_changes",
    "read_master",
    "read_source",
    "save_changes",
]
