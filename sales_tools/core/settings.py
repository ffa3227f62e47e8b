"""The Settings sheet read into typed values, with the schema's defaults for blanks, and
the default dates every command and macro takes from it.

A setting's name and a text choice (date_order) are read in either language (the Chinese
labels of a Chinese master, `setting_code`); blanks take the defaults of the table's
language (`defaults`: a Chinese master's company name and CNY).

Every number setting has bounds (`BOUNDS`); a value outside them, or a tier scale whose
floors do not ascend or do not match its labels, is an InputError naming the setting,
before any figure is computed from it.
"""

from __future__ import annotations

import numbers
import re
from functools import cache

import pandas as pd

from sales_tools.core.coerce import YEARS, number_from_text
from sales_tools.core.rfm import MAX_BINS
from sales_tools.errors import InputError
from sales_tools.schema import SETTINGS, TABLES
from sales_tools.schema.language import CHINESE, ENGLISH, LANGUAGES, check, code_of, tr

DATES = ("period_start", "as_of")
DATE_ORDERS = ("month first", "day first")  # the date_order setting: how 05/12/2024 reads
LOCAL_DEFAULTS = {CHINESE: {"currency": "CNY"}}  # defaults that differ by language (besides labels)
# number settings: (lowest, highest) allowed; whole numbers where the default is one
BOUNDS = {
    "rfm_bins": (2, MAX_BINS),
    "abc_a": (0.0, 1.0),
    "abc_b": (0.0, 1.0),
    "new_days": (0, 36_500),
    "dormant_days": (0, 36_500),
    "payout_day": (1, 28),  # a day every month has
    "payment_terms_days": (0, 3_650),
    "daily_report_due_days": (0, 30),
    "visit_plan_due_days": (0, 30),
    "complaint_escalation_days": (0, 36_500),
    "satisfaction_target": (0.0, 1.0),
}


def read_settings(table: pd.DataFrame | None) -> dict[str, object]:
    """{setting: value} for every schema setting (and any extra rows), typed.

    Numbers take the type of their default; `DATES` become Timestamps; a blank takes
    the default, and a blank default is None.  When a setting is given twice the
    last non-blank row wins (a manager's row appended below the defaults).

    >>> s = read_settings(pd.DataFrame({"setting": ["rfm_bins", "as_of"], "value": ["4", "2024-12-20"]}))
    >>> s["rfm_bins"], s["as_of"], s["abc_a"], s["rep_files_folder"]
    (4, Timestamp('2024-12-20 00:00:00'), 0.8, None)

    Raises:
        InputError: a number or date setting holds something else.
    """
    given = {}
    if table is not None:
        for name, value in zip(table["setting"], table["value"], strict=True):
            if not _blank(value):
                given[setting_code(name)] = value
    language = _typed("language", given.get("language")) or ENGLISH
    out = {name: _typed(name, given.get(name, default)) for name, default in defaults(language).items()}
    if not out["abc_a"] < out["abc_b"]:
        raise InputError(
            tr("{sheet}: {a} ({a_value}) must be below {b} ({b_value})").format(
                sheet=TABLES["settings"].sheet, a=tr("abc_a"), a_value=f"{out['abc_a']:g}", b=tr("abc_b"),
                b_value=f"{out['abc_b']:g}",
            )
        )  # fmt: skip
    tier_scale(out)
    return {**{k: v for k, v in given.items() if k not in out}, **out}


def defaults(language: str = ENGLISH) -> dict[str, object]:
    """Each setting's default in a master of `language`: the schema's, with the company name
    shown in that language and its `LOCAL_DEFAULTS` (a Chinese master's currency is CNY).

    >>> defaults("zh-CN")["currency"], defaults()["currency"], defaults("zh-CN")["date_order"]
    ('CNY', 'USD', '月在前')
    """
    values = {name: default for name, (default, _) in SETTINGS.items()}
    shown = {name: tr(values[name], language) for name in ("company", "date_order", "tier_labels", "period")}
    return values | shown | {"language": language} | LOCAL_DEFAULTS.get(language, {})


