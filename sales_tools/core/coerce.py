"""Turn raw cell values into typed columns, and say in plain words what could not be.

`coerce_table` takes what a reader found in a sheet or CSV (strings, numbers, dates,
booleans, blanks, all mixed) and returns the typed rows of a schema table plus a
"problems" frame: one row per bad cell, with the Excel row number and a reason a
sales manager understands.  Everything is vectorized; Python only runs per cell to
phrase the message of a failing cell.

Conventions (the contract for every importer and reader):

* Blank rows (every cell empty or spaces) are dropped silently: they are not rows.
* Text is stripped of surrounding spaces; numbers that arrive in a text column are
  written without a trailing ".0" (customer 1001, not 1001.0).  Text that starts
  with ``=``, ``+``, ``-`` or ``@`` stays text (see `formula_like`): writers must store
  it as a string, never as a formula.
* Numbers accept thousands separators (``1,234.50``: a comma only counts as one when
  it groups three digits), currency symbols and codes, accounting negatives
  ``(12.50)`` and percentages (``15%`` is 0.15).  A number whose size exceeds
  `MAX_ABS` is rejected.
* Dates accept real dates, Excel serial numbers and text: ISO ``2024-03-05`` and
  ``2024/3/5`` (year first is never ambiguous), ``20240305``, ``5 Mar 2024``,
  ``Mar 5, 2024``, ``2024年3月5日``, and year-last ``05/03/2024`` which is read
  month first (US) unless ``dayfirst=True``.  A time of day is dropped, but it must
  exist (0:00-23:59:59, or 1-12 with AM/PM): ``2024-12-17 25:99`` is not a date.  Month
  columns also accept ``2024-03``, ``Mar 2024`` and become the 1st of the month.
  Dates outside the years 1900-2100 are rejected as implausible.
* Text holding a control character (U+0000-U+001F but tab and line breaks, U+007F-U+009F:
  invisible, and not storable in a workbook) is rejected.
* Allowed values match case-insensitively and come back in the schema's spelling.

Dtypes: text -> ``str``, int -> ``Int64``, number/money/percent -> ``float64``,
date/month -> ``datetime64[ns]`` (midnight), bool -> ``boolean``.
"""

from __future__ import annotations

import datetime as dt
import numbers

import numpy as np
import pandas as pd

from sales_tools.core.frames import as_text
from sales_tools.errors import SchemaError
from sales_tools.schema import Column, Table
from sales_tools.schema.language import code_of, phrase_code, tr

MAX_ABS = 1e12  # no sales figure is this large; larger is a typo or garbage
FORMULA_PREFIXES = ("=", "+", "-", "@")
PROBLEM_COLUMNS = ["row", "column", "value", "reason"]
YEARS = (1900, 2100)  # plausible dates
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_MONTHS = {m.lower(): i for i, m in enumerate(pd.date_range("2000-01-01", periods=12, freq="MS").strftime("%b"), 1)}
_MONTHS |= {m.lower(): i for i, m in enumerate(pd.date_range("2000-01-01", periods=12, freq="MS").strftime("%B"), 1)}
_MONTHS["sept"] = 9
# a time of day (dropped, but it must be a possible one): groups hour, minute, second, am/pm
_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?: ?([AaPp])\.?[Mm]\.?)?)?$"
_CLOCK = ("hour", "minute", "sec", "ampm")
_SEP = r"[-/.]"
# (regex, names of its groups in order); tried in order on the cells still unparsed.
_DATE_PATTERNS = (
    (rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}}){_TIME}", ("year", "month", "day", *_CLOCK)),
    (rf"^(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]?{_TIME}", ("year", "month", "day", *_CLOCK)),
    (r"^(\d{4})(\d{2})(\d{2})$", ("year", "month", "day")),
    (rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}){_TIME}", ("first", "second", "year", *_CLOCK)),
    (rf"^(\d{{1,2}})[ -]([A-Za-z]{{3,9}})\.?,?[ -](\d{{4}}){_TIME}", ("day", "month_name", "year", *_CLOCK)),
    (rf"^([A-Za-z]{{3,9}})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}}){_TIME}", ("month_name", "day", "year", *_CLOCK)),
)
_MONTH_PATTERNS = (
    (rf"^(\d{{4}}){_SEP}(\d{{1,2}})$", ("year", "month")),
    (r"^(\d{4})\s*年\s*(\d{1,2})\s*月$", ("year", "month")),
    (r"^([A-Za-z]{3,9})\.?[ -](\d{4})$", ("month_name", "year")),
)
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"  # invisible; tab, line feed and carriage return are text
_CURRENCY = r"[$€£¥₹]|(?i:\b(?:usd|eur|gbp|cny|rmb|jpy)\b)"


