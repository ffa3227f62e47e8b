"""The fixed content of the sample data: names, categories, shares and odds, and its non-random tables.

`sales_tools.sample` draws the random tables from these; `settings_table`,
`plan_table` and `column_map_table` do not depend on the seed.
"""

from __future__ import annotations

import pandas as pd

from sales_tools.core.settings import defaults
from sales_tools.schema import SETTINGS, TABLES
from sales_tools.schema.language import current, tr

REGIONS = ("North", "South", "East", "West")
MANAGERS = ("Grace Liu", "Omar Haddad", "Ingrid Berg", "Carlos Mendes")
REP_NAMES = (
    "Alice Chen", "Ben Walker", "Chloe Martin", "David Osei", "Emma Rossi", "Farid Khan",
    "Gina Park", "Hugo Silva", "Ines Dubois", "Jack Moreno", "Keiko Tanaka", "Liam Novak",
)  # fmt: skip
INDUSTRIES = ("Retail", "Manufacturing", "Healthcare", "Education", "Hospitality", "Logistics", "Construction")
NAME_STEMS = ("Acme", "Blue River", "Cedar", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Ironwood",
              "Juniper", "Keystone", "Lakeside", "Maple", "Northstar", "Oakridge", "Pinnacle", "Quarry",
              "Redwood", "Summit", "Tidewater")  # fmt: skip
NAME_SUFFIXES = ("Ltd", "Inc", "Group", "Co.", "Partners", "Holdings", "Supply", "Services")
# category -> (share of lines, typical unit price, typical quantity)
CATEGORIES = {
    "Hardware": (0.35, 420.0, 6),
    "Software": (0.20, 950.0, 3),
    "Services": (0.15, 1200.0, 2),
    "Supplies": (0.25, 28.0, 40),
    "Training": (0.05, 650.0, 2),
}
# Share of a year's sales by calendar month (sums to 1): slow summer, strong year end.
SEASONALITY = (0.07, 0.07, 0.08, 0.08, 0.09, 0.08, 0.07, 0.07, 0.09, 0.09, 0.10, 0.11)
ORDERS_PER_MONTH = 130  # before growth and dropouts
# Unit cost as a share of the unit price, by category (each line varies around it by about 8%).
COST_RATIOS = {"Hardware": 0.72, "Software": 0.30, "Services": 0.55, "Supplies": 0.62, "Training": 0.40}
MARGIN_REPS = ("R03", "R07")  # the East reps on the Margin plan, paid on gross margin
YEARLY_GROWTH = 0.12
RETURN_RATE = 0.03
NEVER_PAID = 0.04
TEAM_GROWTH, REP_GROWTH = 0.10, 0.15
RETURN_REASONS = ("Damaged", "Wrong item", "Not needed", "Quality issue")
PAYMENT_METHODS = ("Bank transfer", "Card", "Check")
# Per visit purpose, the chance of each outcome in VISIT_OUTCOMES order.
OUTCOME_ODDS = {
    "Develop new customer": (0.10, 0.00, 0.00, 0.45, 0.30, 0.15),
    "Market research": (0.05, 0.00, 0.00, 0.55, 0.25, 0.15),
    "Collect payment": (0.05, 0.75, 0.00, 0.10, 0.00, 0.10),
    "Service": (0.15, 0.05, 0.10, 0.55, 0.05, 0.10),
    "Handle complaint": (0.05, 0.00, 0.75, 0.10, 0.00, 0.10),
    "Take order": (0.55, 0.05, 0.00, 0.25, 0.05, 0.10),
    "Other": (0.05, 0.05, 0.05, 0.45, 0.20, 0.20),
}


