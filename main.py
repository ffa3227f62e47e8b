"""xlwings Lite entry point: the sales_tools Excel functions, as =SALES.<NAME>(...).

xlwings Lite registers every function decorated with ``xlwings.func`` that this module
holds, so importing them from `sales_tools.udfs` is all it takes; the functions and
their argument conversion live there, shared with classic xlwings.
"""

from sales_tools.udfs import (  # noqa: F401  (imported to be registered)
    abc_class,
    cumulative_attainment,
    quota_attainment,
    quota_commission,
    rfm_scores,
    tier_label,
    tiered_commission,
)
