"""The whole refresh on the seeded sample and on a small book checked by hand."""

import pandas as pd
import pytest

from sales_tools.core.money import round_cents
from sales_tools.core.refresh import COMPUTED, REFRESH_FILE, left_out_message, refresh
from sales_tools.core.settings import read_settings
from sales_tools.errors import InputError
from sales_tools.sample import generate
from sales_tools.schema import TABLES


@pytest.fixture(scope="module")
def sample():
    inputs = generate(seed=7)
    return inputs, refresh(inputs)


def test_every_computed_table_has_its_schema_columns(sample):
    _, computed = sample
    assert set(computed) == set(COMPUTED)
    for name, frame in computed.items():
        assert frame.columns.tolist() == TABLES[name].names, name


def test_the_default_as_of_is_the_last_order_even_at_year_end(sample):
    inputs, computed = sample
    last = inputs["orders"]["order_date"].max()
    assert last.month == 12 and last.day >= 29  # its ISO week runs into next year
    assert computed["weekly_report"]["week"].iloc[0] == "2025-W01"
    assert computed["attainment"]["period"].max() == last.replace(day=1)


def test_summary_totals_are_the_sum_of_their_rounded_lines(sample):
    _, computed = sample
    lines, summary = computed["commission_lines"], computed["commission_summary"]
    by_month = lines.groupby(["rep_id", "period"])["amount"].sum().round(2)
    assert (round_cents(lines["amount"]) == lines["amount"]).all()
    joined = summary.set_index(["rep_id", "period"])["total"]
    assert (joined - by_month.reindex(joined.index)).abs().max() < 0.005


def test_attainment_actuals_are_every_reps_booked_sales(sample):
    inputs, computed = sample
    orders, splits = inputs["orders"], inputs["splits"]
    # Independently: every order line to its rep, except split orders, shared by share.
    split = orders["order_id"].isin(splits["order_id"])
    orders = orders.assign(margin=orders["amount"] - orders["quantity"] * orders["unit_cost"])
    own = orders.loc[~split, ["rep_id", "order_date", "amount", "margin"]]
    shared = orders.loc[split, ["order_id", "order_date", "amount", "margin"]].merge(splits, on="order_id")
    shared[["amount", "margin"]] = shared[["amount", "margin"]].mul(shared["share"], axis=0)
    both = pd.concat([own, shared[["rep_id", "order_date", "amount", "margin"]]])
    expected = both.groupby(["rep_id", both["order_date"].dt.to_period("M").dt.start_time])[["amount", "margin"]].sum()
    table = computed["attainment"]
    att = table[table["measure"] == "revenue"].set_index(["rep_id", "period"])["actual"]
    assert (att - round_cents(expected["amount"].reindex(att.index).fillna(0.0))).abs().max() < 0.005
    # Each rep-month is rounded to cents: the grand total is within half a cent a row.
    assert abs(att.sum() - orders["amount"].sum()) <= 0.005 * len(att)
    # The sample's margin targets cover every rep and month: the margin rows are the credited margin.
    margin = table[table["measure"] == "margin"].set_index(["rep_id", "period"])["actual"]
    assert margin.index.equals(att.index)
    assert (margin - round_cents(expected["margin"].reindex(margin.index).fillna(0.0))).abs().max() < 0.005


def test_every_customer_has_one_tier_row(sample):
    inputs, computed = sample
    tiers = computed["customer_tiers"]
    assert sorted(tiers["customer_id"]) == sorted(inputs["customers"]["customer_id"])
    assert tiers["segment"].notna().all() and tiers["abc"].isin(["A", "B", "C"]).all()


