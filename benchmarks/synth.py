"""Synthetic input tables at any size, generated vectorized with numpy.

One plan ("Std"): marginal attainment tiers 0/50/100/125% of the monthly target at
2/4/6/8%, paid on booked sales.  Every rep has one annual target per year, a multiple
of 12, so each monthly target is exactly a twelfth (no seasonality).  About 3% of the
order lines are returned, wholly or in part, within 60 days (never after the last day).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.excel.builder import default_settings
from sales_tools.schema import TABLES

START = pd.Timestamp("2023-01-01")
CATEGORIES = ("Hardware", "Software", "Consumables", "Furniture", "Printing", "Other")
FLOORS = (0.0, 0.5, 1.0, 1.25)
RATES = (0.02, 0.04, 0.06, 0.08)
RETURN_SHARE = 0.03
LINES_PER_ORDER = 2.5


def plan_table() -> pd.DataFrame:
    """The Plan sheet of the one plan every rep is on."""
    rows = [("Std", "method", "marginal"), ("Std", "tier_basis", "attainment"), ("Std", "credit_on", "booked")]
    frame = pd.DataFrame(rows, columns=["plan", "rule", "option"])
    tiers = pd.DataFrame({"plan": "Std", "rule": "tier", "floor": FLOORS, "rate": RATES})
    return pd.concat([frame, tiers], ignore_index=True).reindex(columns=TABLES["plan"].names)


def inputs(lines: int, reps: int = 1000, months: int = 24, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Input tables with `lines` order lines for `reps` reps over `months` months from START."""
    rng = np.random.default_rng(seed)
    end = START + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    rep_ids = np.array([f"R{i:04d}" for i in range(reps)], dtype=object)
    customers = _customers(rng, max(reps, min(50_000, lines // 20)), rep_ids)
    orders = _orders(rng, lines, customers, (end - START).days + 1)
    return {
        "settings": default_settings(),
        "reps": pd.DataFrame(
            {
                "rep_id": rep_ids,
                "name": "Rep " + pd.Series(rep_ids).str[1:],
                "region": "North",
                "start_date": START,
                "plan": "Std",
            }
        ).reindex(columns=TABLES["reps"].names),
        "customers": customers,
        "categories": pd.DataFrame({"category": list(CATEGORIES)}).reindex(columns=TABLES["categories"].names),
        "targets": _targets(rng, orders, rep_ids, months),
        "plan": plan_table(),
        "orders": orders,
        "returns": _returns(rng, orders, end),
    }


def _customers(rng, n: int, rep_ids: np.ndarray) -> pd.DataFrame:
    ids = np.array([f"C{i:06d}" for i in range(n)], dtype=object)
    return pd.DataFrame(
        {
            "customer_id": ids,
            "name": "Customer " + pd.Series(ids).str[1:],
            "region": "North",
            "owner_rep": rep_ids[np.arange(n) % len(rep_ids)],
            "created_date": START - pd.Timedelta(days=365),
        }
    ).reindex(columns=TABLES["customers"].names)


def _orders(rng, lines: int, customers: pd.DataFrame, days: int) -> pd.DataFrame:
    """Order lines: each order has a customer (and so its owner rep), a date and 1+ lines."""
    n_orders = max(1, int(lines / LINES_PER_ORDER))
    order = np.sort(rng.integers(0, n_orders, lines))
    starts = np.r_[0, np.flatnonzero(np.diff(order)) + 1]
    line = np.arange(lines) - np.repeat(starts, np.diff(np.r_[starts, lines])) + 1
    customer = rng.integers(0, len(customers), n_orders)[order]
    date = (START + pd.to_timedelta(rng.integers(0, days, n_orders), unit="D")).to_numpy()[order]
    quantity = rng.integers(1, 21, lines)
    price = np.round(rng.lognormal(4.0, 0.8, lines), 2)
    order_ids = np.array(["SO" + str(i).zfill(8) for i in range(n_orders)], dtype=object)
    return pd.DataFrame(
        {
            "order_id": order_ids[order],
            "line": line,
            "order_date": date,
            "rep_id": customers["owner_rep"].to_numpy()[customer],
            "customer_id": customers["customer_id"].to_numpy()[customer],
            "category": np.array(CATEGORIES, dtype=object)[rng.integers(0, len(CATEGORIES), lines)],
            "quantity": quantity.astype("float64"),
            "unit_price": price,
            "amount": np.round(quantity * price, 2),
        }
    ).reindex(columns=TABLES["orders"].names)


def _returns(rng, orders: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """About RETURN_SHARE of the lines, half wholly returned, half in part."""
    picked = np.flatnonzero(rng.random(len(orders)) < RETURN_SHARE)
    sold = orders["amount"].to_numpy()[picked]
    part = np.where(rng.random(len(picked)) < 0.5, 1.0, rng.uniform(0.1, 0.9, len(picked)))
    date = orders["order_date"].to_numpy()[picked] + rng.integers(1, 61, len(picked)).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "order_id": orders["order_id"].to_numpy()[picked],
            "line": orders["line"].to_numpy()[picked],
            "return_date": np.minimum(date, end.to_datetime64()),
            "amount": np.maximum(np.floor(sold * part * 100) / 100, 0.01),
        }
    ).reindex(columns=TABLES["returns"].names)


def _targets(rng, orders: pd.DataFrame, rep_ids: np.ndarray, months: int) -> pd.DataFrame:
    """One annual target per rep and year near the rep's expected sales, a multiple of 12."""
    years = np.arange(START.year, START.year + (months + 11) // 12)
    monthly = orders["amount"].sum() / len(rep_ids) / months
    rep = np.repeat(rep_ids, len(years))
    factor = rng.uniform(0.7, 1.3, len(rep))
    return pd.DataFrame(
        {
            "year": np.tile(years, len(rep_ids)),
            "rep_id": rep,
            "annual_target": 12.0 * np.maximum(np.round(monthly * factor), 1.0),
        }
    ).reindex(columns=TABLES["targets"].names)


def monthly_target(targets: pd.DataFrame) -> pd.Series:
    """Each rep's monthly target by (rep_id, year): a twelfth of the annual one (exact by construction)."""
    return targets.set_index(["rep_id", "year"])["annual_target"] / 12
