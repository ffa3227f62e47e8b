"""The fixed lists of values some columns allow (dropdowns) and the plan rules' options."""

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
# What a Targets row measures: sales, gross margin (amount − quantity × unit cost), units, or payments collected
MEASURES = ("revenue", "margin", "quantity", "collections")
CHANNELS = ("Direct", "Dealer")  # a Dealer (经销商, channel partner) can have its own target
SEGMENTS = ("VIP", "Loyal", "New", "Dormant", "Prospect", "Regular")
ABC_CLASSES = ("A", "B", "C")
PLAN_RULES = ("method", "tier_basis", "credit_on", "tier", "gate", "cap", "category_rate", "bonus", "draw", "override")
PLAN_RULES += ("basis",)  # revenue or margin: what each line pays on
PLAN_OPTIONS = {
    "method": ("marginal", "retroactive"),
    "tier_basis": ("amount", "attainment"),
    "credit_on": ("booked", "paid"),
    "basis": ("revenue", "margin"),
    "draw": ("recoverable", "non_recoverable"),
}
# The texts the commission engine writes as a line's rule: fixed, or with a figure ({level}, {amount}: kept as written)
LINE_RULES = ("tier marginal", "tier retroactive", "category rate", "clawback", "override", "override clawback",
              "draw recovered", "gate {level} not reached", "bonus {level}", "cap {amount}", "recoverable draw {amount}",
              "draw {amount}", "adjustment {month}: {reason}")  # fmt: skip
# What a Target variance row is for: a level (or levels joined by +), and the team's key
LEVELS = ("team", "rep", "region", "category", "dealer")
TEAM_KEY = ("Team",)
# The field forms (market situation, complaints, attendance) and the key-account flag
MARKET_MOVES = ("Price", "Promotion", "New product", "Other")  # what a competitor did
IMPACTS = ("Low", "Medium", "High")  # how much a competitor move threatens our sales
SEVERITIES = ("Low", "Medium", "High")
COMPLAINT_STATUSES = ("Open", "In progress", "Closed")
OPEN_COMPLAINTS = ("Open", "In progress")
ATTENDANCE = ("Present", "Leave", "Sick", "Holiday")
YES = ("Yes",)  # a flag: Yes or blank
# Codes the computed tables write (shown as labels; `core` writes them)
PERIOD_TYPES = ("month", "quarter", "half", "year")  # Target variance rows (core.variance)
KEY_ACCOUNT_FLAGS = (*YES, "Proposed")  # Customer tiers: flagged, or proposed for class A (core.field)
BADGES = ("Sales champion", "Best attainment")  # Leaderboard (core.leaderboard)
IMPORT_STATUSES = ("imported", "partial", "rejected", "already imported", "replaced", "merged")  # Import log
CLOSE_ACTIONS = ("close", "reopen")  # Close log (core.close)
ESCALATION_KINDS = ("Competitor move", "Open complaint")  # the weekly report's escalations (core.weekly)
