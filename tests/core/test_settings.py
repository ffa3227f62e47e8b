"""The default dates every command and macro takes from the Settings sheet (core.settings)."""

import datetime as dt

import pandas as pd
import pytest

from sales_tools.core.settings import (
    BOUNDS,
    dayfirst,
    default_date,
    default_month,
    figures_as_of,
    read_settings,
    tier_scale,
)
from sales_tools.errors import InputError
from sales_tools.schema import SETTINGS
from sales_tools.schema.language import CHINESE, use


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


def read(**values) -> dict:
    return read_settings(pd.DataFrame({"setting": list(values), "value": list(values.values())}))


def test_every_number_setting_has_bounds():
    numeric = {name for name, (default, _) in SETTINGS.items() if isinstance(default, (int, float))}
    numeric |= {"payment_terms_days"}  # a number whose default is blank (no payment terms)
    assert numeric == set(BOUNDS) == {"rfm_bins", "abc_a", "abc_b", "new_days", "dormant_days", "payout_day",
                                      "payment_terms_days", "daily_report_due_days", "visit_plan_due_days",
                                      "complaint_escalation_days", "satisfaction_target"}  # fmt: skip


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("rfm_bins", 10_000_000, "rfm_bins must be a whole number from 2 to 100, not 10000000"),
        ("rfm_bins", "1e9", "rfm_bins must be a whole number from 2 to 100, not '1e9'"),
        ("rfm_bins", 1, "rfm_bins must be a whole number from 2 to 100, not 1"),
        ("rfm_bins", 4.5, "rfm_bins must be a whole number from 2 to 100, not 4.5"),
        ("rfm_bins", True, "rfm_bins must be a whole number from 2 to 100, not True"),
        ("abc_a", 80, "abc_a must be a number from 0 to 1, not 80"),
        ("abc_b", "-5%", "abc_b must be a number from 0 to 1, not '-5%'"),
        ("abc_a", float("nan"), None),  # blank: the default
        ("new_days", 1e12, "new_days must be a whole number from 0 to 36,500, not 1000000000000.0"),
        ("dormant_days", -1, "dormant_days must be a whole number from 0 to 36,500, not -1"),
        ("dormant_days", "inf", "dormant_days must be a whole number from 0 to 36,500, not 'inf'"),
        ("payout_day", 0, "payout_day must be a whole number from 1 to 28, not 0"),
        ("payout_day", "29", "payout_day must be a whole number from 1 to 28, not '29'"),
        ("payment_terms_days", "30.5", "payment_terms_days must be a whole number from 0 to 3,650, not '30.5'"),
        ("payment_terms_days", -30, "payment_terms_days must be a whole number from 0 to 3,650, not -30"),
        ("as_of", "2424-01-01", "as_of must be a date such as 2024-12-20, not '2424-01-01'"),
        ("period_start", "2024-02-30", "period_start must be a date such as 2024-12-20, not '2024-02-30'"),
    ],
)
def test_a_number_or_date_setting_out_of_bounds_is_refused_naming_it(name, value, message):
    if message is None:
        assert read(**{name: value})[name] == SETTINGS[name][0]
        return
    with pytest.raises(InputError) as caught:
        read(**{name: value})
    assert str(caught.value) == "Settings: " + message


def test_number_settings_in_their_bounds_are_typed():
    conf = read(rfm_bins="4", abc_a="70%", abc_b=0.9, new_days=30.0, dormant_days="365")
    assert (conf["rfm_bins"], conf["abc_a"], conf["abc_b"], conf["new_days"], conf["dormant_days"]) == (
        4, 0.7, 0.9, 30, 365)  # fmt: skip
    assert type(conf["rfm_bins"]) is int and type(conf["new_days"]) is int
    assert read()["payout_day"] == 15 and read(payout_day="28")["payout_day"] == 28
    assert read(payment_terms_days="45")["payment_terms_days"] == 45
    assert read(payment_terms_days=" ")["payment_terms_days"] is None  # blank: aged from the order date


def test_abc_a_must_be_below_abc_b():
    with pytest.raises(InputError, match=r"^Settings: abc_a \(0.95\) must be below abc_b \(0.9\)$"):
        read(abc_a=0.95, abc_b=0.9)


@pytest.mark.parametrize(
    "floors",
    ["0;50000;100000", "0; 50,000; 100,000", "0, 50,000, 100,000", "0,50000,100000", "$0; $50,000; $100,000"],
)
def test_tier_floors_with_thousands_separators_or_commas_between(floors):
    assert tier_scale(read(tier_floors=floors, tier_labels="Bronze;Silver;Gold")) == (
        [0.0, 50_000.0, 100_000.0], ["Bronze", "Silver", "Gold"])  # fmt: skip


