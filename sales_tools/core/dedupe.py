"""Duplicate customers: find them, propose merges, apply only the merges a manager confirmed.

Two customer rows are proposed as duplicates when:

* they share a Customer ID;
* their names are equal after `name_key`: Unicode NFKC (full-width letters become
  half-width), case, punctuation and spacing ignored, and company suffixes removed
  ("Ltd", "Limited", "LLC", "Inc", "Co.", "GmbH", "Group", "有限公司", "股份有限公司",
  "公司", "集团", ...);
* or their keys are a close match (`close_pairs`): one letter apart (one letter
  wrong, missing, extra, or two neighbours swapped), for keys of Latin letters and
  digits of at least `MIN_CLOSE` characters with the same digits ("Store 12" and
  "Store 13" are two stores).  A Chinese name one character apart is often another
  company (华为, 华夏): only equal keys are proposed there.

Each proposal has a score, how alike the two keys are (difflib's ratio: 100% when
equal).  Nothing merges silently: `propose_merges` writes rows of the Customer merges
sheet, a manager types "yes" in Confirm, and ``sales-tools merge-customers`` calls
`apply_merges`.  The customer kept is the one with the smallest ID.
"""

from __future__ import annotations

import difflib
from itertools import combinations

import numpy as np
import pandas as pd

from sales_tools.core.frames import as_text
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

MERGE_COLUMNS = TABLES["customer_merges"].names
CUSTOMER_REF = "customers.customer_id"
MIN_CLOSE = 6  # shorter keys are never a close match: "acme" and "acne" are two companies
_LEGAL = (
    "limited", "ltd", "llc", "l l c", "inc", "incorporated", "corp", "corporation", "co", "company", "gmbh",
    "ag", "sa", "sarl", "srl", "bv", "nv", "plc", "pty", "pte", "kk", "oy", "ab", "as", "spa", "llp", "lp", "group",
)  # fmt: skip
_LEGAL_WESTERN = r"(?:\s(?:" + "|".join(_LEGAL) + r"))+$"
_LEGAL_CJK = r"(?:股份有限公司|有限责任公司|有限公司|股份公司|株式会社|集团|公司)+$"