def setting_code(name) -> str:
    """A Settings row's name in any language and case -> the setting (an unknown name casefolded).

    >>> setting_code(" Currency "), setting_code("币种"), setting_code("My note")
    ('currency', 'currency', 'my note')
    """
    key = str(name).strip().casefold()
    return _setting_codes().get(key, key)


@cache
def _setting_codes() -> dict[str, str]:
    return code_of(tuple(SETTINGS))


def tier_scale(conf: dict) -> tuple[list[float], list[str]]:
    """The customer tiers' floors and labels of read settings: ``tier_floors`` and ``tier_labels``.

    The floors are separated by ``;`` (or by a comma and a space); each may carry thousands
    separators, so ``0; 50,000; 100,000`` and ``0, 50,000, 100,000`` are both three floors.
    A comma between digits that does not group thousands separates too (``0,5000,10000``).

    >>> tier_scale({"tier_floors": "0, 50,000, 100,000", "tier_labels": "Bronze; Silver; Gold"})
    ([0.0, 50000.0, 100000.0], ['Bronze', 'Silver', 'Gold'])

    Raises:
        InputError: a floor is not an amount, the floors do not ascend from 0 or more, or
            there is not one label per floor.
    """
    text, labels = str(conf["tier_floors"]), [s.strip() for s in str(conf["tier_labels"]).split(";")]
    floors = [_floor(item, text) for item in re.split(r"\s*;\s*|,\s+", text.strip()) if item]
    floors = [f for group in floors for f in group]
    if not floors or min(floors) < 0 or any(b <= a for a, b in zip(floors, floors[1:])):
        raise InputError(
            tr(
                "{sheet}: {setting} must be amounts of 0 or more that ascend, such as 0;10000;50000, not {value}"
            ).format(sheet=TABLES["settings"].sheet, setting=tr("tier_floors"), value=repr(text))
        )
    if len(labels) != len(floors) or not all(labels):
        raise InputError(
            tr("{sheet}: {setting} must name each of the {count} {floors} ({text}), separated by ;, not {value}").format(
                sheet=TABLES["settings"].sheet, setting=tr("tier_labels"), count=len(floors), floors=tr("tier_floors"),
                text=text, value=repr(conf["tier_labels"]),
            )
        )  # fmt: skip
    return floors, labels


def dayfirst(settings: pd.DataFrame | None) -> bool:
    """Whether imports read year-last dates day first (05/12/2024 = 5 December): the
    Settings ``date_order`` (default month first).

    >>> dayfirst(pd.DataFrame({"setting": ["date_order"], "value": ["Day-first"]}))
    True
    """
    return read_settings(settings)["date_order"] == "day first"


def default_date(settings: pd.DataFrame | None) -> pd.Timestamp:
    """The day the commands and macros work for when none is given: the Settings
    ``as_of`` date, else today (the weekly report's week, the month below)."""
    as_of = read_settings(settings)["as_of"]
    return pd.Timestamp.today().normalize() if as_of is None else as_of


def default_month(settings: pd.DataFrame | None) -> str:
    """The month of `default_date`, e.g. "2024-12": the rep templates' and the statements' default period.

    >>> default_month(pd.DataFrame({"setting": ["as_of"], "value": ["2024-12-20"]}))
    '2024-12'
    """
    return f"{default_date(settings):%Y-%m}"


def figures_as_of(settings: pd.DataFrame | None, order_dates: pd.Series, as_of=None, today=None) -> pd.Timestamp:
    """A refresh's date of the figures: `as_of`, else the Settings ``as_of`` date, else the
    latest order date not after `today` (default: the clock's today), else today.

    An order dated after today (a mistyped 2031 among 2024 orders) never becomes the
    figures date: the refresh lists such orders on Exceptions instead (`core.refresh`).

    >>> dates = pd.Series(pd.to_datetime(["2024-03-05", "2031-05-01"]))
    >>> figures_as_of(None, dates, today="2024-06-30")
    Timestamp('2024-03-05 00:00:00')
    """
    today = _today(today)
    past = order_dates[order_dates.notna() & (order_dates <= today)]
    given = (as_of, read_settings(settings)["as_of"], past.max() if len(past) else None, today)
    return pd.Timestamp(next(d for d in given if d is not None and not pd.isna(d))).normalize()


