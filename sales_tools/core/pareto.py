"""ABC (Pareto) classes: the few items that make most of the value.

1. Sort by value, descending; ties by id (by position when no ids are given).
2. Take each item's cumulative share of the total *before* it.
3. Before < a -> "A"; before < b -> "B"; else "C".  The item that crosses a threshold
   belongs to the higher class, so the top item is always A (when it is above 0).

Values of 0 or below (no sales, or returns exceeding the purchases) add nothing to the
cumulative share and are always C, so a list with no positive value is all C.  A share within 1e-9 of a threshold counts as reaching it, so that 0.7 + 0.1 is
80% as a person reads it.
"""

from __future__ import annotations

import numpy as np

from sales_tools.core.frames import first_missing
from sales_tools.errors import InputError
from sales_tools.schema.language import tr

CLASSES = np.array(["A", "B", "C"], dtype=object)
_EPS = 1e-9


def abc_class(values, ids=None, a: float = 0.8, b: float = 0.95) -> np.ndarray:
    """The class of each value, "A", "B" or "C", in input order.

    Args:
        values: one value per item (e.g. each customer's sales).
        ids: one id per item, to break ties (default: the position).
        a: share of the total before an item below which it is A.
        b: share before an item below which it is B; 0 < a < b <= 1.

    Raises:
        InputError: bad a or b, a missing value, or ids of another length.

    >>> abc_class([10, 50, 4, 30, 6]).tolist()
    ['B', 'A', 'C', 'A', 'B']
    """
    if not 0 < a < b <= 1:
        raise InputError(tr("the ABC limits must satisfy 0 < a < b <= 1 (a = {a!r}, b = {b!r})").format(a=a, b=b))
    try:
        vals = np.ravel(np.asarray(values, dtype="float64"))
    except (TypeError, ValueError):
        raise InputError(tr("ABC values must be numbers")) from None
    if (where := first_missing(vals)) is not None:
        raise InputError(
            tr("the value at position {position} is missing; ABC needs a number for every item").format(position=where)
        )
    keys = np.arange(len(vals)) if ids is None else np.ravel(np.asarray(ids))
    if len(keys) != len(vals):
        raise InputError(
            tr("values and ids must have the same length ({values} values, {ids} ids)").format(
                values=len(vals), ids=len(keys)
            )
        )
    if len(vals) == 0:
        return np.array([], dtype=object)
    share = np.clip(vals, 0, None)
    order = np.lexsort((keys, -vals))
    before = np.concatenate(([0.0], np.cumsum(share[order])[:-1])) / max(share.sum(), np.finfo(float).tiny)
    rank = (before >= a - _EPS).astype(int) + (before >= b - _EPS)
    out = np.empty(len(vals), dtype=object)
    out[order] = CLASSES[np.where(share[order] > 0, rank, 2)]
    return out
