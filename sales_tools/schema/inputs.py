"""The input tables of the master workbook: typed in by managers or brought by imports."""

from __future__ import annotations

from dataclasses import replace

from sales_tools.schema.choices import CHANNELS, CUSTOMER_SIZES, MEASURES, PLAN_RULES, VISIT_OUTCOMES, VISIT_PURPOSES
from sales_tools.schema.computed import COMPUTED
from sales_tools.schema.model import Column as C
from sales_tools.schema.model import Table

SUMMARY, LINES = (next(t for t in COMPUTED if t.name == name) for name in ("commission_summary", "commission_lines"))

SOURCE = C("source", header="Source", width=28, note="Where the row came from (file or 'manual')")
# The supervisor's sign-off (主管核签, 批示意见) and when the rep's report arrived, on Visit plans and Activities.
SIGN_OFF = (
    C("received_at", "date", header="Received", note="When the import received the rep's file (blank: typed here)"),
    C("approved_by", header="Approved by", width=18, note="The supervisor who approved the row"),
    C("approved_on", "date", header="Approved on", note="The day it was approved"),
    C("supervisor_comment", header="Supervisor comment", width=30, note="批示意见: the supervisor's comment"),
)

INPUTS: tuple[Table, ...] = (
    Table(
        "settings",
        "Settings",
        (C("setting", required=True, width=22), C("value", width=18), C("description", width=60)),
        key=("setting",),
        description="Company, currency, period start and the parameters for tiers and segments.",
    ),
    Table(
        "reps",
        "Reps",
        (
            C("rep_id", required=True, header="Rep ID"),
            C("name", required=True, width=22),
            C("region", required=True),
            C("manager", width=20, note="The manager's name"),
            C("start_date", "date"),
            C("plan", ref="plan.plan", width=16, note="Commission plan name from the Plan sheet"),
            C("email", width=26),
            C("manager_id", ref="reps.rep_id", header="Manager ID", note="The manager's Rep ID, for an override"),
        ),
        key=("rep_id",),
    ),
    Table(
        "customers",
        "Customers",
        (
            C("customer_id", required=True, header="Customer ID"),
            C("name", required=True, width=30),
            C("industry", width=18),
            C("size", allowed=CUSTOMER_SIZES),
            C("region"),
            C("owner_rep", ref="reps.rep_id", header="Owner rep"),
            C("created_date", "date"),
            C("channel", allowed=CHANNELS, note="Dealer for a dealer or channel partner, who can have a target"),
        ),
        key=("customer_id",),
    ),
    Table(
        "categories",
        "Categories",
        (C("category", required=True, width=20), C("description", width=40)),
        key=("category",),
    ),
    Table(
        "targets",
        "Targets",
        (
            C("year", "int", required=True, min=2000),
            C("rep_id", ref="reps.rep_id", header="Rep ID", note="Blank for a region target"),
            C("region", note="Blank for a rep's total target"),
            C("category", ref="categories.category", note="Blank for all categories"),
            C("dealer", ref="customers.customer_id", note="A dealer's Customer ID; blank for all customers"),
            C("annual_target", "money", required=True, min=0, width=16),
            C("measure", allowed=MEASURES, note="revenue (blank), margin, quantity or collections"),
        ),
        key=("year", "rep_id", "region", "category", "dealer", "measure"),
        description="Annual targets; the Seasonality weights break them down by month.",
    ),
    Table(
        "seasonality",
        "Seasonality",
        (C("month", "int", required=True, min=1), C("weight", "percent", required=True, min=0)),
        key=("month",),
        description="Monthly weights of the annual target (must sum to 100%); empty means equal.",
    ),
    Table(
        "plan",
        "Plan",
        (
            C("plan", required=True, width=16),
            C("rule", required=True, allowed=PLAN_RULES),
            C(
                "option",
                width=14,
                note="marginal/retroactive, amount/attainment, booked/paid, revenue/margin, recoverable/non_recoverable",
            ),
            C("floor", "number", note="Tier floor: currency, or a fraction of quota for attainment"),
            C("rate", "percent", note="Tier, category or override rate"),
            C("amount", "money", note="Cap, bonus or monthly draw amount"),
            C("category", ref="categories.category"),
            C("note", width=30),
        ),
        description="Commission rules as data: one row per rule.",
    ),
    Table(
        "splits",
        "Splits",
        (
            C("order_id", required=True, header="Order ID"),
            C("rep_id", required=True, ref="reps.rep_id", header="Rep ID"),
            C("share", "percent", required=True, min=0),
        ),
        key=("order_id", "rep_id"),
        description="Orders credited to several reps; each order's shares add up to 100%.",
    ),
    Table(
        "orders",
        "Orders",
        (
            C("order_id", required=True, header="Order ID"),
            C("line", "int", required=True, min=1),
            C("order_date", "date", required=True),
            C("rep_id", required=True, ref="reps.rep_id", header="Rep ID"),
            C("customer_id", required=True, ref="customers.customer_id", header="Customer ID"),
            C("category", ref="categories.category"),
            C("quantity", "number", min=0),
            C("unit_price", "money", min=0),
            C("amount", "money", required=True),
            C("unit_cost", "money", min=0, note="Cost per unit: for plans paid on margin and margin targets"),
            SOURCE,
        ),
        key=("order_id", "line"),
    ),
    Table(
        "returns",
        "Returns",
        (
            C("order_id", required=True, header="Order ID"),
            C("line", "int", required=True, min=1),
            C("return_date", "date", required=True),
            C("amount", "money", required=True, min=0, note="Amount returned (positive)"),
            C("reason", width=24),
            SOURCE,
        ),
        key=("order_id", "line", "return_date"),
    ),
    Table(
        "payments",
        "Payments",
        (
            C("payment_id", required=True, header="Payment ID"),
            C("payment_date", "date", required=True),
            C("customer_id", required=True, ref="customers.customer_id", header="Customer ID"),
            C("order_id", header="Order ID"),
            C("rep_id", ref="reps.rep_id", header="Rep ID"),
            C("amount", "money", required=True),
            C("method"),
            SOURCE,
        ),
        key=("payment_id",),
    ),
    Table(
        "visit_plans",
        "Visit plans",
        (
            C("visit_date", "date", required=True),
            C("rep_id", required=True, ref="reps.rep_id", header="Rep ID"),
            C("customer_id", required=True, ref="customers.customer_id", header="Customer ID"),
            C("area"),
            C("planned_time", width=12),
            C("purpose", required=True, allowed=VISIT_PURPOSES, width=22),
            *SIGN_OFF,
            SOURCE,
        ),
        key=("visit_date", "rep_id", "customer_id"),
    ),
    Table(
        "activities",
        "Activities",
        (
            C("activity_date", "date", required=True),
            C("rep_id", required=True, ref="reps.rep_id", header="Rep ID"),
            C("customer_id", required=True, ref="customers.customer_id", header="Customer ID"),
            C("outcome", required=True, allowed=VISIT_OUTCOMES, width=20),
            C("order_amount", "money", min=0),
            C("collected_amount", "money", min=0),
            C("hours", "number", min=0),
            C("complaint", width=24),
            C("competitor_info", width=24),
            C("feedback", width=24),
            C("notes", width=24),
            *SIGN_OFF,
            SOURCE,
        ),
        key=("activity_date", "rep_id", "customer_id"),
        description="One row per visit, from the reps' daily reports.",
    ),
    Table(
        "column_map",
        "Column map",
        (
            C("source_system", required=True, width=16),
            C("table", required=True, width=14),
            C("source_column", required=True, width=24),
            C("column", required=True, width=18),
        ),
        key=("source_system", "table", "column"),
        description="Maps the columns of a CRM/ERP export onto this workbook's tables.",
    ),
    Table(
        "payouts",
        "Payouts",
        (
            C("rep_id", required=True, header="Rep ID"),
            C("period", "month", required=True),
            *(replace(c, required=False) for c in SUMMARY.columns[2:]),
            C("closed_on", "date", required=True),
            C("checksum", required=True, width=20, note="Of the row and its Paid lines: a change to either is refused"),
        ),
        key=("rep_id", "period"),
        description="What each rep was paid for a closed month, written by sales-tools close: never edit it.",
    ),
    Table(
        "paid_lines",
        "Paid lines",
        tuple(replace(c, required=c.name in ("rep_id", "period")) for c in LINES.columns),
        description="The Commission lines of the closed months as paid, written by sales-tools close: never edit it.",
    ),
)
