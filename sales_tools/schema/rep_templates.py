"""The rep templates' sheets, where their rep and period are, and what they feed."""

from __future__ import annotations

from sales_tools.schema.choices import (
    ATTENDANCE,
    COMPLAINT_STATUSES,
    IMPACTS,
    MARKET_MOVES,
    SEVERITIES,
    VISIT_OUTCOMES,
    VISIT_PURPOSES,
)  # fmt: skip
from sales_tools.schema.model import Column as C
from sales_tools.schema.model import Table

# The sheets reps fill in (templates/rep_template.xlsx and one file per rep).  They are
# plain ranges, not Excel tables (a table cannot grow on a protected sheet):
#   row 1 title, row 2 rep and period (formulas over the Instructions sheet), row 3 blank,
#   row TEMPLATE_HEADER_ROW the headers, data from TEMPLATE_FIRST_ROW for TEMPLATE_ROWS rows.
# Column names are the master table's column names; the importer adds rep_id (from the
# Instructions sheet, TEMPLATE_INFO_CELLS), source, and the keys reps never type:
# orders.line (1, 2, ... within an order ID) and payments.payment_id.
TEMPLATE_HEADER_ROW = 4
TEMPLATE_FIRST_ROW = 5
TEMPLATE_ROWS = 2000
TEMPLATE_INFO_SHEET = "Instructions"
# Cells of the Instructions sheet that say whose file it is and for which period.
TEMPLATE_INFO_CELLS: dict[str, str] = {
    "rep_id": "B3",
    "rep_name": "B4",
    "period_start": "B5",
    "period_end": "B6",
    "template_id": "B7",  # core.submissions.template_id of the rep and period
}

_PICK_CUSTOMER = "Pick one of your customers (list on the My customers sheet)"
# The supervisor's block (主管核签, 批示意见) on the Visit plan and Daily report sheets: locked
# to the rep, never imported (a rep cannot approve their own rows; the master's manager does).
SUPERVISOR_BLOCK = (
    C("approved_by", header="Approved by (supervisor)", width=16, note="The supervisor fills this in the master"),
    C("approved_on", "date", header="Approved on (supervisor)", width=14),
    C("supervisor_comment", header="Supervisor comment", width=24),
)
# Beside each Customer ID: the customer's name on the My customers sheet (a formula).  A template-only
# column (`TEMPLATE_DISPLAY`): the master tables have no such column and the importer never imports it.
CUSTOMER_NAME = C("customer_name", header="Customer name", width=24, note="Calculated: the name on My customers")
_IN_PERIOD = "A date within the period on the Instructions sheet"

