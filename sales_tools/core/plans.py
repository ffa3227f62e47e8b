"""Commission plans are data: the Plan sheet, one row per rule, read into `Plan`s.

Rules (column ``rule``; the other columns a rule reads are in brackets):

* ``method`` [option]: marginal (default) or retroactive, see `tiers`.
* ``tier_basis`` [option]: amount (default; floors in currency, on the rep's monthly
  sales) or attainment (floors are fractions of the monthly target: 0.5 = 50%).
* ``credit_on`` [option]: booked (default; credited in the month of the order) or paid
  (only collected amounts, credited in the month of the payment).
* ``basis`` [option]: revenue (default; commission on each line's amount) or margin (on
  its gross margin: amount - quantity x unit_cost of the Orders sheet; the tiers, gate,
  bonuses and attainment then use the month's margin and the rep's margin target).  A
  margin plan pays on booked lines: it cannot be combined with credit_on paid.
* ``tier`` [floor, rate]: one row per tier, floors ascending.
* ``gate`` [floor]: minimum attainment (0.5 = 50%); below it the month pays nothing.
* ``cap`` [amount]: most a rep earns per month, before bonuses.
* ``category_rate`` [category, rate]: that category's sales earn this flat rate instead
  of the tiers and are left out of the tier basis; they still count toward attainment,
  the gate and bonuses.
* ``bonus`` [floor, amount]: a fixed bonus for a month whose attainment is at least
  `floor`.  With several bonus rows only the highest level reached is paid (the
  amount on a row is the whole bonus at that level, as a manager reads the table).
* ``draw`` [option, amount]: the rep is paid at least `amount` a month.  Option
  recoverable (a shortfall the draw tops up is recovered from later months' earnings
  above the draw) or non_recoverable (never recovered); see docs/commissions.md.
* ``override`` [rate]: a manager's plan: the manager earns `rate` on the credited sales
  of the reps whose Reps row names them as manager (``manager_id``).

Rule and option names are matched ignoring case and surrounding spaces (and an option's
"-" or space as "_": non-recoverable is non_recoverable), in either language: the Chinese
labels of a Chinese master's Plan sheet (阶梯, 超额累进, ...) are read as their codes.  Every row
is checked; all problems are raised together in one `PlanError` whose ``problems``
attribute is a frame with the columns of the Exceptions table.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.frames import column_named
from sales_tools.errors import PlanError
from sales_tools.schema import PLAN_OPTIONS, PLAN_RULES, TABLES
from sales_tools.schema.language import code_of, tr

# An attainment floor above this is almost surely a percentage typed as 50 for 0.5.
MAX_ATTAINMENT_FLOOR = 10.0


@dataclass(frozen=True)
class Plan:
    """One commission plan.

    Attributes:
        name: The plan's name (the Reps sheet's ``plan`` column refers to it).
        floors: Tier floors, ascending: currency, or fractions of target for attainment.
        rates: One rate per floor.
        method: "marginal" or "retroactive".
        tier_basis: "amount" or "attainment".
        credit_on: "booked" or "paid".
        basis: "revenue" or "margin": what each line pays on (docs/commissions.md).
        gate: Minimum attainment for any commission, or None.
        cap: Most commission per rep per month (before bonuses), or None.
        category_rates: ``(category, rate)`` pairs paid flat, outside the tiers.
        bonuses: ``(attainment level, amount)`` pairs, ascending by level.
        draw: The monthly draw (the least a rep is paid a month), or None.
        draw_recoverable: True when the draw's top-ups are recovered from later months.
        override: The rate a manager earns on their direct reports' sales, or None.
    """

    name: str
    floors: tuple[float, ...]
    rates: tuple[float, ...]
    method: str = "marginal"
    tier_basis: str = "amount"
    credit_on: str = "booked"
    basis: str = "revenue"
    gate: float | None = None
    cap: float | None = None
    category_rates: tuple[tuple[str, float], ...] = ()
    bonuses: tuple[tuple[float, float], ...] = ()
    draw: float | None = None
    draw_recoverable: bool = False
    override: float | None = None

    @property
    def needs_target(self) -> bool:
        """True when the plan cannot pay without a monthly target (attainment, gate or bonus)."""
        return self.tier_basis == "attainment" or self.gate is not None or bool(self.bonuses)

    @property
    def measure(self) -> str:
        """The Targets measure its attainment is against: "margin" for a margin plan, else "revenue"."""
        return "margin" if self.basis == "margin" else "revenue"


def parse_plans(df: pd.DataFrame, first_row: int = 2) -> dict[str, Plan]:
    """Read the Plan table into plans, checking every row.

    Args:
        df: The Plan table (columns of ``schema.TABLES["plan"]``); blank rows are skipped.
        first_row: Excel row number of the frame's first row (2: headers in row 1).

    Returns:
        Plan name -> `Plan`, in the order the plans first appear.

    Raises:
        PlanError: listing every problem with plan, Excel row, column and value.

    >>> rows = [("Std", "tier", None, 0, 0.1, None), ("Std", "tier", None, 5000, 0.15, None)]
    >>> plan = parse_plans(pd.DataFrame(rows, columns=["plan", "rule", "option", "floor", "rate", "amount"]))["Std"]
    >>> plan.floors, plan.rates, plan.method
    ((0.0, 5000.0), (0.1, 0.15), 'marginal')
    """
    missing = [c for c in ("plan", "rule") if c not in df.columns]
    if missing:
        raise PlanError(
            tr("the {sheet} table has no {columns} column").format(
                sheet=TABLES["plan"].sheet, columns=tr(" or ").join(column_named("Plan", c) for c in missing)
            )
        )
    table = _as_codes(df.reset_index(drop=True).reindex(columns=TABLES["plan"].names))
    problems: list[dict] = []
    plans = {}
    for name, group in _by_plan(table, first_row, problems):
        plan = _parse_plan(name, group, problems)
        if plan is not None:
            plans[name] = plan
    if problems:
        raise _plan_error(problems)
    return plans


def _as_codes(table: pd.DataFrame) -> pd.DataFrame:
    """The Plan table with rule and option labels of any language as their codes (anything else as it is)."""
    options = code_of(tuple(dict.fromkeys(o for opts in PLAN_OPTIONS.values() for o in opts)))
    return table.assign(rule=_coded(table["rule"], code_of(PLAN_RULES)), option=_coded(table["option"], options))


def _coded(values: pd.Series, codes: dict[str, str]) -> pd.Series:
    return values.map(lambda v: codes.get(v.strip().casefold(), v) if isinstance(v, str) else v)


def _by_plan(table: pd.DataFrame, first_row: int, problems: list[dict]):
    """(plan name, [(excel row, record), ...]) per plan; reports rows with no plan name."""
    groups: dict[str, list] = {}
    for pos, rec in enumerate(table.to_dict("records")):
        if all(_blank(v) for v in rec.values()):
            continue
        row = pos + first_row
        name = "" if _blank(rec["plan"]) else str(rec["plan"]).strip()
        if not name:
            problems.append(_problem("", row, "plan", None, tr("is empty; every row needs its plan's name")))
            continue
        groups.setdefault(name, []).append((row, rec))
    return groups.items()


def _parse_plan(name: str, rows: list, problems: list[dict]) -> Plan | None:
    """One plan from its rows; problems are appended, None if any were found."""
    found = len(problems)
    fields: dict = {"tiers": [], "category_rates": {}, "bonuses": {}}
    for row, rec in rows:
        report = _Reporter(name, row, problems)
        rule = _word(rec["rule"])
        if rule not in PLAN_RULES:
            report("rule", rec["rule"], tr("is unknown; use one of {rules}").format(rules=_listed(PLAN_RULES, ", ")))
            continue
        _RULES[rule](fields, rec, report)
    _check_tiers(name, fields, problems)
    _check_basis(name, fields, problems)
    if len(problems) > found:
        return None
    tiers = fields.pop("tiers")
    return Plan(
        name=name,
        floors=tuple(f for _, f, _ in tiers),
        rates=tuple(r for _, _, r in tiers),
        category_rates=tuple(fields.pop("category_rates").items()),
        bonuses=tuple(sorted((level, amount) for level, (amount, _) in fields.pop("bonuses").items())),
        **{k: v for k, (v, _) in fields.items()},
    )


# ------------------------------------------------------------------ one handler per rule
def _option(rule: str):
    def handle(fields, rec, report):
        value = _choice(rule, rec, report)
        if value is not None:
            _once(fields, rule, value, report, "option")

    return handle


def _choice(rule: str, rec, report) -> str | None:
    """The row's option, one of the rule's `PLAN_OPTIONS`; None (reported) otherwise."""
    value = _word(rec["option"]).replace("-", "_").replace(" ", "_")
    if not value:
        needs = tr("is empty; a {rule} row needs {options}")
        report("option", None, needs.format(rule=tr(rule), options=_listed(PLAN_OPTIONS[rule], " or ")))
    elif value not in PLAN_OPTIONS[rule]:
        use = tr("is not a {rule}; use {options}")
        report("option", rec["option"], use.format(rule=tr(rule), options=_listed(PLAN_OPTIONS[rule], " or ")))
    else:
        return value
    return None


def _tier(fields, rec, report):
    floor = _number(rec, "floor", report, minimum=0)
    rate = _rate(rec, report)
    if floor is not None:  # kept with a bad rate too, so the floor order is still checked
        fields["tiers"].append((report.row, floor, rate))


def _gate(fields, rec, report):
    level = _level(rec, report)
    if level is not None:
        _once(fields, "gate", level, report, "floor")


def _cap(fields, rec, report):
    amount = _number(rec, "amount", report, minimum=0)
    if amount is not None:
        _once(fields, "cap", amount, report, "amount")


def _category_rate(fields, rec, report):
    category = None if _blank(rec["category"]) else str(rec["category"]).strip()
    if category is None:
        report(
            "category", None, tr("is empty; a {rule} row needs the category it pays").format(rule=tr("category_rate"))
        )
    rate = _rate(rec, report)
    if category is None or rate is None:
        return
    if category in fields["category_rates"]:
        report("category", category, tr("already has a {rule} in this plan").format(rule=tr("category_rate")))
    else:
        fields["category_rates"][category] = rate


def _bonus(fields, rec, report):
    level = _level(rec, report)
    amount = _number(rec, "amount", report, minimum=0)
    if level is None or amount is None:
        return
    if level in fields["bonuses"]:
        report(
            "floor", level, tr("already has a bonus in this plan (row {row})").format(row=fields["bonuses"][level][1])
        )
    else:
        fields["bonuses"][level] = (amount, report.row)


def _draw(fields, rec, report):
    kind = _choice("draw", rec, report)
    amount = _number(rec, "amount", report, minimum=0)
    if amount == 0:
        report("amount", amount, tr("must be above 0: the least the rep is paid a month"))
        return
    if kind is not None and amount is not None and "draw" not in fields:
        fields["draw_recoverable"] = (kind == "recoverable", report.row)
    if amount is not None:
        _once(fields, "draw", amount, report, "amount")


def _override(fields, rec, report):
    rate = _rate(rec, report)
    if rate is not None:
        _once(fields, "override", rate, report, "rate")


_RULES = {
    "method": _option("method"),
    "tier_basis": _option("tier_basis"),
    "credit_on": _option("credit_on"),
    "basis": _option("basis"),
    "tier": _tier,
    "gate": _gate,
    "cap": _cap,
    "category_rate": _category_rate,
    "bonus": _bonus,
    "draw": _draw,
    "override": _override,
}


# ------------------------------------------------------------------ checks
def _check_tiers(name: str, fields: dict, problems: list[dict]) -> None:
    tiers = fields["tiers"]
    if not tiers:
        problems.append(
            _problem(name, None, "", None, tr("has no tier rows; add at least one (e.g. floor 0, rate 0%)"))
        )
        return
    for (_, before, _), (row, floor, _) in zip(tiers, tiers[1:]):
        if floor <= before:
            problems.append(
                _problem(
                    name,
                    row,
                    "floor",
                    floor,
                    tr("must be above the previous tier's floor {floor}").format(floor=_shown(before)),
                )
            )
    if fields.get("tier_basis", ("amount",))[0] == "attainment":
        for row, floor, _ in tiers:
            if floor > MAX_ATTAINMENT_FLOOR:
                problems.append(_problem(name, row, "floor", floor, _percent_hint(floor)))


def _check_basis(name: str, fields: dict, problems: list[dict]) -> None:
    """A margin plan pays on booked lines: a collected payment carries no margin of its own."""
    basis, credit_on = fields.get("basis", ("revenue", None)), fields.get("credit_on", ("booked", None))
    if basis[0] == "margin" and credit_on[0] == "paid":
        reason = tr(
            "margin cannot be paid on collections (row {row} sets credit_on paid); use credit_on booked"
        ).format(row=credit_on[1])
        problems.append(_problem(name, basis[1], "option", None, reason))


def _percent_hint(level: float) -> str:
    """What a level typed as a percentage number (120 for 120%) means, and how to type it."""
    return tr("means {times} times the target; for {times}% of target type {times}% (or {fraction})").format(
        times=f"{level:g}", fraction=f"{level / 100:g}"
    )


def _once(fields: dict, rule: str, value, report, column: str) -> None:
    """Store a rule that may appear once per plan; report a second one."""
    if rule in fields:
        second = tr("is a second {rule}; row {row} already sets the plan's {rule}")
        report(column, value, second.format(rule=tr(rule), row=fields[rule][1]))
    else:
        fields[rule] = (value, report.row)


def _level(rec, report) -> float | None:
    """An attainment level (gate or bonus floor), a fraction of target."""
    level = _number(rec, "floor", report, minimum=0)
    if level is not None and level > MAX_ATTAINMENT_FLOOR:
        report("floor", level, _percent_hint(level))
        return None
    return level


def _rate(rec, report) -> float | None:
    rate = _number(rec, "rate", report, minimum=0)
    if rate is not None and rate > 1:
        hint = tr("means {percent}%; for {rate}% type {rate}% (or {fraction})")
        report("rate", rate, hint.format(percent=f"{rate * 100:,g}", rate=f"{rate:g}", fraction=f"{rate / 100:g}"))
        return None
    return rate


def _number(rec, column: str, report, minimum: float | None = None) -> float | None:
    value = rec[column]
    if _blank(value):
        report(column, None, tr("is empty"))
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        report(column, value, tr("is not a number"))
        return None
    if minimum is not None and value < minimum:
        report(column, value, tr("must be {minimum} or more").format(minimum=f"{minimum:g}"))
        return None
    return float(value)


# ------------------------------------------------------------------ problems
class _Reporter:
    """Appends problems for one plan row: report(column, value, reason)."""

    def __init__(self, name: str, row: int, problems: list[dict]):
        self.name, self.row, self.problems = name, row, problems

    def __call__(self, column: str, value, reason: str) -> None:
        self.problems.append(_problem(self.name, self.row, column, value, reason))


def _problem(name: str, row: int | None, column: str, value, reason: str) -> dict:
    """A problem as an Exceptions row plus the sentence shown to the manager."""
    at = (tr("plan {name!r}").format(name=name) if name else "", tr("row {row}").format(row=row) if row else "")
    where = tr(", ").join(p for p in at if p)
    column = column_named("Plan", column) if column else column
    what = " ".join(p for p in (column, "" if value is None else _shown(value), reason) if p)
    return {
        "file": "",
        "sheet": TABLES["plan"].sheet,
        "row": row,
        "column": column,
        "value": value,
        "reason": what,
        "message": tr("{where}: {what}").format(where=where, what=what),
    }


def _listed(codes, joint: str) -> str:
    """Codes as their labels of the current language, joined by `joint` (", " or " or ")."""
    return tr(joint).join(tr(code) for code in codes)


def _shown(value) -> str:
    """4000.0 -> '4,000'; text -> quoted."""
    return f"{value:,.10g}" if isinstance(value, numbers.Real) else repr(value)


def _plan_error(problems: list[dict]) -> PlanError:
    lines = "\n".join(f"- {p['message']}" for p in problems)
    count = tr("the {sheet} sheet has 1 problem:\n{lines}")
    if len(problems) > 1:
        count = tr("the {sheet} sheet has {count} problems:\n{lines}")
    error = PlanError(count.format(sheet=TABLES["plan"].sheet, count=len(problems), lines=lines))
    error.problems = pd.DataFrame(problems, columns=TABLES["exceptions"].names)
    return error


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
        or value is pd.NA
    )


def _word(value) -> str:
    return "" if _blank(value) else str(value).strip().lower()
