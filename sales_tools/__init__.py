"""sales_tools: commissions, target attainment and customer tiers for Excel sales teams."""

__version__ = "0.1.0"
