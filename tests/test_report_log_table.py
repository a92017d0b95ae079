"""journal/report/log_table.py: the entry log's cells fit their columns."""

from reportlab.pdfbase import pdfmetrics

from journal.report.log_table import wrap_text
from journal.report.styles import FONT


def test_wrap_text_keeps_every_line_inside_the_column():
    text = "Twitching after coffee " * 5 + "https://example.org/" + "a" * 80
    lines = wrap_text(text, 100).split("\n")
    assert len(lines) > 3
    for line in lines:
        assert pdfmetrics.stringWidth(line, FONT, 8.5) <= 100
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_text_gives_a_short_cell_as_the_word_split_would():
    # Text that fits is returned whole only when the split into words would not change
    # it: runs of spaces fold into one, the person's line breaks stay.
    assert wrap_text("Calf 5 (4 left, 1 right)", 200) == "Calf 5 (4 left, 1 right)"
    assert wrap_text("after  coffee ", 200) == "after coffee"
    assert wrap_text("after\ncoffee", 200) == "after\ncoffee"
    assert wrap_text("Calf 5 (4 left, 1 right)", 40) == "Calf 5 (4\nleft, 1\nright)"