def _today(today=None) -> pd.Timestamp:
    """`today` as a date, or the clock's."""
    return pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today).normalize()


def _typed(name: str, value):
    if _blank(value):
        return None
    if name in BOUNDS:
        return _number(name, value)
    if name == "date_order":
        return _date_order(value)
    if name == "language":
        try:
            return check(value)
        except ValueError:
            message = tr("{sheet}: {setting} {value!r} is not one of {choices}")
            raise InputError(
                message.format(
                    sheet=TABLES["settings"].sheet, setting=tr("language"), value=value, choices=", ".join(LANGUAGES)
                )
            ) from None
    if name == "holidays":
        return _holidays(value)
    if name not in DATES:
        return value
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp) or not YEARS[0] <= stamp.year <= YEARS[1]:  # "NaT", "nan": text pandas reads as no date
        raise InputError(
            tr("{sheet}: {setting} must be a date such as 2024-12-20, not {value}").format(
                sheet=TABLES["settings"].sheet, setting=tr(name), value=repr(value)
            )
        )
    return stamp.normalize()


def _date_order(value) -> str:
    order = code_of(DATE_ORDERS).get(re.sub(r"[\s_-]+", " ", str(value).strip().casefold()))
    if order is None:
        first, second = (tr(d) for d in DATE_ORDERS)
        message = tr("Settings: {setting} must be {first} or {second}, not {value}")
        raise InputError(message.format(setting=tr("date_order"), first=first, second=second, value=repr(value)))
    return order


def _holidays(value) -> list[pd.Timestamp]:
    """The holidays setting: dates separated by ; (one date typed as a date cell too)."""
    items = [value] if not isinstance(value, str) else [v for v in re.split(r"\s*;\s*", value.strip()) if v]
    try:
        days = [pd.Timestamp(v).normalize() for v in items]
    except (TypeError, ValueError):
        days = [pd.NaT]
    if any(pd.isna(d) or not YEARS[0] <= d.year <= YEARS[1] for d in days):
        raise InputError(
            tr("{sheet}: {setting} must be dates separated by ;, such as 2024-12-25;2024-12-26, not {value}").format(
                sheet=TABLES["settings"].sheet, setting=tr("holidays"), value=repr(value)
            )
        )
    return days


def _floor(item: str, text: str) -> list[float]:
    """One floor of tier_floors, or several when commas that group no thousands separate them."""
    parts = [item] if number_from_text(item) is not None else item.split(",")
    found = [number_from_text(p) for p in parts]
    if None in found:
        raise InputError(
            tr("{sheet}: {setting} must be amounts separated by ;, such as 0;10000;50000, not {value}").format(
                sheet=TABLES["settings"].sheet, setting=tr("tier_floors"), value=repr(text)
            )
        )
    return found


def _number(name: str, value) -> int | float:
    """A number setting within its `BOUNDS` (text such as "80%" too)."""
    low, high = BOUNDS[name]
    whole = isinstance(low, int)
    if isinstance(value, bool):
        number = None
    elif isinstance(value, numbers.Real):
        number = float(value)
    else:
        number = number_from_text(str(value))
    if number is None or not low <= number <= high or (whole and not number.is_integer()):
        kind = tr("{sheet}: {setting} must be a whole number from {low} to {high}, not {value}")
        if not whole:
            kind = tr("{sheet}: {setting} must be a number from {low} to {high}, not {value}")
        raise InputError(
            kind.format(
                sheet=TABLES["settings"].sheet, setting=tr(name), low=f"{low:,g}", high=f"{high:,g}", value=repr(value)
            )
        )
    return int(number) if whole else number


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and pd.isna(value))
        or (isinstance(value, str) and not value.strip())
        or value is pd.NaT
    )
