"""One exception hierarchy for the whole package; the shells translate it at the edges.

Every message is written for a sales manager: it names the plan, file, sheet, row
and column where they are known.
"""


class SalesToolsError(Exception):
    """Base class: anything the package raises on purpose."""


class InputError(SalesToolsError, ValueError):
    """An argument or cell value is wrong (wrong type, out of range, inconsistent)."""


class PlanError(InputError):
    """A commission plan row is invalid; the message names the plan, row and field."""


class TargetError(InputError):
    """A target is missing, zero, or its weights do not sum to 100%."""


class SchemaError(InputError):
    """A table does not match the schema: a missing column, bad type or unknown value."""


class WorkbookError(SalesToolsError):
    """A workbook cannot be read or written: missing, locked, corrupt or not an Excel file."""
