"""Customer lifecycle segments (客户分类): VIP, Loyal, New, Dormant, Prospect, else Regular.

The first rule that matches decides (``high`` = 80% of the top score, rounded up:
4 of 5 bins, 4 of 4, 8 of 10):

1. **Prospect**: no orders (a Customers row that never bought).
2. **Dormant** (沉睡客户): the last purchase is `dormant_days` or more before as_of.
3. **New**: the first purchase is `new_days` or fewer before as_of.
4. **VIP**: R, F and M all at least ``high``.
5. **Loyal** (忠实客户): F at least ``high``.
6. **Regular**: everyone else.

So every customer gets exactly one segment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sales_tools.core.frames import require_columns
from sales_tools.core.rfm import COLUMNS
from sales_tools.errors import InputError
from sales_tools.schema import SEGMENTS
from sales_tools.schema.language import tr

VIP, LOYAL, NEW, DORMANT, PROSPECT, REGULAR = SEGMENTS
HIGH_SHARE = 0.8  # a "high" score is at least 80% of the top score
_NULLABLE_INTS = ["recency_days", "r", "f", "m", "tenure_days"]


def segment(
    rfm: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    *,
    new_days: int = 90,
    dormant_days: int = 180,
    bins: int | None = None,
) -> pd.DataFrame:
    """Give every customer one segment.

    Args:
        rfm: `rfm.rfm_table`'s result (recency_days and tenure_days say when the
            customer last and first bought; r, f and m are the scores).
        customers: the Customers table; its customers without orders are added as
            Prospects.
        new_days: a first purchase this many days or fewer ago makes a New customer.
        dormant_days: no purchase for this many days or more makes a Dormant one.
        bins: the number of RFM bins; by default the one `rfm_table` used.

    Returns:
        A new frame: the rfm columns and ``segment``, one row per customer (the rfm
        rows in their order, then the Prospects by customer_id).  Prospects have
        frequency 0, monetary 0 and blank recency, tenure and scores.

    Raises:
        SchemaError: a column is missing.
        InputError: negative day limits, or the number of bins is unknown.
    """
    require_columns(rfm, COLUMNS, "RFM")
    for name, days in (("new_days", new_days), ("dormant_days", dormant_days)):
        if not days >= 0:
            raise InputError(tr("{name} must be 0 or more days, not {days!r}").format(name=name, days=days))
    high = _high_score(rfm.attrs.get("bins") if bins is None else bins)
    # both typed alike before the concat, so the prospects' all-blank columns decide nothing
    dtypes = {**rfm[COLUMNS].dtypes.to_dict(), **{c: "Int64" for c in _NULLABLE_INTS}}
    out = pd.concat([rfm[COLUMNS].astype(dtypes), _prospects(rfm, customers).astype(dtypes)], ignore_index=True)
    rules = [
        out["frequency"] == 0,
        out["recency_days"] >= dormant_days,
        out["tenure_days"] <= new_days,
        (out["r"] >= high) & (out["f"] >= high) & (out["m"] >= high),
        out["f"] >= high,
    ]
    labels = [PROSPECT, DORMANT, NEW, VIP, LOYAL]
    out["segment"] = np.select([r.fillna(False).to_numpy(bool) for r in rules], labels, default=REGULAR)
    return out


def _high_score(bins) -> int:
    if bins is None:
        raise InputError(tr("say how many RFM bins the scores use (bins=...), or pass rfm_table's result"))
    return math.ceil(HIGH_SHARE * bins)


def _prospects(rfm: pd.DataFrame, customers: pd.DataFrame | None) -> pd.DataFrame:
    """Customers of the Customers table with no row in `rfm`, by customer_id."""
    if customers is None:
        return pd.DataFrame(columns=COLUMNS)
    require_columns(customers, ["customer_id"], "Customers")
    ids = customers["customer_id"].dropna().drop_duplicates()
    ids = ids[~ids.isin(rfm["customer_id"])].sort_values()
    return pd.DataFrame({"customer_id": ids.to_numpy(), "frequency": 0, "monetary": 0.0}).reindex(columns=COLUMNS)
