"""The Daily report's order and collected amounts against the same file's Orders and Collections.

The template computes both amounts from its Orders and Collections sheets (a formula per
row), so nothing is typed twice; the master's sales and collections come from Orders and
Payments, never from the Daily report.  Templates issued before carry amounts the rep
typed: they are still imported, and an amount that disagrees with the file's own orders
or payments of that customer and day is listed on Exceptions (rejecting nothing).
"""

from __future__ import annotations

import pandas as pd

from sales_tools.core.validate import CENT, exceptions_from
from sales_tools.importer.report import no_exceptions
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

# Daily report column -> (the master table summed, its date column, what the reason calls it)
CHECKS = {
    "order_amount": ("orders", "order_date", "orders"),
    "collected_amount": ("payments", "payment_date", "collections"),
}
_DAY = ["source", "rep_id", "customer_id", "day"]


def disagreeing_amounts(visits: pd.DataFrame, origin: pd.DataFrame, facts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Exceptions for the visits whose amount differs by more than a cent from the sum of the
    same file's rows (`facts`: the orders and payments imported) for the customer and day.

    Args:
        visits: the Daily report rows imported (source, rep_id, customer_id, activity_date and the amounts).
        origin: file, sheet and row of each visit (same index).
        facts: the rows imported into orders and payments, by table (a missing table sums to 0).
    """
    found = []
    for column, (table, date, what) in CHECKS.items():
        typed = visits[visits[column].notna()] if column in visits else visits.iloc[:0]
        if typed.empty:
            continue
        rows = facts.get(table)
        rows = pd.DataFrame(columns=TABLES[table].names) if rows is None else rows
        sums = (
            rows.assign(day=pd.to_datetime(rows[date]).dt.normalize(), amount=pd.to_numeric(rows["amount"]))
            .groupby(_DAY)["amount"]
            .sum()
            .reindex(pd.MultiIndex.from_frame(typed.assign(day=typed["activity_date"].dt.normalize())[_DAY]))
            .fillna(0.0)
            .to_numpy()
        )
        differs = (typed[column] - sums).abs() > CENT
        if not differs.any():
            continue
        bad = typed[differs.to_numpy()]
        header = TABLES["activities"].column(column).header
        reason = tr(
            "{header} {amount} is not the sum of this file's {what} for {customer} on {day} ({sum}): "
            "imported as typed; the KPIs and commissions use the {what}"
        )
        reasons = [
            reason.format(
                header=header, amount=f"{a:,.2f}", what=tr(what), customer=c, day=f"{d:%Y-%m-%d}", sum=f"{s:,.2f}"
            )
            for a, c, d, s in zip(bad[column], bad["customer_id"], bad["activity_date"], sums[differs.to_numpy()])
        ]
        found.append(
            pd.DataFrame(
                {"row": bad.index, "column": header, "value": bad[column].map("{:,.2f}".format), "reason": reasons}
            )  # fmt: skip
        )
    if not found:
        return no_exceptions()
    return exceptions_from(pd.concat(found, ignore_index=True), origin)
