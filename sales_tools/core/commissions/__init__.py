"""The commission engine: order lines in, an audit trail of commission lines and a summary out.

The rules, with a worked example each, are in docs/commissions.md.  One module per step:

* `codes`: the order lines as integer codes, and the input checks;
* `credits`: what is credited to whom and when (splits, booked or collected, returns);
* `overrides`: what a manager earns on their direct reports' credits, and its clawbacks;
* `team`: the Reps table: who is a rep, start months, managers;
* `periods`: the rep-month grid, each month's sales, target and attainment;
* `rules`: the line rules (tiers, category rates, gate, cap, bonus, clawbacks);
* `draws`: the draw, and a recoverable draw's carry-forward;
* `output`: the Commission lines, Commission summary and Exceptions tables.

Cents are spread over lines by `sales_tools.core.money.allocate_cents`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sales_tools.core.commissions import credits, draws, output, overrides, periods, rules, team
from sales_tools.core.commissions.codes import OrderLines, Setup, plan_codes
from sales_tools.core.plans import Plan

# What an Exceptions row of the engine leaves unpaid, by its column: what a screen counts
LEFT_OUT = {
    "target": "rep-month(s) without a usable target",
    "plan": "rep(s) without a commission plan",
    "order_id": "payment(s) without a known order",
    "start_date": "rep(s) on a draw without a start date or sales",
    "manager_id": "manager(s) whose plan pays no override",
    "unit_cost": "order line(s) of a margin plan without a unit cost",
    "quantity": "order line(s) of a margin plan without a quantity",
}


@dataclass(frozen=True)
class CommissionResult:
    """What `compute_commissions` returns.

    Attributes:
        lines: The audit trail (the Commission lines table's columns).
        summary: One row per rep and month (the Commission summary table's columns).
        exceptions: What was left out and why (the Exceptions table's columns).
        credited: Booked sales per rep and month with splits applied (rep_id, period,
            actual, margin, quantity), by rep then month: what attainment measures.
            Unlike the summary's sales, it counts every rep, with or without a plan or
            a target.  margin and quantity add up the lines that have them.
    """

    lines: pd.DataFrame
    summary: pd.DataFrame
    exceptions: pd.DataFrame
    credited: pd.DataFrame


@dataclass(frozen=True)
class OtherTables:
    """The tables besides Orders that change what is paid; None (or empty) where there are none.

    Attributes:
        returns: The Returns table (order_id, line, return_date, amount > 0).
        payments: The Payments table (payment_id, payment_date, order_id, amount).
        splits: The Splits table (order_id, rep_id, share).
        targets: Monthly targets: rep_id, period (the month's 1st), target, and
            optionally measure (blank = revenue): a margin plan reads the rep's margin
            targets, any other plan the revenue ones.  Rows with a region or category
            (when those columns exist) are not a rep's total target and are ignored.
        reps: The Reps table (rep_id; start_date and manager_id, optional): a rep on a
            draw is paid it from their start month, and a manager whose plan has an
            override earns it on their direct reports' sales (docs/commissions.md).
    """

    returns: pd.DataFrame | None = None
    payments: pd.DataFrame | None = None
    splits: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    reps: pd.DataFrame | None = None


def compute_commissions(
    orders: pd.DataFrame, plans: dict[str, Plan], rep_plans, other: OtherTables | None = None, as_of=None
) -> CommissionResult:
    """Commission lines and the monthly summary per rep (the rules: docs/commissions.md).

    Args:
        orders: The Orders table (order_id, line, order_date, rep_id, category, amount).
        plans: Plan name -> `Plan`, from `plans.parse_plans`.
        rep_plans: rep_id -> plan name (a Series or mapping; blank = no plan).
        other: Returns, payments, splits, targets and reps (`OtherTables`); None for none.
        as_of: The figures' date: a plan's draw is paid for every month through its
            month (or through the last month with a line, if later).  None: that last month.

    Returns:
        A `CommissionResult`; no input frame is changed.

    Raises:
        SchemaError: a table lacks a column.
        InputError: data that makes every number doubtful (docs/commissions.md).
        PlanError: a rep's plan is not among `plans`.
        TargetError: a rep has two targets for the same month, or no rep-month of a
            plan that needs targets has one.
    """
    other = other or OtherTables()
    book = OrderLines.read(orders, other.splits, team.rep_ids(other.reps, rep_plans))
    setup = Setup(book, plans, plan_codes(rep_plans, plans, book.reps), rules.rule_names(plans),
                  team.Team.read(other.reps, book.reps))  # fmt: skip
    credit = credits.credits(book, other.splits)
    credited = credits.credited(book, credit)
    basis = credits.basis(setup, credit, other.payments, other.returns)
    del credit
    grid = periods.RepMonths.of(basis, book.reps, draws.through(setup, as_of))
    had, draw_notes = draws.months(grid, periods.present_codes(grid, basis), setup)
    months, target_notes = periods.periods(grid, basis, setup, other.targets, had)
    events, claims = grid.kept(basis.events, months), grid.kept(basis.claims, months)
    overridden = grid.kept(basis.overrides, months), grid.kept(basis.override_claims, months)
    notes = (*basis.notes, target_notes, draw_notes)
    del basis
    months = months[~months["excluded"]]
    parts = rules.lines(events, claims, months, setup, grid) + overrides.lines(*overridden, setup)
    del events, claims, overridden  # a line each: freed before the output is built (memory at millions of lines)
    drawn, balance = draws.lines(parts, months, setup, grid)
    lines = pd.concat([*parts, drawn], ignore_index=True)
    del parts
    return CommissionResult(
        output.output_lines(lines, grid, book, setup.rules),
        output.summary(lines, months, grid, balance),
        output.exceptions(*notes),
        credited,
    )
