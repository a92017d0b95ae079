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