TEMPLATE_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "rep_visit_plan",
            "Visit plan",
            (
                C("visit_date", "date", required=True, header="Date", note=_IN_PERIOD),
                C("customer_id", required=True, ref="customers.customer_id", header="Customer ID", note=_PICK_CUSTOMER),
                CUSTOMER_NAME,
                C("area", width=16),
                C("planned_time", header="Planned time", width=12, note="e.g. 09:30"),
                C("purpose", required=True, allowed=VISIT_PURPOSES, width=22, note="Pick the purpose of the visit"),
                *SUPERVISOR_BLOCK,
            ),
            excel_name="tplVisitPlan",
            description="Daily visit plan (每日访问计划表): one row per planned visit.",
        ),
        Table(
            "rep_daily_report",
            "Daily report",
            (
                C("activity_date", "date", required=True, header="Date", note=_IN_PERIOD),
                C("customer_id", required=True, ref="customers.customer_id", header="Customer ID", note=_PICK_CUSTOMER),
                CUSTOMER_NAME,
                C("outcome", required=True, allowed=VISIT_OUTCOMES, width=20, note="Pick the outcome of the visit"),
                C("order_amount", "money", min=0, note="Calculated: this customer's orders of the day (Orders sheet)"),
                C("collected_amount", "money", min=0, note="Calculated: collected from this customer that day"),
                C("hours", "number", min=0, width=10, note="Hours spent on the visit, incl. travel"),
                C("complaint", width=24),
                C("competitor_info", header="Competitor info", width=24),
                C("feedback", width=24),
                C("notes", width=24),
                C(
                    "satisfaction",
                    "int",
                    min=1,
                    max=5,
                    width=12,
                    note="Customer satisfaction, 1 (poor) to 5 (very good)",
                ),
                C("expenses", "money", min=0, note="Expenses of the visit: travel, meals, samples (费用)"),
                C("insights", width=30, note="What you learned on the visit (访问心得)"),
                *SUPERVISOR_BLOCK,
            ),
            excel_name="tplDailyReport",
            description="Daily sales report (每日销售报告表): one row per visit.",
        ),
        Table(
            "rep_orders",
            "Orders",
            (
                C("order_date", "date", required=True, header="Date", note=_IN_PERIOD),
                C("order_id", required=True, header="Order ID", note="Order number; repeat it for each line"),
                C("customer_id", required=True, ref="customers.customer_id", header="Customer ID", note=_PICK_CUSTOMER),
                CUSTOMER_NAME,
                C("category", ref="categories.category", width=16, note="Pick a product category"),
                C("quantity", "number", required=True, min=0, width=10, note="Quantity (0 or more)"),
                C("unit_price", "money", required=True, min=0, note="Price per unit (0 or more)"),
                C("amount", "money", note="Calculated: quantity x unit price"),
            ),
            excel_name="tplOrders",
            description="Orders taken; the amount is a formula.",
        ),
        Table(
            "rep_collections",
            "Collections",
            (
                C("payment_date", "date", required=True, header="Date", note=_IN_PERIOD),
                C("customer_id", required=True, ref="customers.customer_id", header="Customer ID", note=_PICK_CUSTOMER),
                CUSTOMER_NAME,
                C("order_id", header="Order ID", note="The order paid, if known"),
                C("amount", "money", required=True, min=0, note="Amount collected (0 or more)"),
                C("method", note="Cash, transfer, cheque, ..."),
            ),
            excel_name="tplCollections",
            description="Payments collected (货款回收).",
        ),
        Table(
            "rep_attendance",
            "Attendance",
            (
                C("work_date", "date", required=True, header="Date", note=_IN_PERIOD),
                C("status", required=True, allowed=ATTENDANCE, note="Present, Leave, Sick or Holiday"),
                C("note", width=30),
            ),
            excel_name="tplAttendance",
            description="Attendance (出勤): one row per working day.",
        ),
        Table(
            "rep_market",
            "Market situation",
            (
                C("report_date", "date", required=True, header="Date", note=_IN_PERIOD),
                C("area", required=True, width=16, note="Where you saw it"),
                C("competitor", required=True, width=20, note="The competitor's name"),
                C("move", required=True, allowed=MARKET_MOVES, header="What they did", width=14),
                C("details", width=30, note="What exactly: the new price, the promotion, the product"),
                C("impact", allowed=IMPACTS, note="How much it threatens our sales"),
                C("response", width=30, header="Suggested response"),
            ),
            excel_name="tplMarket",
            description="Market situation report (市场状况反映表): one row per competitor move, the day you see it.",
        ),
        Table(
            "rep_complaints",
            "Complaints",
            (
                C("complaint_date", "date", required=True, header="Date", note="The day the customer complained"),
                C("customer_id", required=True, ref="customers.customer_id", header="Customer ID", note=_PICK_CUSTOMER),
                CUSTOMER_NAME,
                C("product", width=18, header="Product or order"),
                C("complaint", required=True, width=30),
                C("severity", required=True, allowed=SEVERITIES),
                C("action", width=30, header="Action taken"),
                C("status", required=True, allowed=COMPLAINT_STATUSES, width=12),
                C("closed_on", "date", header="Closed on"),
                C("complaint_id", header="Complaint ID", width=26, note="Calculated: rep, date and customer"),
            ),
            excel_name="tplComplaints",
            description="Complaint report (客户投诉处理报告表): one row per complaint; to update one, repeat its date "
            "and customer in a later file.",
        ),
        Table(
            "rep_targets",
            "My targets",
            (
                C("period", "month", header="Month"),
                C("target", "money"),
                C("actual", "money", note="Sum of this file's Orders in the month"),
                C("attainment", "percent"),
                C("variance", "money", header="Variance (actual − target)", width=16),
            ),
            computed=True,
            excel_name="tplMyTargets",
            description="Read-only: the rep's monthly targets and live attainment over this file's Orders.",
        ),
    )
}
# Template table -> the master table its rows are imported into (My targets is read-only).
TEMPLATE_FEEDS: dict[str, str] = {
    "rep_visit_plan": "visit_plans",
    "rep_daily_report": "activities",
    "rep_orders": "orders",
    "rep_collections": "payments",
    "rep_attendance": "attendance",
    "rep_market": "market_reports",
    "rep_complaints": "complaints",
}
# Columns locked to the rep that only the supervisor fills (`SUPERVISOR_BLOCK`): a rep file
# carrying values there is reported on Exceptions and imported without them.
TEMPLATE_SUPERVISOR: tuple[str, ...] = tuple(c.name for c in SUPERVISOR_BLOCK)
# Input sheets templates issued before them lack: such a file imports without them.
TEMPLATE_LATER_SHEETS = ("rep_attendance", "rep_market", "rep_complaints")
# Columns that are formulas in the templates (locked); the importer recomputes, never trusts them.
TEMPLATE_FORMULAS: dict[str, tuple[str, ...]] = {
    "rep_visit_plan": ("customer_name",),
    "rep_orders": ("customer_name", "amount"),
    "rep_daily_report": ("customer_name", "order_amount", "collected_amount"),
    "rep_collections": ("customer_name",),
    "rep_complaints": ("customer_name", "complaint_id"),
    "rep_targets": ("actual", "attainment", "variance"),
}
# Formula columns shown to the rep only: not columns of the master table a sheet feeds.
TEMPLATE_DISPLAY: tuple[str, ...] = (CUSTOMER_NAME.name,)