def test_import_exceptions_survive_and_refresh_ones_are_replaced():
    inputs = generate(seed=7)
    inputs["reps"] = inputs["reps"].assign(plan=inputs["reps"]["plan"].where(inputs["reps"]["rep_id"] != "R01"))
    inputs["exceptions"] = pd.DataFrame(
        {
            "file": ["r05.xlsx", REFRESH_FILE],
            "sheet": ["Orders", "Reps"],
            "row": [7, None],
            "column": ["Amount", "plan"],
            "value": ["x", "R09"],
            "reason": ["'x' is not a number", "stale"],
        }
    )
    exceptions = refresh(inputs, as_of="2024-06-30")["exceptions"]
    assert exceptions["file"].tolist() == ["r05.xlsx", REFRESH_FILE]
    assert exceptions["row"].tolist()[0] == 7
    assert exceptions["reason"].iloc[1].startswith("rep R01 has no commission plan")


def test_settings_are_typed_and_defaulted():
    conf = read_settings(
        pd.DataFrame({"setting": ["rfm_bins", "abc_a", "as_of", "As_of"], "value": ["4", None, "2024-01-02", " "]})
    )
    assert conf["rfm_bins"] == 4 and conf["abc_a"] == 0.8 and conf["currency"] == "USD"
    assert conf["as_of"] == pd.Timestamp("2024-01-02")  # the blank row below does not undo it
    with pytest.raises(InputError, match="rfm_bins must be a whole number from 2 to 100, not 'many'"):
        read_settings(pd.DataFrame({"setting": ["rfm_bins"], "value": ["many"]}))
    for text in ("soon", "NaT", "nan"):  # "NaT" and "nan" are not a silent "no date"
        with pytest.raises(InputError, match="as_of must be a date"):
            read_settings(pd.DataFrame({"setting": ["as_of"], "value": [text]}))


def test_a_blank_settings_date_is_the_latest_order_date():
    # pandas 2.x read the blank as the text "nan" and the refresh crashed
    inputs = generate(seed=3, start="2024-11-01", months=2)
    settings = inputs["settings"].copy()
    settings.loc[settings["setting"] == "as_of", "value"] = None
    computed = refresh({**inputs, "settings": settings})
    last = inputs["orders"]["order_date"].max()
    assert computed["weekly_report"]["week"].iloc[0] == f"{last.isocalendar().year}-W{last.isocalendar().week:02d}"


def test_the_settings_date_is_the_default_as_of():
    inputs = generate(seed=7)
    settings = inputs["settings"].copy()
    settings.loc[settings["setting"] == "as_of", "value"] = "2024-06-12"
    computed = refresh({**inputs, "settings": settings})
    assert computed["weekly_report"]["week"].iloc[0] == "2024-W24"
    assert computed["attainment"]["period"].max() == pd.Timestamp("2024-06-01")


def test_an_order_dated_after_today_is_listed_and_never_the_figures_date():
    inputs = generate(seed=3, start="2024-11-01", months=2)
    settings = inputs["settings"].copy()
    settings.loc[settings["setting"] == "as_of", "value"] = None
    orders = inputs["orders"]
    last = orders["order_date"].max()
    typo = orders.iloc[[0]].assign(order_id="TYPO-1", order_date=pd.Timestamp("2031-05-01"))
    inputs = {**inputs, "settings": settings, "orders": pd.concat([orders, typo], ignore_index=True)}
    computed = refresh(inputs, today="2025-01-15")
    week = last.isocalendar()
    assert computed["weekly_report"]["week"].iloc[0] == f"{week.year}-W{week.week:02d}"  # not 2031-W18
    listed = computed["exceptions"][computed["exceptions"]["column"] == "order_date"]
    assert listed[["file", "sheet", "value", "reason"]].values.tolist() == [
        [REFRESH_FILE, "Orders", "2031-05-01",
         f"order TYPO-1 line {typo['line'].iloc[0]} is dated 2031-05-01, after today (2025-01-15); "
         f"the figures are as of {last:%Y-%m-%d}: is the date mistyped?"]]  # fmt: skip
    assert "Dated after today: 1 order line(s)." in left_out_message(computed["exceptions"]).splitlines()
    # on the day the order is dated it is no longer in the future, and it is the figures date
    later = refresh(inputs, today="2031-05-01")
    assert later["weekly_report"]["week"].iloc[0] == "2031-W18"
    assert not (later["exceptions"]["column"] == "order_date").any()
