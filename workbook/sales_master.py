"""Companion module of sales_master.xlsm.

The workbook's ``SampleCall`` macro (from xlwings' quickstart) runs
``import <workbook name>; <workbook name>.main()``; with this file next to the
workbook, Alt+F8 > SampleCall refreshes every computed sheet.  Rename this file with
the workbook.
"""

from sales_tools.macros import refresh as main  # noqa: F401
