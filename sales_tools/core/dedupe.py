"""Duplicate customers: find them, propose merges, apply only the merges a manager confirmed.

Two customer rows are duplicates when they share a Customer ID, or when their names
are equal after `name_key`: Unicode NFKC (full-width letters become half-width),
case, punctuation and spacing ignored, and legal suffixes removed ("Ltd", "Limited",
"LLC", "Inc", "Co.", "GmbH", "有限公司", "股份有限公司", "公司", ...).  Nothing merges
silently: `propose_merges` writes rows of the Customer merges sheet, a manager types
"yes" in Confirm, and the next import calls `apply_merges`.  The customer kept is the
one with the smallest ID.
"""

from __future__ import annotations

import pandas as pd

from sales_tools.core.frames import as_text
from sales_tools.schema import TABLES

MERGE_COLUMNS = TABLES["customer_merges"].names
CUSTOMER_REF = "customers.customer_id"
_LEGAL = (
    "limited", "ltd", "llc", "l l c", "inc", "incorporated", "corp", "corporation", "co", "company", "gmbh",
    "ag", "sa", "sarl", "srl", "bv", "nv", "plc", "pty", "pte", "kk", "oy", "ab", "as", "spa", "llp", "lp",
)  # fmt: skip
_LEGAL_WESTERN = r"(?:\s(?:" + "|".join(_LEGAL) + r"))+$"
_LEGAL_CJK = r"(?:股份有限公司|有限责任公司|有限公司|株式会社|集团公司|公司)$"


def name_key(names: pd.Series) -> pd.Series:
    """Names reduced to what identifies the company.

    >>> name_key(pd.Series(["ACME Ltd.", "Acme, Limited", "ａｃｍｅ　Ｉｎｃ", "深圳华强有限公司"])).tolist()
    ['acme', 'acme', 'acme', '深圳华强']
    """
    key = names.astype("str").str.normalize("NFKC").str.casefold()
    key = key.str.replace(r"[^\w\s]|_", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    key = (" " + key).str.replace(_LEGAL_WESTERN, "", regex=True).str.strip()
    key = key.str.replace(r"\s", "", regex=True).str.replace(_LEGAL_CJK, "", regex=True)
    return key.where(key.ne("") & names.notna(), as_text(names).str.strip())


def propose_merges(customers: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customer merges sheet rows for every duplicate not already proposed.

    Args:
        customers: the Customers table (customer_id, name, ...).
        previous: the Customer merges rows already in the workbook; pairs listed
            there (confirmed, refused or pending) are not proposed again.

    Returns:
        Rows of schema table ``customer_merges`` with Confirm blank.
    """
    cust = customers[["customer_id", "name"]].dropna(subset=["customer_id"]).reset_index(drop=True)
    cust = cust.assign(_key=name_key(cust["name"]), _pos=range(len(cust)))
    pairs = pd.concat(
        [
            _pairs(cust, "customer_id", "same Customer ID listed twice"),
            _pairs(cust, "_key", "same name after normalising"),
        ],
        ignore_index=True,
    ).drop_duplicates(["customer_id", "duplicate_id", "duplicate_name"])
    pairs = pairs[~((pairs["customer_id"] == pairs["duplicate_id"]) & pairs["reason"].str.startswith("same name"))]
    if previous is not None and len(previous):
        seen = pd.MultiIndex.from_frame(previous[["customer_id", "duplicate_id"]].astype(str))
        pairs = pairs[~pd.MultiIndex.from_frame(pairs[["customer_id", "duplicate_id"]].astype(str)).isin(seen)]
    return pairs.assign(confirm="").reindex(columns=MERGE_COLUMNS).reset_index(drop=True)


def _pairs(cust: pd.DataFrame, by: str, reason: str) -> pd.DataFrame:
    """Each later member of a group paired with the group's keeper (smallest ID, first listed)."""
    ordered = cust.sort_values(["customer_id", "_pos"], kind="stable")
    dupes = ordered[ordered.duplicated(by) & ordered[by].notna()]  # two blank names are not one company
    first = ordered.drop_duplicates(by).set_index(by, drop=False)
    reasons = reason if by == "customer_id" else reason + ": " + dupes[by].map(repr)
    return pd.DataFrame(
        {
            "customer_id": dupes[by].map(first["customer_id"]).to_numpy(),
            "duplicate_id": dupes["customer_id"].to_numpy(),
            "name": dupes[by].map(first["name"]).to_numpy(),
            "duplicate_name": dupes["name"].to_numpy(),
            "reason": reasons if isinstance(reasons, str) else reasons.to_numpy(),
        }
    )


def confirmed(merges: pd.DataFrame) -> pd.DataFrame:
    """The merges a manager confirmed (Confirm is yes, any case), between different IDs."""
    yes = merges["confirm"].astype("str").str.strip().str.casefold().eq("yes")
    return merges[yes & (merges["customer_id"].astype(str) != merges["duplicate_id"].astype(str))]


def apply_merges(tables: dict[str, pd.DataFrame], merges: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """New tables with every confirmed duplicate ID replaced by the ID kept.

    Every column that refers to ``customers.customer_id`` is rewritten and the
    duplicate's Customers row is dropped; the inputs are not changed.
    """
    mapping = dict(zip(confirmed(merges)["duplicate_id"].astype(str), confirmed(merges)["customer_id"].astype(str)))
    if not mapping:
        return dict(tables)
    out = {}
    for name, df in tables.items():
        refs = (
            [c.name for c in TABLES[name].columns if c.ref == CUSTOMER_REF and c.name in df] if name in TABLES else []
        )
        out[name] = df.assign(**{c: df[c].replace(mapping) for c in refs}) if refs else df
    if "customers" in out:
        out["customers"] = out["customers"][~out["customers"]["customer_id"].astype(str).isin(mapping)]
    return out
