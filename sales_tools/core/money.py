"""Money in cents: rounding the way Excel's ROUND does (half away from zero), and spreading a total over lines."""

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


def allocate_cents(raw: np.ndarray, group: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Whole cents for `raw` amounts such that each group's add up to `totals[group]`.

    Every amount is rounded down; the cents still missing go one each to the amounts
    with the largest remainders (the largest remainder method).  Remainders are
    compared to a billionth of a cent, so float noise is no difference; ties go to the
    earlier amount.

    >>> allocate_cents(np.array([1/3, 1/3, 1/3]), np.array([0, 0, 0]), np.array([100])).tolist()
    [34, 33, 33]
    """
    exact = raw * 100
    floor = np.floor(exact)
    missing = totals - np.rint(np.bincount(group, weights=floor, minlength=len(totals))).astype("int64")
    # one int64 key: group, then remainder in billionths (0..1e9 < 2^30) descending
    remainder = np.rint((exact - floor) * 1e9).astype("int64")
    order = np.argsort(group.astype("int64") * 2**30 + (2**30 - 1 - remainder), kind="stable")
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    rank = np.empty(len(raw), dtype="int64")
    rank[order] = np.arange(len(raw)) - np.repeat(starts, np.diff(np.r_[starts, len(raw)]))
    return floor.astype("int64") + (rank < missing[group])
