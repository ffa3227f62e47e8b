"""The default dates every command and macro takes from the Settings sheet (core.settings)."""

import datetime as dt

import pandas as pd

from sales_tools.core.settings import default_date, default_month, figures_as_of


def settings(as_of) -> pd.DataFrame:
    return pd.DataFrame({"setting": ["company", "as_of"], "value": ["Acme", as_of]})


ORDERS = pd.Series(pd.to_datetime(["2024-10-03", "2024-11-28"]))


def test_the_settings_date_is_the_default_day_and_month():
    assert default_date(settings("2024-12-20")) == pd.Timestamp("2024-12-20")
    assert default_month(settings("2024-12-20")) == "2024-12"
    assert default_month(settings(dt.datetime(2024, 2, 29, 15, 30))) == "2024-02"  # an Excel date cell


def test_without_a_settings_date_the_default_is_today():
    today = dt.date.today()
    for blank in (settings(None), settings(" "), None):
        assert default_date(blank) == pd.Timestamp(today)
        assert default_month(blank) == f"{today:%Y-%m}"


def test_a_refresh_date_is_the_argument_then_the_settings_date_then_the_latest_order():
    assert figures_as_of(settings("2024-12-20"), ORDERS, "2024-06-30 10:00") == pd.Timestamp("2024-06-30")
    assert figures_as_of(settings("2024-12-20"), ORDERS) == pd.Timestamp("2024-12-20")
    assert figures_as_of(settings(None), ORDERS) == pd.Timestamp("2024-11-28")
