"""Tier math: commission on amounts (or attainment) under a table of floors and rates.

`floors` are tier lower bounds, strictly ascending and 0 or more; `rates` has one rate
per floor.  Two methods:

* **marginal** (progressive): each slice of the amount earns its own tier's rate; the
  slice below the first floor earns nothing.  Floors 0/5,000, rates 10%/15%: 6,800
  earns 5,000 x 10% + 1,800 x 15% = 770.
* **retroactive** (step): the whole amount earns the rate of the highest tier reached
  (the first floor is a threshold, not a deductible): 6,800 x 15% = 1,020.

So the two agree on a one-tier table whose floor is 0.  Results are unrounded floats;
round what a person sees with `money.round_cents`.

**Negative amounts** (a period whose returns exceed its sales) mirror the positive
ones: ``tiered(-x) == -tiered(x)``.  A net refund reverses what the same sale would
have earned; it never earns a different tier's rate from a positive sale of that
size, and an amount between -first floor and +first floor earns nothing.
A missing amount (NaN) gives NaN, never a plausible number.
"""

from __future__ import annotations

import numbers

import numpy as np

from sales_tools.core.frames import finite_numbers
from sales_tools.errors import InputError, TargetError
from sales_tools.schema import PLAN_OPTIONS
from sales_tools.schema.language import tr

METHODS = PLAN_OPTIONS["method"]


def validate_tiers(floors, rates) -> tuple[np.ndarray, np.ndarray]:
    """Check a tier table and return it as float arrays.

    Args:
        floors: Tier lower bounds: numbers, 0 or more, strictly ascending.
        rates: One rate per floor (0.1 = 10%).

    Returns:
        ``(floors, rates)`` as float64 arrays.

    Raises:
        InputError: a length mismatch, no tiers, a non-number, or floors that do not ascend.

    >>> validate_tiers([0, 5000], [0.1, 0.15])
    (array([   0., 5000.]), array([0.1 , 0.15]))
    """
    floor_arr = _numbers(floors, "floor")
    rate_arr = _numbers(rates, "rate")
    if len(floor_arr) != len(rate_arr):
        raise InputError(
            tr("floors and rates must have the same length ({floors} floors, {rates} rates)").format(
                floors=len(floor_arr), rates=len(rate_arr)
            )
        )
    _check_floors(floor_arr)
    _check_rates(rate_arr)
    return floor_arr, rate_arr


def tiered(amounts, floors, rates, method: str = "marginal") -> np.ndarray:
    """Commission on each amount under the tier table (see the module docstring).

    Args:
        amounts: A number, list, array or Series of amounts.
        floors: Tier lower bounds, ascending.
        rates: One rate per floor.
        method: "marginal" or "retroactive".

    Returns:
        Unrounded commissions, an array shaped like `amounts`.

    >>> tiered([6800, -6800, 4000], [0, 5000], [0.10, 0.15]).round(2).tolist()
    [770.0, -770.0, 400.0]
    >>> float(tiered(6800, [0, 5000], [0.10, 0.15], "retroactive").round(2))
    1020.0
    """
    floor_arr, rate_arr = validate_tiers(floors, rates)
    _check_method(method)
    values = finite_numbers(amounts, "amounts")
    return _earned(values, floor_arr[None, :], rate_arr, method).reshape(values.shape)


def quota_tiered(actuals, quotas, floors, rates, method: str = "marginal", cap=None) -> np.ndarray:
    """Commission with attainment tiers: floors are fractions of each row's quota.

    Computes ``tiered(actual, floors * quota, rates)`` row by row, in currency as a
    person would (and with the same float operations, so the cents agree): the tier
    is the one attainment reaches and the rates are paid on sales.

    Args:
        actuals: Actual sales per row.
        quotas: Each row's quota (or one quota for all rows); every quota must be above 0.
        floors: Attainment floors as fractions (0.5 = 50% of quota), ascending.
        rates: One rate per floor.
        method: "marginal" or "retroactive".
        cap: Largest payout per row (a number, or one per row); None for no cap.

    Returns:
        Unrounded commissions, an array shaped like `actuals`.

    Raises:
        TargetError: a quota is missing, zero or negative (its position counts from 1).

    >>> float(quota_tiered(325000, 250000, [0, .5, 1, 1.25, 1.5], [0, .08, .12, .15, .18]).round(2))
    19375.0
    """
    values = finite_numbers(actuals, "amounts")
    quota = np.broadcast_to(finite_numbers(quotas, "quotas"), values.shape)
    bad = ~(quota > 0)
    if bad.any():
        where = int(np.flatnonzero(bad.ravel())[0])
        q = quota.ravel()[where]
        what = tr("missing") if np.isnan(q) else f"{_fmt(q)}"
        raise TargetError(
            tr("quota at position {position} is {what}; a quota must be a number above 0").format(
                position=where + 1, what=what
            )
        )
    floor_arr, rate_arr = validate_tiers(floors, rates)
    _check_method(method)
    pay = _earned(values, quota.reshape(-1, 1) * floor_arr, rate_arr, method).reshape(values.shape)
    if cap is None:
        return pay
    limit = finite_numbers(cap, "cap")
    if (limit < 0).any() or np.isnan(limit).any():
        raise InputError(tr("cap must be a number, 0 or more (leave it empty for no cap)"))
    return np.minimum(pay, limit)


