"""Rounding money the way Excel's ROUND does: to cents, half away from zero."""

import numpy as np
import pandas as pd

# Float amounts such as 1.005 are stored a hair below the half (1.005 * 100 is
# 100.49999999999999).  A relative nudge of a few ulps (like Excel's 15 significant
# digits) puts them back on the half a person sees, at any magnitude.
_NUDGE = 1e-15


def round_cents(values, digits: int = 2):
    """Round to `digits` decimals, half away from zero; works on scalars, arrays and Series.

    >>> round_cents(2.675), round_cents(-0.125), round_cents(1.005), round_cents(4999370825.12)
    (2.68, -0.13, 1.01, 4999370825.12)
    """
    scale = 10.0**digits
    arr = np.asarray(values, dtype="float64")
    out = np.sign(arr) * np.floor(np.abs(arr) * scale * (1 + _NUDGE) + 0.5) / scale
    out = out + 0.0  # turn -0.0 into 0.0
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    if np.ndim(values) == 0:
        return float(out)
    return out
