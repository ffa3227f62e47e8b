"""The rows of the Settings sheet and their defaults."""

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
    "payment_terms_days": (
        "",
        "Receivables: days from order to due date, aged from the due date; blank: aged from the order date",
    ),
    "as_of": ("", "Date of the figures; blank: the latest order date (macros: today)"),
    "rep_files_folder": ("", "Folder the Import macro reads; blank: rep_files next to the workbook"),
    "templates_folder": ("", "Folder for generated rep templates; blank: rep_templates next to the workbook"),
    "statements_folder": ("", "Folder for statements; blank: statements next to the workbook"),
    "payout_day": (15, "Day of the following month a month's commission is paid (1 to 28), printed on statements"),
    "daily_report_due_days": (1, "A daily report is due this many working days after its day (0: the same day)"),
    "visit_plan_due_days": (0, "A week's visit plan is due this many working days after its Monday (0: the Monday)"),
    "holidays": ("", "Days off besides weekends, for report deadlines: dates separated by ;"),
    "complaint_escalation_days": (3, "The weekly report escalates complaints still open after this many days"),
    "satisfaction_target": (0.9, "KPIs: the customer satisfaction target (mean visit score out of 5)"),
    "date_order": (
        "month first",
        "How imports read dates such as 05/12/2024: month first (May 12) or day first (5 Dec)",
    ),
    "language": (
        "en",
        "Language of the sheets, headers, lists and reports: en or zh-CN, chosen when the master is built",
    ),
}
