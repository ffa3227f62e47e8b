import hashlib

from sales_tools.core.submissions import template_id


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
