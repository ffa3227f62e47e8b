"""The workbook shell: the master workbook, the rep templates, reading back and saving.

Everything here converts between DataFrames and Excel files; the calculations live in
`sales_tools.core`.  openpyxl writes, python-calamine reads values.
"""
