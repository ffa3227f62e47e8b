"""The hand-computed week 2024-W14 (Mon 1 - Sun 7 April 2024): two reps' orders, returns,
payments, visits and targets, shared by the weekly report's tests and the CLI's."""

import pandas as pd
from schema_rows import frame

from sales_tools.schema import TABLES

T = pd.Timestamp


def inputs():
    orders = [
        # order_id, line, date, rep, customer, category, qty, price, amount, source
        ("O0", 1, T("2024-03-31"), "R1", "C1", None, 1, 999, 999.0, None),  # the Sunday before the week
        ("O1", 1, T("2024-04-02"), "R1", "C2", None, 1, 1000, 1000.0, None),  # C2's first order ever
        ("O1", 2, T("2024-04-02"), "R1", "C2", None, 1, 500, 500.0, None),
        ("O2", 1, T("2024-04-07"), "R2", "C3", None, 1, 300, 300.0, None),  # Sunday: still in the week
        ("O3", 1, T("2023-06-01"), "R2", "C3", None, 1, 100, 100.0, None),
        # R2's customers over the 8 base weeks (Jan 15 - Mar 10) and the 4 recent ones (Mar 11 - Apr 7)
        ("O4", 1, T("2024-01-22"), "R2", "C4", None, 1, 1600, 1600.0, None),
        ("O5", 1, T("2024-02-19"), "R2", "C4", None, 1, 800, 800.0, None),
        ("O6", 1, T("2024-02-05"), "R2", "C5", None, 1, 800, 800.0, None),
        ("O7", 1, T("2024-02-12"), "R2", "C5", None, 1, 800, 800.0, None),
        ("O8", 1, T("2024-03-25"), "R2", "C5", None, 1, 320, 320.0, None),
        ("O9", 1, T("2024-02-01"), "R2", "C6", None, 1, 5000, 5000.0, None),  # a one-off buyer
        ("OA", 1, T("2024-01-22"), "R2", "C7", None, 1, 600, 600.0, None),
        ("OB", 1, T("2024-02-19"), "R2", "C7", None, 1, 600, 600.0, None),
        ("OC", 1, T("2024-03-20"), "R2", "C7", None, 1, 700, 700.0, None),
    ]
    activities = [
        (T("2024-04-01"), "R1", "C1", "Order taken", 1000.0),
        (T("2024-04-02"), "R1", "C2", "Follow-up needed", None),
        (T("2024-04-03"), "R1", "C1", "Not met", None),
        (T("2024-04-04"), "R1", "C2", "No interest", None),
        (T("2024-04-08"), "R2", "C3", "Order taken", 300.0),  # next week
    ]
    return {
        "reps": frame("reps", [("R2", "Bo", "S", None, None, None, None), ("R1", "Ann", "N", None, None, None, None)]),
        "customers": frame(
            "customers",
            [(f"C{i}", f"Customer {i}", None, None, None, "R2" if i > 2 else "R1", None) for i in range(1, 8)],
        ),
        "targets": frame(
            "targets",
            [
                (2024, "R1", None, None, None, 120_000.0),
                (2024, "R1", None, "X", None, 55_555.0),  # a category target: not the rep's total
                (2024, "R2", None, None, None, 60_000.0),
                (2024, None, None, None, None, 200_000.0),  # the team's
            ],
        ),
        "seasonality": frame("seasonality", []),
        "orders": frame("orders", orders),
        "returns": frame(
            "returns",
            [("O0", 1, T("2024-04-03"), 200.0, None, None), ("O1", 2, T("2024-04-10"), 500.0, None, None)],
        ),
        "payments": frame(
            "payments",
            [
                ("P1", T("2024-04-05"), "C1", None, "R1", 400.0, None, None),
                ("P2", T("2024-04-06"), "C3", None, None, 250.0, None, None),  # no rep: C3's owner R2
                ("P3", T("2024-04-08"), "C1", None, "R1", 999.0, None, None),
            ],
        ),
        "activities": pd.DataFrame(
            activities, columns=["activity_date", "rep_id", "customer_id", "outcome", "order_amount"]
        ).reindex(columns=TABLES["activities"].names),
    }