def name_key(names: pd.Series) -> pd.Series:
    """Names reduced to what identifies the company.

    >>> name_key(pd.Series(["ACME Ltd.", "Acme, Limited", "ａｃｍｅ　Ｉｎｃ", "深圳华强集团有限公司"])).tolist()
    ['acme', 'acme', 'acme', '深圳华强']
    """
    key = names.astype("str").str.normalize("NFKC").str.casefold()
    key = key.str.replace(r"[^\w\s]|_", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    key = (" " + key).str.replace(_LEGAL_WESTERN, "", regex=True).str.strip()
    key = key.str.replace(r"\s", "", regex=True).str.replace(_LEGAL_CJK, "", regex=True)
    return key.where(key.ne("") & names.notna(), as_text(names).str.strip())


def close_pairs(keys: pd.Series) -> pd.DataFrame:
    """The pairs of distinct `keys` one letter apart (see the module docstring): a, b (a < b).

    Two keys within one edit share a key with one letter deleted (or one is the
    other): candidates come from those deletions, so 10,000 keys need no 50 million
    comparisons, then each is checked.

    >>> keys = pd.Series(["acmelogistics", "acmelogistcs", "acmenorth", "acmesouth", "store12", "store13"])
    >>> close_pairs(keys).values.tolist()
    [['acmelogistcs', 'acmelogistics']]
    """
    unique = pd.Series(pd.unique(keys.dropna()), dtype=object)
    fit = unique[unique.map(lambda k: len(k) >= MIN_CLOSE and k.isascii() and k.isalnum())]
    fit = fit[fit.map(_digits).duplicated(keep=False)]  # only keys with the same digits can be close
    sharing: dict[str, list[str]] = {}
    for key in fit:
        for variant in {key, *(key[:i] + key[i + 1 :] for i, c in enumerate(key) if not c.isdigit())}:
            sharing.setdefault(variant, []).append(key)  # no digit deleted: other digits are never close
    found = {tuple(sorted(pair)) for keys in sharing.values() if len(keys) > 1 for pair in combinations(keys, 2)}
    found = pd.DataFrame(sorted(found), columns=["key_a", "key_b"])
    close = [_one_edit(a, b) and _digits(a) == _digits(b) for a, b in zip(found["key_a"], found["key_b"])]
    found = found[np.array(close, dtype=bool)].set_axis(["a", "b"], axis=1)
    return found.sort_values(["a", "b"]).reset_index(drop=True)


def score(a: pd.Series, b: pd.Series) -> list[float]:
    """How alike two keys are, 0 to 1 (difflib's ratio)."""
    return [round(difflib.SequenceMatcher(None, x, y).ratio(), 4) for x, y in zip(a.astype(str), b.astype(str))]


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one substitution, insertion, deletion or swap of neighbours."""
    if abs(len(a) - len(b)) > 1:
        return False
    start = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    a_rest, b_rest = a[start:], b[start:]
    return (
        a_rest[1:] == b_rest[1:]
        or a_rest[1:] == b_rest
        or a_rest == b_rest[1:]
        or (len(a) == len(b) and a_rest[:2] == b_rest[1::-1] and a_rest[2:] == b_rest[2:])
    )


def _digits(key: str) -> str:
    return "".join(c for c in key if c.isdigit())


def propose_merges(customers: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customer merges sheet rows for every duplicate not already proposed.

    Args:
        customers: the Customers table (customer_id, name, ...).
        previous: the Customer merges rows already in the workbook; pairs listed
            there (confirmed, refused or pending) are not proposed again.

    Returns:
        Rows of schema table ``customer_merges`` with Confirm blank: the same IDs, then
        the same names, then the close matches.
    """
    cust = customers[["customer_id", "name"]].dropna(subset=["customer_id"]).reset_index(drop=True)
    cust = cust.assign(_key=name_key(cust["name"]), _pos=range(len(cust)))
    same_id = tr("same {header} listed twice").format(header=TABLES["customers"].column("customer_id").header)
    pairs = pd.concat(
        [
            _pairs(cust, "customer_id", same_id),
            _pairs(cust, "_key", tr("same name after normalising: {name}")),
            _close(cust),
        ],
        ignore_index=True,
    ).drop_duplicates(["customer_id", "duplicate_id", "duplicate_name"])
    pairs = pairs[~((pairs["customer_id"] == pairs["duplicate_id"]) & pairs["reason"].ne(same_id))]
    if previous is not None and len(previous):
        seen = pd.MultiIndex.from_frame(previous[["customer_id", "duplicate_id"]].astype(str))
        pairs = pairs[~pd.MultiIndex.from_frame(pairs[["customer_id", "duplicate_id"]].astype(str)).isin(seen)]
    pairs = pairs.assign(score=score(name_key(pairs["name"]), name_key(pairs["duplicate_name"])), confirm="")
    return pairs.reindex(columns=MERGE_COLUMNS).reset_index(drop=True)


def _pairs(cust: pd.DataFrame, by: str, reason: str) -> pd.DataFrame:
    """Each later member of a group paired with the group's keeper (smallest ID, first listed)."""
    ordered = cust.sort_values(["customer_id", "_pos"], kind="stable")
    dupes = ordered[ordered.duplicated(by) & ordered[by].notna()]  # two blank names are not one company
    first = ordered.drop_duplicates(by).set_index(by, drop=False)
    reasons = reason if by == "customer_id" else dupes[by].map(lambda key: reason.format(name=repr(key)))
    return pd.DataFrame(
        {
            "customer_id": dupes[by].map(first["customer_id"]).to_numpy(),
            "duplicate_id": dupes["customer_id"].to_numpy(),
            "name": dupes[by].map(first["name"]).to_numpy(),
            "duplicate_name": dupes["name"].to_numpy(),
            "reason": reasons if isinstance(reasons, str) else reasons.to_numpy(),
        }
    )


def _close(cust: pd.DataFrame) -> pd.DataFrame:
    """The keepers of two keys one letter apart, the larger ID proposed as the duplicate; by IDs."""
    keeper = cust.sort_values(["customer_id", "_pos"], kind="stable").drop_duplicates("_key").set_index("_key")
    found = close_pairs(keeper.index.to_series())
    a, b = keeper.loc[found["a"]].reset_index(), keeper.loc[found["b"]].reset_index()
    first = (a["customer_id"].astype(str) < b["customer_id"].astype(str)).to_numpy()

    def pick(column: str, of_a: np.ndarray) -> np.ndarray:
        return np.where(of_a, a[column].to_numpy(object), b[column].to_numpy(object))

    return pd.DataFrame(
        {
            "customer_id": pick("customer_id", first),
            "duplicate_id": pick("customer_id", ~first),
            "name": pick("name", first),
            "duplicate_name": pick("name", ~first),
            "reason": [tr("close match: {a} and {b}").format(a=repr(x), b=repr(y))
                       for x, y in zip(pick("_key", first), pick("_key", ~first))],
        }
    ).sort_values(["customer_id", "duplicate_id"], kind="stable")  # fmt: skip


def confirmed(merges: pd.DataFrame) -> pd.DataFrame:
    """The merges a manager confirmed (Confirm is yes, any case), between different IDs."""
    yes = merges["confirm"].astype("str").str.strip().str.casefold().eq("yes")
    return merges[yes & (merges["customer_id"].astype(str) != merges["duplicate_id"].astype(str))]


def with_proposals(customers: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """The Customer merges table a refresh writes: the rows already there as they are (the
    manager's decisions), then the new proposals (`propose_merges`)."""
    new = propose_merges(customers, previous)
    if previous is None or previous.empty:
        return new
    kept = previous.reindex(columns=MERGE_COLUMNS).reset_index(drop=True)
    return pd.concat([kept, new], ignore_index=True) if len(new) else kept


def undecided(merges: pd.DataFrame) -> int:
    """How many proposals the manager has not answered yet (Confirm blank)."""
    return sum(pd.isna(v) or not str(v).strip() for v in merges["confirm"])


def pending(merges: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """The confirmed merges still to apply, each with the customer finally kept.

    A merge whose duplicate is no longer on the Customers sheet was applied already: left
    out.  Chains resolve: C3 into C2 and C2 into C1 merge both into C1.

    Raises:
        InputError: a customer confirmed as the duplicate of two others, merges in a
            loop, or a customer to keep that is not on the Customers sheet; the message
            names the Customer merges row.
    """
    listed = set(customers["customer_id"].dropna().astype(str))
    yes = confirmed(merges)
    yes = yes.assign(customer_id=yes["customer_id"].astype(str), duplicate_id=yes["duplicate_id"].astype(str))
    yes = yes[yes["duplicate_id"].isin(listed)].drop_duplicates(["customer_id", "duplicate_id"])
    twice = yes["duplicate_id"].duplicated(keep=False)
    if twice.any():
        dupe = yes.loc[twice, "duplicate_id"].iloc[0]
        into = tr(" and ").join(yes.loc[yes["duplicate_id"] == dupe, "customer_id"])
        raise InputError(tr("{sheet}: {rows} merge {dupe} into {into}; keep one yes").format(
            sheet=TABLES["customer_merges"].sheet, rows=_rows(yes, yes["duplicate_id"] == dupe), dupe=dupe, into=into
        ))  # fmt: skip
    into = dict(zip(yes["duplicate_id"], yes["customer_id"]))
    final = []
    for dupe in yes["duplicate_id"]:
        seen, kept = {dupe}, into[dupe]
        while kept in into:
            if kept in seen:
                raise InputError(tr("{sheet}: {rows} merge {ids} into each other; answer no to one of them").format(
                    sheet=TABLES["customer_merges"].sheet, rows=_rows(yes, yes["duplicate_id"].isin(seen)),
                    ids=", ".join(sorted(seen)),
                ))  # fmt: skip
            seen.add(kept)
            kept = into[kept]
        final.append(kept)
    yes = yes.assign(customer_id=final)
    gone = ~yes["customer_id"].isin(listed)
    if gone.any():
        kept = yes.loc[gone, "customer_id"].iloc[0]
        raise InputError(tr("{sheet}: {rows} keep customer {kept}, who is not on the {customers} sheet").format(
            sheet=TABLES["customer_merges"].sheet, rows=_rows(yes, yes["customer_id"] == kept), kept=kept,
            customers=TABLES["customers"].sheet,
        ))  # fmt: skip
    return yes


def _rows(frame: pd.DataFrame, mask: pd.Series) -> str:
    """ "row 5" / "rows 5, 7" (Excel rows when the index holds them, else positions)."""
    at = (
        frame.index[mask.to_numpy()] if frame.index.name == "row" else pd.RangeIndex(1, len(frame) + 1)[mask.to_numpy()]
    )
    return (tr("row {row}") if len(at) == 1 else tr("rows {rows}")).format(row=at[0], rows=", ".join(map(str, at)))


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
