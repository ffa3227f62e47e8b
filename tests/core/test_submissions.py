import hashlib

import pandas as pd

from sales_tools.core.submissions import earlier_rows, imported_files, is_current, sealed, template_id


def test_the_id_is_a_checksum_of_rep_and_period():
    text = "sales_tools template\x1fR01\x1f2024-06-01\x1f2024-06-30"
    assert (
        template_id("R01", "2024-06-01", "2024-06-30")
        == "ST1-" + hashlib.sha256(text.encode()).hexdigest()[:12].upper()
    )


def test_another_rep_or_period_has_another_id():
    ids = {
        template_id(r, s, e)
        for r, s, e in [
            ("R01", "2024-06-01", "2024-06-30"),
            ("R02", "2024-06-01", "2024-06-30"),
            ("R01", "2024-07-01", "2024-07-31"),
            ("R01", "2024-06-01", "2024-06-29"),
        ]
    }
    assert len(ids) == 4


def test_a_printed_id_seals_its_rep_and_period_and_a_blank_one_seals_nothing():
    issued = template_id("R01", "2024-06-01", "2024-06-30")
    assert sealed(issued, "R01", "2024-06-01", "2024-06-30")
    assert sealed(f"  {issued.lower()} ", "R01", "2024-06-01", "2024-06-30")  # as typed or re-saved
    assert not sealed(issued, "R02", "2024-06-01", "2024-06-30")
    assert not sealed(issued, "R01", "2024-06-01", "2024-07-31")
    assert all(sealed(blank, "R02", "2024-06-01", "2024-06-30") for blank in (None, "", " ", float("nan")))


LOG = pd.DataFrame(
    {
        "file": ["a.xlsx", "b.xlsx", "c.xlsx", "a.xlsx", "d.xlsx", "e.xlsx"],
        "sha256": ["s1", "s2", "s3", "s4", "s5", "s6"],
        "template_id": ["K1", "K1", "K1", "K2", "K1", None],
        "status": ["imported", "partial", "rejected", "imported", "replaced", "imported"],
    }
)


def test_the_files_of_a_submission_are_those_whose_rows_were_imported():
    assert imported_files(LOG, "K1") == {"a.xlsx", "b.xlsx"}
    assert imported_files(LOG, "K2") == {"a.xlsx"}
    assert imported_files(LOG, "K3") == set()


def test_the_current_file_is_the_latest_tried_when_its_rows_are_in():
    assert not is_current(LOG, "K1", "s2")  # c.xlsx was tried after it (all its rows rejected)
    assert not is_current(LOG, "K1", "s3")  # tried last, but nothing of it is in the master
    assert not is_current(LOG, "K1", "s5")  # replaced in its import: never read
    assert is_current(LOG.iloc[:2], "K1", "s2")
    assert is_current(LOG, "K2", "s4") and not is_current(LOG, "K2", "s1")


def test_earlier_rows_are_the_reps_rows_from_those_files_within_the_period():
    rows = pd.DataFrame(
        {
            "rep_id": ["R01", "R01", "R01", "R02", "R01", None],
            "source": ["a.xlsx", "a.xlsx", "b.xlsx", "a.xlsx", "a.xlsx", "a.xlsx"],
            "order_date": pd.to_datetime(
                ["2024-06-01", "2024-07-01", "2024-06-15", "2024-06-15", "2024-06-30", "2024-06-02"]
            ),
        },
        index=[2, 3, 4, 5, 6, 7],
    )
    june = (pd.Timestamp("2024-06-01"), pd.Timestamp("2024-06-30"))
    assert earlier_rows(rows, "order_date", "R01", june, {"a.xlsx"}).tolist() == [2, 6]
    assert earlier_rows(rows, "order_date", "R01", june, {"a.xlsx", "b.xlsx"}).tolist() == [2, 4, 6]
    assert earlier_rows(rows, "order_date", "R01", june, set()).tolist() == []
