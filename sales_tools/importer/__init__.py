"""Consolidate rep templates and CRM/ERP exports into the master workbook.

`import_files` reads every file (values only, via python-calamine: macros never run),
types and validates all rows in one pass per table, and writes the master ONCE,
atomically, changing only the sheets that change.  Every row read is either imported
or listed on the Exceptions sheet with file, rep, sheet, row, column, value and reason;
the Import log records rows read, imported and rejected per file.  What a file holds
and is not imported (an extra sheet, extra columns, a known customer's other name) is
listed on Exceptions too, rejecting nothing.

Rules (documented for managers in docs/import.md):

* **Rep templates** are recognised by their Instructions sheet (rep ID in B3, period
  in B5:B6, template ID in B7).  Their rows get the rep ID, ``source`` = the file
  name, order lines numbered 1, 2, ... per order ID, the amount recomputed as
  quantity x unit price when blank (it is a formula; a different value is rejected),
  and payment IDs ``<rep>-<yyyymm>-<row>``.  Dates must fall within the file's period; customers must
  be on the Customers sheet (the template offers only those).  Complaint IDs are
  ``<rep>-<yyyymmdd>-<customer>``: a complaint sent again replaces the master's row of
  that ID, dated before the period or not (docs/field.md).  Templates issued before the
  field-form sheets import without them; typed Daily report amounts that disagree with
  the file's orders or collections are listed on Exceptions (`daily`).
* **Exports** are mapped by a column map (schema table ``column_map``: from the
  `mapping` argument, else the master's Column map sheet).  A sheet feeds one fact
  table (the one with most mapped columns present) plus master data found on it
  (reps, customers, categories): IDs not yet in the master are added, so a CRM
  export brings its new customers along; duplicates are proposed on Customer
  merges, never merged silently (a known ID under another name is listed on
  Exceptions).  A sheet holding most, not all, of its fact table's mapped columns
  rejects the file.  Order lines are numbered when the export has no line column.
  Order-level returns (no line/amount) expand to every line of the order, amount =
  the line's amount, return date = the order date when absent.
* **What identifies a submission** (`core.submissions`): a template is a submission of
  its rep and period, sealed by its template ID (a file whose ID does not match them
  is rejected; a blank template has none).  A re-submission replaces the rows of that
  submission's earlier files (that rep's, from those files, dated within the period)
  and its Exceptions, nothing else; within one import a later file of a submission
  replaces an earlier one (logged ``replaced``).  The file name is only a label.  An
  export whose SHA-256 was imported is skipped; a key already in the master is rejected.
* **Sign-off and timeliness** (docs/field.md): Visit plans and Activities rows from a
  template get ``received_at`` = the import's time; the Import log keeps each file's own
  modified time beside it.  A re-submitted row equal to the row it replaces keeps that
  row's received day and sign-off (approved by, on, comment); a changed row loses them.
  A template's supervisor columns are never imported: values there are listed on Exceptions.
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