@pytest.mark.parametrize(
    "floors, labels, message",
    [
        ("0;5k;10k", "A;B;C", "tier_floors must be amounts separated by ;, such as 0;10000;50000, not '0;5k;10k'"),
        ("0;5000;5000", "A;B;C", "tier_floors must be amounts of 0 or more that ascend, such as 0;10000;50000, not '0;5000;5000'"),
        ("-10;0", "A;B", "tier_floors must be amounts of 0 or more that ascend, such as 0;10000;50000, not '-10;0'"),
        ("0,500,000", "A;B;C", "tier_labels must name each of the 1 tier_floors (0,500,000), separated by ;, not 'A;B;C'"),
        ("0;10", "A;", "tier_labels must name each of the 2 tier_floors (0;10), separated by ;, not 'A;'"),
    ],
)  # fmt: skip
def test_a_bad_tier_scale_is_refused_naming_the_settings(floors, labels, message):
    with pytest.raises(InputError) as caught:
        read(tier_floors=floors, tier_labels=labels)
    assert str(caught.value) == "Settings: " + message


def test_an_order_dated_after_today_is_never_the_figures_date():
    orders = pd.Series(pd.to_datetime(["2024-10-03", "2031-05-01", "2024-11-28"]))
    assert figures_as_of(settings(None), orders, today="2024-12-01") == pd.Timestamp("2024-11-28")
    assert figures_as_of(settings(None), orders, today="2024-11-28 15:00") == pd.Timestamp("2024-11-28")
    assert figures_as_of(settings(None), orders, today="2024-11-27") == pd.Timestamp("2024-10-03")
    assert figures_as_of(settings(None), orders, today="2024-01-01") == pd.Timestamp("2024-01-01")  # none yet
    assert figures_as_of(settings("2031-06-30"), orders, today="2024-12-01") == pd.Timestamp("2031-06-30")  # as set


def test_the_date_order_setting():
    assert dayfirst(None) is False and dayfirst(settings(None)) is False  # default: month first
    for text in ("day first", " Day-First ", "DAY_FIRST"):
        assert dayfirst(pd.DataFrame({"setting": ["date_order"], "value": [text]})) is True
    assert dayfirst(pd.DataFrame({"setting": ["date_order"], "value": ["Month first"]})) is False
    with pytest.raises(InputError, match=r"^Settings: date_order must be month first or day first, not 'dd/mm'$"):
        read(date_order="dd/mm")


def test_a_chinese_settings_table_reads_as_the_english_one():
    """A Chinese master's Settings rows (公司名称, 币种, ...) and text choices (月在前/日在前) read as their codes."""
    chinese = pd.DataFrame(
        {
            "setting": ["公司名称", "币种", "RFM分档数", "日期顺序", "语言", "My note"],
            "value": ["华东贸易", "CNY", "4", "日在前", "zh-CN", "kept"],
        }
    )
    read = read_settings(chinese)
    assert (read["company"], read["currency"], read["rfm_bins"], read["date_order"]) == (
        "华东贸易",
        "CNY",
        4,
        "day first",
    )
    assert read["language"] == "zh-CN" and read["my note"] == "kept"  # an unknown row kept, as in English
    english = pd.DataFrame({"setting": ["Currency", "date_order"], "value": ["EUR", "day first"]})
    assert (read_settings(english)["currency"], read_settings(english)["date_order"]) == ("EUR", "day first")
    assert dayfirst(chinese) and not dayfirst(pd.DataFrame({"setting": ["日期顺序"], "value": ["月在前"]}))
    with pytest.raises(InputError, match="^Settings: date_order must be month first or day first, not '年在前'$"):
        read_settings(pd.DataFrame({"setting": ["日期顺序"], "value": ["年在前"]}))
    with use(CHINESE), pytest.raises(InputError, match="^设置：日期顺序必须是月在前或日在前，不能是 '年在前'$"):
        read_settings(pd.DataFrame({"setting": ["日期顺序"], "value": ["年在前"]}))


def test_a_chinese_master_defaults_to_cny_and_a_chinese_company():
    blank_chinese = read_settings(pd.DataFrame({"setting": ["language"], "value": ["zh-CN"]}))
    assert (blank_chinese["currency"], blank_chinese["company"]) == ("CNY", "示例贸易有限公司")
    assert blank_chinese["date_order"] == "month first"  # the code, whatever the default's label
    blank_english = read_settings(None)
    assert (blank_english["currency"], blank_english["company"], blank_english["language"]) == (
        "USD",
        "Example Trading Co.",
        "en",
    )
    with pytest.raises(InputError, match="Settings: language 'fr' is not one of en, zh-CN"):
        read_settings(pd.DataFrame({"setting": ["语言"], "value": ["fr"]}))
