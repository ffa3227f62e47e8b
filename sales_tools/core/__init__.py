"""The calculation core: pure, vectorized pandas functions.

Nothing under this package imports xlwings or openpyxl (tests/test_core_purity.py
enforces it); the shells convert workbook data to DataFrames and back.
"""
