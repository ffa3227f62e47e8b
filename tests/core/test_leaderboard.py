import pandas as pd

from sales_tools.core.leaderboard import BEST_ATTAINMENT, CHAMPION, leaderboard

REPS = pd.DataFrame(
    {"rep_id": ["R1", "R2", "R3", "R4"], "name": ["Ann", "Bo", "Cy", "Di"], "region": ["N", "N", "S", "S"]}
)


def month(m, y=2024):
    return pd.Timestamp(y, m, 1)


def test_ranks_by_year_sales_and_names_the_champion():
    att = pd.DataFrame(
        {
            "rep_id": ["R1", "R1", "R2", "R3", "R3", "R4"],
            "period": [month(1), month(2), month(1), month(1), month(1, 2023), month(2)],
            "target": [100.0, 100.0, 50.0, 300.0, 1.0, 0.0],
            "actual": [120.0, 30.0, 150.0, 150.0, 999.0, 10.0],
        }
    )
    summary = pd.DataFrame({"rep_id": ["R1", "R2"], "period": [month(1), month(1)], "total": [12.5, 7.25]})
    board = leaderboard(att, summary, REPS, 2024)
    # 2024 sales: R1 150, R2 150, R3 150 (2023's 999 excluded), R4 10: a three-way tie for first.
    assert board["rep_id"].tolist() == ["R1", "R2", "R3", "R4"]
    assert board["rank"].tolist() == [1, 1, 1, 4]
    assert board["badge"].tolist() == [CHAMPION, CHAMPION, CHAMPION, ""]
    assert board["commission"].tolist() == [12.5, 7.25, 0.0, 0.0]
    # R1 150/200, R2 150/50, R3 150/300; R4 has a zero target: attainment blank, never inf.
    assert board["attainment"].iloc[:3].tolist() == [0.75, 3.0, 0.5]
    assert pd.isna(board["attainment"].iloc[3])


def test_best_attainment_badge_goes_to_a_rep_other_than_the_champion():
    att = pd.DataFrame(
        {"rep_id": ["R1", "R2"], "period": [month(3), month(3)], "target": [1000.0, 100.0], "actual": [500.0, 200.0]}
    )
    board = leaderboard(att, att.assign(total=0.0), REPS, 2024)
    assert board[["rep_id", "badge"]].values.tolist() == [["R1", CHAMPION], ["R2", BEST_ATTAINMENT]]


def test_on_time_rate_over_the_year_leaves_untimed_reports_out():
    att = pd.DataFrame(
        {"rep_id": ["R1", "R2"], "period": [month(3), month(3)], "target": [100.0, 100.0], "actual": [50.0, 60.0]}
    )
    kpis = pd.DataFrame(
        {
            "rep_id": ["R1", "R1", "R1", "R2"],
            "period": [month(2), month(3), month(12, 2023), month(3)],
            "reports_due": [20, 22, 21, 22],
            "reports_filed": [20, 20, 21, 22],
            "reports_on_time": [15, 18, 0, 10],
            "reports_late": [5, 1, 21, 0],
        }
    )
    board = leaderboard(att, att.assign(total=0.0), REPS, 2024, kpis).set_index("rep_id")
    # R1 2024: on time 15 + 18 = 33; timed due = 20 + (22 - 1 untimed: 20 filed - 18 - 1) = 41 (2023 left out)
    assert board.loc["R1", "on_time_rate"] == 33 / 41
    # R2: 12 of its 22 filed reports are untimed (typed in the master): 10 on time of 22 - 12 = 10 timed
    assert board.loc["R2", "on_time_rate"] == 1.0
