"""The hand-computed receivables book as of Sunday 2024-06-30 (week 2024-W26), shared by
the refresh's tests and the CLI's."""

import pandas as pd
from schema_rows import frame

T = pd.Timestamp


def book(terms="30", targets=(), payments=(), plan=None):
    """C1 (Acme Ltd, R1): two orders, a payment naming no order, a return.  C2 (Bolt Co., R2):
    one order per bucket boundary.  With 30 days' terms an order is due 30 days after it.
    Without a `plan` the reps have none (their pay is left out: Exceptions).

    C2's orders, age = 2024-06-30 - (order date + 30 days): 31 May is due on 30 June (age 0,
    not due); 1 May age 30; 30 Apr 31; 1 Apr 60; 31 Mar 61; 2 Mar 90; 1 Mar 91.
    """
    c2 = [("31", "2024-05-31", 1.0), ("30", "2024-05-01", 10.0), ("29", "2024-04-30", 20.0),
          ("28", "2024-04-01", 40.0), ("27", "2024-03-31", 80.0), ("26", "2024-03-02", 160.0),
          ("25", "2024-03-01", 320.0)]  # fmt: skip
    orders = [
        ("A", 1, T("2024-03-01"), "R1", "C1", None, 1, 600, 600.0),
        ("A", 2, T("2024-03-01"), "R1", "C1", None, 1, 400, 400.0),
        ("B", 1, T("2024-05-01"), "R1", "C1", None, 1, 500, 500.0),
        *[(f"O{n}", 1, T(day), "R2", "C2", None, 1, amount, amount) for n, day, amount in c2],
    ]
    settings = [("as_of", "2024-06-30")] + ([("payment_terms_days", terms)] if terms else [])
    return {
        "settings": frame("settings", settings),
        "reps": frame("reps", [("R1", "Ann", "North", None, None, plan), ("R2", "Bo", "South", None, None, plan)]),
        "plan": frame("plan", [("Flat", "tier", None, 0, 0.05)] if plan else []),
        "customers": frame(
            "customers", [("C1", "Acme Ltd", None, None, None, "R1"), ("C2", "Bolt Co.", None, None, None, "R2")]
        ),
        "orders": frame("orders", orders),
        "returns": frame("returns", [("B", 1, T("2024-05-20"), 100.0)]),
        "payments": frame("payments", [("P1", T("2024-05-15"), "C1", None, None, 700.0), *payments]),
        "targets": frame("targets", list(targets)),
    }