def coerce_table(
    raw: pd.DataFrame, table: Table, *, first_row: int = 2, dayfirst: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Type the cells of `raw` by the schema of `table`; report the cells that fail.

    Args:
        raw: one column per schema column name (extra columns are ignored, optional
            ones may be absent), cells as a reader returns them.
        table: the schema table the rows belong to.
        first_row: the Excel row number of raw's first row (2 below a header in row 1).
        dayfirst: read year-last dates such as 05/03/2024 as 5 March (default: 3 May).

    Returns:
        ``(typed, problems)``: typed holds the rows without any problem, indexed by
        their Excel row number (index name "row"), columns in schema order; problems
        has columns row, column (the header), value (as text) and reason.

    Raises:
        SchemaError: a required column is absent.

    >>> from sales_tools.schema import TABLES
    >>> raw = pd.DataFrame({"month": [1, "2", "x"], "weight": ["8%", 0.5, None]})
    >>> typed, problems = coerce_table(raw, TABLES["seasonality"])
    >>> typed["weight"].tolist(), problems["reason"].tolist()
    ([0.08, 0.5], ["'x' is not a number", 'required value is missing'])
    """
    missing = [c.header for c in table.columns if c.required and c.name not in raw.columns]
    if missing:
        raise SchemaError(
            tr("the {sheet} sheet has no column {columns}").format(
                sheet=table.sheet, columns=", ".join(map(repr, missing))
            )
        )
    frame = raw.reindex(columns=table.names).astype(object)
    frame.index = pd.RangeIndex(first_row, first_row + len(frame), name="row")
    texts = frame.apply(_as_text)
    frame = frame[texts.notna().any(axis=1)]
    texts = texts.loc[frame.index]
    typed, reasons = {}, {}
    for col in table.columns:
        typed[col.name], reasons[col.name] = _coerce_column(frame[col.name], texts[col.name], col, dayfirst)
    reasons = pd.DataFrame(reasons, index=frame.index)
    bad = reasons.notna().any(axis=1)
    valid = pd.DataFrame(typed, index=frame.index)[~bad]
    return valid, _problems(reasons, texts, table)


def formula_like(values: pd.Series) -> pd.Series:
    """True where a value is text that a spreadsheet would run as a formula.

    Such text must be stored as a string cell (openpyxl: ``cell.data_type = "s"``).

    >>> formula_like(pd.Series(["=1+1", "-5 pcs", "ok", 3])).tolist()
    [True, True, False, False]
    """
    is_text = values.map(lambda v: isinstance(v, str)).astype(bool)
    return is_text & values.where(is_text, "").astype(str).str.startswith(FORMULA_PREFIXES)


# ---------------------------------------------------------------- cell kinds and text


def _kind(kind: type) -> str:
    if issubclass(kind, (bool, np.bool_)):
        return "bool"
    if issubclass(kind, (str, np.str_)):
        return "str"
    if issubclass(kind, (dt.date, np.datetime64)):  # datetime and Timestamp are dates too
        return "date"
    if issubclass(kind, numbers.Number):
        return "num"
    return "other"  # time of day, durations, errors


def _kinds(s: pd.Series) -> pd.Series:
    """The kind of every cell: str, num, date, bool, other; NaN for missing."""
    types = s.map(type, na_action="ignore")
    return types.map({t: _kind(t) for t in types.dropna().unique()})


def _as_text(s: pd.Series) -> pd.Series:
    """Every cell as stripped text (NaN when empty): what a person sees."""
    kinds = _kinds(s)
    out = pd.Series(np.nan, index=s.index, dtype=object)
    strs = kinds.eq("str")
    if strs.any():
        out[strs] = s[strs].astype(str).str.strip()
    nums = kinds.eq("num")
    if nums.any():
        values = pd.to_numeric(s[nums], errors="coerce").astype("float64")
        whole = np.isfinite(values) & (values % 1 == 0) & (values.abs() < 1e15)
        out[nums] = values.astype(str).where(~whole, values.where(whole, 0).astype("int64").astype(str))
    dates = kinds.eq("date")
    if dates.any():
        stamps = pd.to_datetime(s[dates], errors="coerce")
        out[dates] = stamps.dt.strftime("%Y-%m-%d").where(stamps == stamps.dt.normalize(), stamps.astype(str))
    other = kinds.isin(["bool", "other"])
    if other.any():
        out[other] = s[other].map(_other_text)
    return out.where(out.ne(""), np.nan)


def _other_text(value) -> str:
    """A boolean as TRUE/FALSE, a time of day as typed ("09:30"), anything else as Python writes it."""
    if isinstance(value, (bool, np.bool_)):
        return str(value).upper()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value)


# ---------------------------------------------------------------- one column


def _coerce_column(raw: pd.Series, text: pd.Series, col: Column, dayfirst: bool) -> tuple[pd.Series, pd.Series]:
    """Typed values and a reason (or NaN) per cell."""
    if col.type in ("int", "number", "money", "percent"):
        values, reason = _numbers(raw, text, col)
    elif col.type in ("date", "month"):
        values, reason = _dates(raw, text, col, dayfirst)
    elif col.type == "bool":
        values, reason = _booleans(text)
    else:
        values, reason = _texts(text, col)
    missing = text.isna()
    if col.required:
        reason = reason.mask(missing & reason.isna(), tr("required value is missing"))
    return values, reason


def _texts(text: pd.Series, col: Column) -> tuple[pd.Series, pd.Series]:
    values = as_text(text)
    reason = pd.Series(np.nan, index=text.index, dtype=object)
    control = values.str.extract(f"({_CONTROL})", expand=False)
    if control.notna().any():
        reason[control.notna()] = [
            tr("{v!r} contains a control character (U+{code})").format(v=v, code=f"{ord(c):04X}")
            for v, c in zip(text[control.notna()], control.dropna())
        ]
        values = values.where(control.isna())
    if col.phrases:  # the product's own texts, shown in either language -> their codes
        codes = {v: phrase_code(v, col.phrases) for v in values.dropna().unique()}
        values = as_text(values.map(codes))
    if col.allowed:
        canon = code_of(col.allowed)  # a label in any language -> its code
        values = as_text(values.str.casefold().map(canon))
        _explain(
            reason,
            text.notna() & values.isna() & reason.isna(),
            text,
            tr("{v!r} is not one of {choices}"),
            choices=", ".join(tr(a) for a in col.allowed),
        )
    return values, reason


def _numbers(raw: pd.Series, text: pd.Series, col: Column) -> tuple[pd.Series, pd.Series]:
    kinds = _kinds(raw)
    values = pd.Series(np.nan, index=raw.index, dtype="float64")
    nums = kinds.eq("num")
    if nums.any():
        values[nums] = pd.to_numeric(raw[nums], errors="coerce").astype("float64")
    strs = kinds.eq("str") & text.notna()
    if strs.any():
        values[strs] = _parse_number_text(text[strs])
    reason = pd.Series(np.nan, index=raw.index, dtype=object)
    _explain(reason, text.notna() & values.isna(), text, tr("{v!r} is not a number"))
    too_large = tr("{v!r} is too large (the limit is {limit})")
    _explain(reason, ~(values.abs() <= MAX_ABS) & values.notna(), text, too_large, limit=f"{MAX_ABS:,.0f}")
    ok = values.notna() & reason.isna()
    if col.type == "int":
        _explain(reason, ok & (values % 1 != 0), text, tr("{v!r} is not a whole number"))
    if col.min is not None:
        rule = tr("{header} must not be negative") if col.min == 0 else tr("{header} must be at least {min}")
        _explain(reason, ok & reason.isna() & (values < col.min), text, rule, header=col.header, min=f"{col.min:g}")
    if col.max is not None:
        above = tr("{header} must be at most {max}")
        _explain(reason, ok & reason.isna() & (values > col.max), text, above, header=col.header, max=f"{col.max:g}")
    values = values.where(reason.isna())
    return (values.round().astype("Int64") if col.type == "int" else values), reason


def number_from_text(text: str) -> float | None:
    """One number written as text, by the rules of number cells; None when it is not one.

    >>> number_from_text("$50,000"), number_from_text("15%"), number_from_text("5,0000")
    (50000.0, 0.15, None)
    """
    value = _parse_number_text(pd.Series([str(text).strip()], dtype=object))[0]
    return None if pd.isna(value) else float(value)


def _parse_number_text(text: pd.Series) -> pd.Series:
    """Numbers written as text: separators, currency, (negatives), percentages."""
    t = text.str.replace(_CURRENCY, "", regex=True).str.replace(r"[\s\u00a0\u202f_']", "", regex=True)
    t = t.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
    percent = t.str.endswith("%")
    t = t.str.removesuffix("%")
    grouped = t.str.contains(",", regex=False)
    t = t.where(~grouped | t.str.match(_THOUSANDS), "not a number").str.replace(",", "", regex=False)
    values = pd.to_numeric(t, errors="coerce").astype("float64")
    return values.where(~percent, values / 100)


def _dates(raw: pd.Series, text: pd.Series, col: Column, dayfirst: bool) -> tuple[pd.Series, pd.Series]:
    kinds = _kinds(raw)
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    dates = kinds.eq("date")
    if dates.any():
        values[dates] = pd.to_datetime(raw[dates], errors="coerce")
    nums = kinds.eq("num")
    if nums.any():
        values[nums] = _from_serial(pd.to_numeric(raw[nums], errors="coerce"))
    strs = kinds.eq("str") & text.notna()
    if strs.any():
        values[strs] = _parse_date_text(text[strs], dayfirst, month=col.type == "month")
    values = values.dt.normalize()
    if col.type == "month":
        values = values - pd.to_timedelta(values.dt.day - 1, unit="D")
    reason = pd.Series(np.nan, index=raw.index, dtype=object)
    _explain(reason, text.notna() & values.isna(), text, tr("{v!r} is not a date"))
    odd = values.notna() & ~values.dt.year.between(*YEARS)
    _explain(
        reason, odd, text, tr("{v!r} is not a plausible date (years {first}-{last})"), first=YEARS[0], last=YEARS[1]
    )
    return values.where(reason.isna()), reason


def _from_serial(serials: pd.Series) -> pd.Series:
    """Excel serial day numbers (1900 date system) as timestamps; NaT when impossible."""
    ok = serials.between(1, 2958465)  # 1900-01-01 .. 9999-12-31
    days = pd.to_timedelta(serials.where(ok).astype("float64").round(6), unit="D")
    return (EXCEL_EPOCH + days).astype("datetime64[ns]")


def _parse_date_text(text: pd.Series, dayfirst: bool, month: bool) -> pd.Series:
    """Dates written as text, by the patterns in the module docstring."""
    t = text.str.replace(r"\s+", " ", regex=True)
    parts = pd.DataFrame(np.nan, index=t.index, columns=["year", "month", "day"], dtype="float64")
    patterns = _DATE_PATTERNS + (_MONTH_PATTERNS if month else ())
    for regex, names in patterns:
        todo = parts["year"].isna()
        if not todo.any():
            break
        found = t[todo].str.extract(regex)
        found.columns = list(names)
        found = found.dropna(subset=[n for n in names if n not in _CLOCK])
        if "hour" in names:
            found = found[_possible_time(found)]
        if found.empty:
            continue
        if "month_name" in names:
            found["month"] = found["month_name"].str.lower().map(_MONTHS)
        if "first" in names:
            first, second = ("first", "second") if not dayfirst else ("second", "first")
            found["month"], found["day"] = found[first], found[second]
        found = found.reindex(columns=["year", "month", "day"]).apply(pd.to_numeric, errors="coerce")
        parts.loc[found.index] = found.fillna({"day": 1}).to_numpy(dtype="float64")
    stamps = pd.to_datetime(parts.dropna(), errors="coerce") if parts.notna().all(axis=1).any() else None
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    if stamps is not None:
        out[stamps.index] = stamps
    serial = out.isna() & t.str.fullmatch(r"\d{1,5}(\.\d+)?")
    if serial.any():
        out[serial] = _from_serial(pd.to_numeric(t[serial]))
    return out


def _possible_time(found: pd.DataFrame) -> pd.Series:
    """True where the time of day found beside a date exists (no time at all is fine): 0-23 h, or 1-12 with am/pm."""
    hour, minute, sec = (pd.to_numeric(found[c]) for c in ("hour", "minute", "sec"))
    top = found["ampm"].isna().map({True: 23, False: 12})
    low = found["ampm"].isna().map({True: 0, False: 1})
    ok = hour.between(low, top) & minute.le(59) & (sec.isna() | sec.le(59))
    return ok | hour.isna()


def _booleans(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    words = {
        "true": True,
        "yes": True,
        "y": True,
        "1": True,
        "x": True,
        "false": False,
        "no": False,
        "n": False,
        "0": False,
    }
    values = text.str.lower().map(words).astype("boolean")
    reason = pd.Series(np.nan, index=text.index, dtype=object)
    _explain(reason, text.notna() & values.isna(), text, tr("{v!r} is not yes or no"))
    return values, reason


def _explain(reason: pd.Series, mask: pd.Series, text: pd.Series, template: str, **fields) -> None:
    """Write `template` (with {v!r} = the cell's text, and `fields`) into `reason` where `mask` holds."""
    if mask.any():
        reason[mask] = text[mask].map(lambda v: template.format(v=v, **fields))


# ---------------------------------------------------------------- problems


def _escaped(match) -> str:
    """A control character as Python writes it: \\x07."""
    return match[0].encode("unicode_escape").decode()


def _problems(reasons: pd.DataFrame, texts: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Long format: one row per failing cell, in sheet order."""
    if not reasons.notna().any().any():
        return pd.DataFrame(
            {"row": pd.Series(dtype="int64"), **{c: pd.Series(dtype="str") for c in PROBLEM_COLUMNS[1:]}}
        )
    headers = {c.name: c.header for c in table.columns}
    long = reasons.stack().dropna().rename("reason").reset_index()
    long.columns = ["row", "name", "reason"]
    values = texts.stack()
    value = values.reindex(pd.MultiIndex.from_frame(long[["row", "name"]])).fillna("").astype(str)
    long["value"] = value.str.replace(_CONTROL, _escaped, regex=True).to_numpy()  # shown, and storable
    long["column"] = long["name"].map(headers)
    order = {name: i for i, name in enumerate(table.names)}
    long = long.assign(_pos=long["name"].map(order)).sort_values(["row", "_pos"], kind="stable")
    out = long[PROBLEM_COLUMNS].reset_index(drop=True)
    return out.astype({"row": "int64", "column": "str", "value": "str", "reason": "str"})