def settings_table(start_ts: pd.Timestamp, months: int, as_of: str) -> pd.DataFrame:
    """The Settings table: the schema's defaults, dated `as_of`."""
    values = defaults(current()) | {"as_of": as_of}
    # The plan year is the last full year of the data.
    values["period_start"] = (start_ts + pd.DateOffset(months=months - 12)).strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "setting": [tr(k) for k in SETTINGS],  # shown as labels, read in either language
            "value": [str(values[k]) for k in SETTINGS],
            "description": [tr(d) for _, d in SETTINGS.values()],
        }
    )


def plan_table() -> pd.DataFrame:
    """Three plans: Standard pays on attainment with an accelerator; Hunter pays on collected
    amounts, with a recoverable draw of 1,000 a month; Margin pays on gross margin against
    a margin target."""
    rows = [
        ("Standard", "method", "marginal", None, None, None, None, "Each slice of attainment earns its own rate"),
        ("Standard", "tier_basis", "attainment", None, None, None, None, "Floors are fractions of the monthly target"),
        ("Standard", "credit_on", "booked", None, None, None, None, "Credited when the order is booked"),
        ("Standard", "tier", None, 0.0, 0.02, None, None, ""),
        ("Standard", "tier", None, 0.5, 0.04, None, None, ""),
        ("Standard", "tier", None, 1.0, 0.06, None, None, ""),
        ("Standard", "tier", None, 1.25, 0.08, None, None, "Accelerator above 125% of target"),
        ("Standard", "gate", None, 0.3, None, None, None, "No commission below 30% attainment"),
        ("Standard", "cap", None, None, None, 15000.0, None, "At most 15,000 a month"),
        ("Standard", "category_rate", None, None, 0.08, None, "Services", "Services pay a flat 8%"),
        ("Standard", "bonus", None, 1.0, None, 500.0, None, "500 for reaching 100% of target"),
        ("Hunter", "method", "retroactive", None, None, None, None, "The whole amount earns the tier reached"),
        ("Hunter", "tier_basis", "amount", None, None, None, None, "Floors are monthly amounts"),
        ("Hunter", "credit_on", "paid", None, None, None, None, "Credited when the customer pays"),
        ("Hunter", "tier", None, 0.0, 0.03, None, None, ""),
        ("Hunter", "tier", None, 50000.0, 0.04, None, None, ""),
        ("Hunter", "tier", None, 100000.0, 0.05, None, None, ""),
        ("Hunter", "bonus", None, 1.0, None, 300.0, None, "300 for reaching 100% of target"),
        ("Hunter", "draw", "recoverable", None, None, 1000.0, None, "At least 1,000 a month, recovered above it"),
        ("Margin", "basis", "margin", None, None, None, None, "Paid on gross margin: amount - quantity x unit cost"),
        ("Margin", "method", "marginal", None, None, None, None, "Each slice of attainment earns its own rate"),
        ("Margin", "tier_basis", "attainment", None, None, None, None, "Floors are fractions of the margin target"),
        ("Margin", "tier", None, 0.0, 0.08, None, None, ""),
        ("Margin", "tier", None, 1.0, 0.12, None, None, "12% of the margin above the margin target"),
        ("Margin", "gate", None, 0.5, None, None, None, "No commission below 50% of the margin target"),
        ("Margin", "bonus", None, 1.0, None, 400.0, None, "400 for reaching 100% of the margin target"),
    ]
    plan = pd.DataFrame(rows, columns=TABLES["plan"].names)
    return plan.assign(option=plan["option"].map(tr, na_action="ignore"))  # shown as labels, read in either language


def column_map_table() -> pd.DataFrame:
    """How a typical CRM export ("Salesforce") maps onto the Orders table."""
    pairs = [
        ("Opportunity ID", "order_id"), ("Line Number", "line"), ("Close Date", "order_date"), ("Owner Code", "rep_id"),
        ("Account Number", "customer_id"), ("Product Family", "category"), ("Qty", "quantity"),
        ("Sales Price", "unit_price"), ("Total Price", "amount"),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "source_system": "Salesforce",
            "table": "orders",
            "source_column": [s for s, _ in pairs],
            "column": [c for _, c in pairs],
        }
    )
