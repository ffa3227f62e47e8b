"""Tables typed by hand in tests: rows in schema column order, short rows padded blank."""

import pandas as pd

from sales_tools.schema import TABLES


def frame(name: str, rows) -> pd.DataFrame:
    """Rows of schema table `name`; columns a row leaves off at the end are blank."""
    names = TABLES[name].names
    return pd.DataFrame([(*r, *[None] * (len(names) - len(r))) for r in rows], columns=names)
