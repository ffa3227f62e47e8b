"""The one schema: every table of the master workbook and the rep templates, defined once.

The workbook builder, the templates, the reader, the importer and the validators all
read these definitions; none of them repeats a column list.  Column `name`s are the
snake_case names used in DataFrames; `header`s are what a manager sees in Excel.

This module is pure data (no openpyxl, no xlwings): number formats are Excel format
strings, types are the small vocabulary in `TYPES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# type -> Excel number format.  "month" is a real date on the 1st of the month.
TYPES: dict[str, str] = {
    "text": "@",
    "int": "0",
    "number": "#,##0.##",
    "money": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
    "bool": "General",
}

VISIT_PURPOSES = (
    "Develop new customer",
    "Market research",
    "Collect payment",
    "Service",
    "Handle complaint",
    "Take order",
    "Other",
)
VISIT_OUTCOMES = (
    "Order taken",
    "Payment collected",
    "Complaint handled",
    "Follow-up needed",
    "No interest",
    "Not met",
)
# Outcomes that make a visit *effective* (the rep met the customer and moved something).
EFFECTIVE_OUTCOMES = ("Order taken", "Payment collected", "Complaint handled", "Follow-up needed")
CLOSING_OUTCOMES = ("Order taken",)
CUSTOMER_SIZES = ("Small", "Medium", "Large", "Enterprise")
SEGMENTS = ("VIP", "Loyal", "New", "Dormant", "Prospect", "Regular")
ABC_CLASSES = ("A", "B", "C")
PLAN_RULES = ("method", "tier_basis", "credit_on", "tier", "gate", "cap", "category_rate", "bonus")
PLAN_OPTIONS = {
    "method": ("marginal", "retroactive"),
    "tier_basis": ("amount", "attainment"),
    "credit_on": ("booked", "paid"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    header: str = ""
    allowed: tuple[str, ...] | None = None  # a fixed list of values (a dropdown)
    ref: str | None = None  # "table.column" whose values are allowed (a lookup)
    min: float | None = None  # smallest allowed number (0 rejects negatives)
    width: int = 14
    note: str = ""  # input message shown in Excel

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")
        if not self.header:
            object.__setattr__(self, "header", self.name.replace("_", " ").capitalize().replace(" id", " ID"))

    @property
    def number_format(self) -> str:
        return TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str  # python name, e.g. "orders"
    sheet: str  # worksheet title
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    computed: bool = False  # written by the refresh, not typed in
    description: str = ""
    excel_name: str = field(default="")  # Excel table (ListObject) name

    def __post_init__(self):
        if not self.excel_name:
            object.__setattr__(self, "excel_name", "tbl" + self.sheet.replace(" ", ""))
        unknown = set(self.key) - set(self.names)
        if unknown:
            raise ValueError(f"table {self.name}: key columns {sorted(unknown)} are not columns")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.sheet} has no column {name!r}")


C = Column  # short alias for the definitions below

SOURCE = C("source", header="Source", width=28, note="Where the row came from (file or 'manual')")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        # ---------------------------------------------------------------- inputs
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
                C("manager", width=20),
                C("start_date", "date"),
                C("plan", ref="plan.plan", width=16, note="Commission plan name from the Plan sheet"),
                C("email", width=26),
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
                C("annual_target", "money", required=True, min=0, width=16),
            ),
            key=("year", "rep_id", "region", "category"),
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
                C("option", width=14, note="marginal/retroactive, amount/attainment, booked/paid"),
                C("floor", "number", note="Tier floor: currency, or a fraction of quota for attainment"),
                C("rate", "percent"),
                C("amount", "money", note="Cap or bonus amount"),
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
        # -------------------------------------------------------------- computed
        Table(
            "commission_lines",
            "Commission lines",
            (
                C("rep_id", header="Rep ID"),
                C("period", "month"),
                C("order_id", header="Order ID"),
                C("line", "int"),
                C("category"),
                C("basis", "money"),
                C("rule", width=22),
                C("rate", "percent"),
                C("amount", "money"),
            ),
            computed=True,
            description="The audit trail: every amount that makes up a commission.",
        ),
        Table(
            "commission_summary",
            "Commission summary",
            (
                C("rep_id", header="Rep ID"),
                C("period", "month"),
                C("sales", "money"),
                C("target", "money"),
                C("attainment", "percent"),
                C("commission", "money"),
                C("clawbacks", "money"),
                C("bonus", "money"),
                C("cap_adjustment", "money"),
                C("total", "money"),
            ),
            key=("rep_id", "period"),
            computed=True,
        ),
        Table(
            "attainment",
            "Attainment",
            (
                C("rep_id", header="Rep ID"),
                C("name", width=22),
                C("region"),
                C("period", "month"),
                C("target", "money"),
                C("actual", "money"),
                C("attainment", "percent"),
                C("gap", "money"),
                C("ytd_target", "money", header="YTD target"),
                C("ytd_actual", "money", header="YTD actual"),
                C("ytd_attainment", "percent", header="YTD attainment"),
                C("forecast", "money"),
                C("forecast_attainment", "percent"),
            ),
            key=("rep_id", "period"),
            computed=True,
        ),
        Table(
            "customer_tiers",
            "Customer tiers",
            (
                C("customer_id", header="Customer ID"),
                C("name", width=30),
                C("recency_days", "int"),
                C("frequency", "int"),
                C("monetary", "money"),
                C("r", "int", header="R"),
                C("f", "int", header="F"),
                C("m", "int", header="M"),
                C("segment"),
                C("abc", header="ABC"),
                C("tier"),
            ),
            key=("customer_id",),
            computed=True,
        ),
        Table(
            "kpis",
            "KPIs",
            (
                C("rep_id", header="Rep ID"),
                C("period", "month"),
                C("visits", "int"),
                C("effective_visits", "int"),
                C("effective_visit_rate", "percent"),
                C("closing_rate", "percent"),
                C("new_customers", "int"),
                C("collections", "money"),
                C("sales", "money"),
                C("hours", "number"),
                C("sales_per_hour", "money"),
            ),
            key=("rep_id", "period"),
            computed=True,
        ),
        Table(
            "leaderboard",
            "Leaderboard",
            (
                C("rank", "int"),
                C("rep_id", header="Rep ID"),
                C("name", width=22),
                C("region"),
                C("sales", "money"),
                C("attainment", "percent"),
                C("commission", "money"),
                C("badge", width=18),
            ),
            computed=True,
        ),
        Table(
            "weekly_report",
            "Weekly report",
            (
                C("week", width=10),
                C("rep_id", header="Rep ID"),
                C("name", width=22),
                C("target", "money"),
                C("sales", "money"),
                C("attainment", "percent"),
                C("new_customers", "int"),
                C("collections", "money"),
                C("effective_visit_rate", "percent"),
                C("closing_rate", "percent"),
                C("abnormal_customers", width=30),
                C("next_week_target", "money"),
            ),
            computed=True,
        ),
        Table(
            "exceptions",
            "Exceptions",
            (
                C("file", width=28),
                C("sheet", width=14),
                C("row", "int"),
                C("column", width=14),
                C("value", width=18),
                C("reason", width=50),
            ),
            computed=True,
        ),
        Table(
            "import_log",
            "Import log",
            (
                C("imported_at", "date", width=18),
                C("file", width=28),
                C("sha256", width=20, header="SHA-256"),
                C("rep_id", header="Rep ID"),
                C("period", "month"),
                C("rows_read", "int"),
                C("rows_imported", "int"),
                C("rows_rejected", "int"),
                C("status", width=16),
            ),
            computed=True,
        ),
        Table(
            "customer_merges",
            "Customer merges",
            (
                C("customer_id", header="Customer ID"),
                C("duplicate_id", header="Duplicate ID"),
                C("name", width=30),
                C("duplicate_name", width=30),
                C("reason", width=30),
                C("confirm", allowed=("yes", "no"), note="Type yes to merge on the next import"),
            ),
            computed=True,
            description="Proposed duplicate customers; nothing merges until a manager confirms.",
        ),
    )
}

INPUT_TABLES = [t for t in TABLES.values() if not t.computed]
COMPUTED_TABLES = [t for t in TABLES.values() if t.computed]

# The Settings sheet's rows: setting -> (default, description).
SETTINGS: dict[str, tuple[object, str]] = {
    "company": ("Example Trading Co.", "Company name shown on statements"),
    "currency": ("USD", "Currency code shown on statements"),
    "period_start": ("2024-01-01", "First day of the plan year"),
    "period": ("month", "Commission and target period (calendar month)"),
    "rfm_bins": (5, "Number of RFM score bins (quantiles)"),
    "abc_a": (0.80, "ABC: cumulative share of value before an item below which it is class A"),
    "abc_b": (0.95, "ABC: ... below which it is class B; the rest are C"),
    "new_days": (90, "A customer whose first order is this recent is New"),
    "dormant_days": (180, "A customer with no order for this long is Dormant"),
    "tier_floors": ("0;10000;50000", "Spend floors of the customer tiers, separated by ;"),
    "tier_labels": ("Bronze;Silver;Gold", "Names of the customer tiers, one per floor"),
    "as_of": ("", "Date of the figures; blank: the latest order date (macros: today)"),
    "rep_files_folder": ("", "Folder the Import macro reads; blank: rep_files next to the workbook"),
    "templates_folder": ("", "Folder for generated rep templates; blank: rep_templates next to the workbook"),
    "statements_folder": ("", "Folder for statements; blank: statements next to the workbook"),
}


def table(name: str) -> Table:
    """The table called `name` (python name, sheet title or Excel table name)."""
    for t in TABLES.values():
        if name in (t.name, t.sheet, t.excel_name):
            return t
    raise KeyError(f"no table called {name!r}; known: {', '.join(TABLES)}")


# ------------------------------------------------------------------ rep templates
# The sheets reps fill in (templates/rep_template.xlsx and one file per rep).  They are
# plain ranges, not Excel tables (a table cannot grow on a protected sheet):
#   row 1 title, row 2 rep and period (formulas over the Instructions sheet), row 3 blank,
#   row TEMPLATE_HEADER_ROW the headers, data from TEMPLATE_FIRST_ROW for TEMPLATE_ROWS rows.
# Column names are the master table's column names; the importer adds rep_id (from the
# Instructions sheet, TEMPLATE_INFO_CELLS), source, and the keys reps never type:
# orders.line (1, 2, ... within an order ID) and payments.payment_id.
TEMPLATE_HEADER_ROW = 4
TEMPLATE_FIRST_ROW = 5
TEMPLATE_ROWS = 300
TEMPLATE_INFO_SHEET = "Instructions"
# Cells of the Instructions sheet that say whose file it is and for which period.
TEMPLATE_INFO_CELLS: dict[str, str] = {
    "rep_id": "B3",
    "rep_name": "B4",
    "period_start": "B5",
    "period_end": "B6",
}

_PICK_CUSTOMER = "Pick one of your customers (list on the My customers sheet)"
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
                C("area", width=16),
                C("planned_time", header="Planned time", width=12, note="e.g. 09:30"),
                C("purpose", required=True, allowed=VISIT_PURPOSES, width=22, note="Pick the purpose of the visit"),
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
                C("outcome", required=True, allowed=VISIT_OUTCOMES, width=20, note="Pick the outcome of the visit"),
                C("order_amount", "money", min=0, note="Amount ordered (0 or more)"),
                C("collected_amount", "money", min=0, note="Payment collected (0 or more)"),
                C("hours", "number", min=0, width=10, note="Hours spent on the visit, incl. travel"),
                C("complaint", width=24),
                C("competitor_info", header="Competitor info", width=24),
                C("feedback", width=24),
                C("notes", width=24),
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
                C("order_id", header="Order ID", note="The order paid, if known"),
                C("amount", "money", required=True, min=0, note="Amount collected (0 or more)"),
                C("method", note="Cash, transfer, cheque, ..."),
            ),
            excel_name="tplCollections",
            description="Payments collected (货款回收).",
        ),
        Table(
            "rep_targets",
            "My targets",
            (
                C("period", "month", header="Month"),
                C("target", "money"),
                C("actual", "money", note="Sum of this file's Orders in the month"),
                C("attainment", "percent"),
                C("gap", "money"),
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
}
# Columns that are formulas in the templates (locked); the importer recomputes, never trusts them.
TEMPLATE_FORMULAS: dict[str, tuple[str, ...]] = {
    "rep_orders": ("amount",),
    "rep_targets": ("actual", "attainment", "gap"),
}
