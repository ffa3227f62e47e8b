"""Fixtures for the workbook tests (the data lives in excel_data.py)."""

import pandas as pd
import pytest
from excel_data import small_computed_tables, small_input_tables


@pytest.fixture
def small_inputs() -> dict[str, pd.DataFrame]:
    return small_input_tables()


@pytest.fixture
def small_computed() -> dict[str, pd.DataFrame]:
    return small_computed_tables()
