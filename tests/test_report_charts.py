"""journal/report/charts/: the gridlines every chart of the PDF shares, and the marks the
daily chart draws."""

from datetime import date, timedelta

import pytest
from reportlab.graphics.shapes import Polygon

from journal.report import DayCount
from journal.report.charts import axis_steps, daily_chart
from journal.report.styles import SYMPTOM_MARK


@pytest.mark.parametrize(
    ("peak", "step", "top"),
    [
        (0, 1, 1),
        (3, 1, 3),
        (5, 1, 5),
        (6, 2, 6),
        (8, 2, 8),
        (22, 5, 25),
        (50, 10, 50),
        (51, 20, 60),
    ],
)
def test_axis_steps_are_whole_numbers_with_at_most_five_gridlines(peak, step, top):
    assert axis_steps(peak) == (step, top)


def test_the_daily_chart_marks_each_day_a_symptom_was_logged_as_the_web_chart_does():
    start = date(2025, 3, 1)
    daily = tuple(DayCount(start + timedelta(days=n), n % 3, 1.0) for n in range(30))
    symptom_days = {start + timedelta(days=4), start + timedelta(days=20), date(2025, 5, 1)}
    drawing = daily_chart(daily, symptom_days)
    marks = [shape for shape in drawing.contents if isinstance(shape, Polygon)]
    # One triangle per symptom day inside the period; none for the day after it.
    assert len(marks) == 2
    assert all(mark.fillColor == SYMPTOM_MARK for mark in marks)
    assert not any(isinstance(s, Polygon) for s in daily_chart(daily).contents)