def _earned(values: np.ndarray, floors: np.ndarray, rates: np.ndarray, method: str) -> np.ndarray:
    """Flat commissions on `values` (flattened) under `floors`: one row of floors, or one per value."""
    values = values.reshape(-1)
    size = np.abs(values)
    tier = (floors <= size[:, None]).sum(axis=1) - 1  # -1: below the first floor
    at = np.maximum(tier, 0)[:, None]
    base = np.take_along_axis(floors, at, axis=1)[:, 0]
    if method == "marginal":
        # earned at each floor = the full slices below it
        zero = np.zeros((len(floors), 1))
        at_floor = np.concatenate((zero, np.cumsum(rates[:-1] * np.diff(floors, axis=1), axis=1)), axis=1)
        earned = np.take_along_axis(at_floor, at, axis=1)[:, 0] + rates[at[:, 0]] * (size - base)
    else:
        earned = rates[at[:, 0]] * size
    return np.where((tier >= 0) | np.isnan(size), np.sign(values) * earned, 0.0)


def tier_label(values, floors, labels) -> np.ndarray:
    """Label of the highest floor at or below each value; "" below the first floor.

    Args:
        values: Numbers to classify (e.g. customer spend).
        floors: Tier lower bounds, ascending.
        labels: One label per floor.

    Returns:
        An object array of labels shaped like `values`.

    >>> tier_label([12000, 5000, 999.99], [1000, 5000, 10000], ["Bronze", "Silver", "Gold"]).tolist()
    ['Gold', 'Silver', '']
    """
    floor_arr = _numbers(floors, "floor")
    names = np.asarray(list(labels), dtype=object)
    if len(floor_arr) != len(names):
        raise InputError(
            tr("floors and labels must have the same length ({floors} floors, {labels} labels)").format(
                floors=len(floor_arr), labels=len(names)
            )
        )
    _check_floors(floor_arr)
    arr = finite_numbers(values, "values")
    if np.isnan(arr).any():
        where = int(np.flatnonzero(np.isnan(arr).ravel())[0])
        raise InputError(
            tr("value at position {position} is missing; a tier needs a number").format(position=where + 1)
        )
    tier = np.searchsorted(floor_arr, arr, side="right") - 1
    return np.where(tier >= 0, names[np.maximum(tier, 0)], "").astype(object)


def _numbers(items, what: str) -> np.ndarray:
    """A 1-D float array of finite numbers, or an InputError naming the bad item."""
    flat = np.ravel(np.asarray(items, dtype=object))
    if len(flat) == 0:
        raise InputError(tr("at least one tier is needed (no {what}s given)").format(what=tr(what)))
    for item in flat:  # a handful of tiers, not order lines
        if isinstance(item, bool) or not isinstance(item, numbers.Real):
            raise InputError(tr("{what} {item!r} is not a number").format(what=tr(what), item=item))
        if not np.isfinite(item):
            raise InputError(tr("{what} {item!r} is not a finite number").format(what=tr(what), item=item))
    return flat.astype("float64")


def _check_floors(floor_arr: np.ndarray) -> None:
    if floor_arr[0] < 0:
        raise InputError(tr("floors must be 0 or more, not {floor}").format(floor=_fmt(floor_arr[0])))
    steps = np.flatnonzero(np.diff(floor_arr) <= 0)
    if len(steps):
        i = steps[0]
        raise InputError(
            tr("floors must ascend: {floor} is followed by {next}").format(
                floor=_fmt(floor_arr[i]), next=_fmt(floor_arr[i + 1])
            )
        )


def _check_rates(rate_arr: np.ndarray) -> None:
    """A rate is a fraction from 0 to 1: a typed 15 meant 15%, not 1,500%."""
    bad = np.flatnonzero((rate_arr < 0) | (rate_arr > 1))
    if len(bad):
        rate = rate_arr[bad[0]]
        raise InputError(
            tr("rate {rate} is not between 0% and 100%; type 15% (or 0.15) for fifteen percent").format(rate=_fmt(rate))
        )


def _check_method(method) -> None:
    if method not in METHODS:
        raise InputError(
            tr("method {method!r} is not one of: {methods}").format(method=method, methods=", ".join(METHODS))
        )


def _fmt(x: float) -> str:
    """5000.0 -> '5,000'; 0.5 -> '0.5'."""
    return f"{x:,.10g}"
