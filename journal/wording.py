"""How the journal says things, for the pages and the PDF alike: dates, lengths, places,
regions, figures and counts.

Plain Python with no Django import, beside ``body`` (which it reads): ``body`` holds the
codes and each code's own label; this module puts them into words. Everything a person
reads about a date, a duration, a place with its side, a region or a count is written
by one function here, so a page, the PDF and an export never say the same thing two
ways.

Dates are written day first with the month's short name ("3 Mar 2025"), which no
reader misreads across countries; they never depend on the server's locale.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import body

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DASH = "\u2013"  # an en dash, for ranges such as "1 Mar \u2013 29 May 2025"

# --- Dates ------------------------------------------------------------------------------


def date_text(day: date) -> str:
    """A date no reader can misread across countries: "3 Mar 2025"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_month(day: date) -> str:
    """A date within a known year: "3 Mar"."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def weekday_day_month(day: date) -> str:
    """A day in a dated list: "Mon 3 Mar"."""
    return f"{WEEKDAYS[day.weekday()]} {day_month(day)}"


def weekday_date_text(day: date) -> str:
    """A day in a dated table row: "Mon 3 Mar 2025"."""
    return f"{WEEKDAYS[day.weekday()]} {date_text(day)}"


def long_date(day: date, *, weekday: bool = True, year: bool = True) -> str:
    """A date spelt out in a sentence: "Monday 3 March 2025", or "3 March" without the
    weekday and the year."""
    text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    if weekday:
        text = f"{WEEKDAY_NAMES[day.weekday()]} {text}"
    return f"{text} {day.year}" if year else text


def month_year(year: int, month: int) -> str:
    """A month as a heading: "March 2025"."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def span_text(first: date, last: date) -> str:
    """Two dates as a span in words, or one date when they are the same day."""
    return date_text(first) if first == last else f"{date_text(first)} to {date_text(last)}"


def week_text(first: date, last: date) -> str:
    """Days of one week in few words: "3 to 9 Mar 2025", "24 Feb to 2 Mar 2025"."""
    if first == last:
        return date_text(first)
    if first.year != last.year:
        return f"{date_text(first)} to {date_text(last)}"
    if first.month != last.month:
        return f"{day_month(first)} to {date_text(last)}"
    return f"{first.day} to {date_text(last)}"


def range_text(first: date, last: date) -> str:
    """Two dates as a compact range: "3 Mar \u2013 29 May 2025", one year said once."""
    if first == last:
        return date_text(first)
    if first.year == last.year:
        return f"{day_month(first)} {DASH} {date_text(last)}"
    return f"{date_text(first)} {DASH} {date_text(last)}"


# --- Durations --------------------------------------------------------------------------

_PRESET_WORDS = {seconds: label.lower() for seconds, label in body.DURATION_PRESETS}


def _unit(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def duration_text(seconds: int | None) -> str:
    """How long a twitch lasted, in words; "" when it was not noted.

    A length chosen from the log form's presets was a rough answer, so it is said as
    the person chose it ("under a second", "several minutes"), never as a measured
    time; any other length is said in whole units: "45 seconds", "2 minutes 5 seconds",
    "1 hour 30 minutes".
    """
    if seconds is None:
        return ""
    if seconds in _PRESET_WORDS:
        return _PRESET_WORDS[seconds]
    if seconds < 60:
        return _unit(seconds, "second")
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return (
            f"{_unit(minutes, 'minute')} {_unit(rest, 'second')}"
            if rest
            else _unit(minutes, "minute")
        )
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{_unit(hours, 'hour')} {_unit(minutes, 'minute')}" if minutes else _unit(hours, "hour")


# --- Strength -------------------------------------------------------------------------

_STRENGTH_NAMES = dict(body.INTENSITIES)
NOT_NOTED = "Not noted"


def strength_name(value: int | None) -> str:
    """How strong a twitch was: "Faint", "Visible", "Strong", or "Not noted" when the
    person did not say (a strength never chosen is not shown as one)."""
    return _STRENGTH_NAMES.get(value, NOT_NOTED) if value is not None else NOT_NOTED


# --- Places and regions -----------------------------------------------------------------

# Place names that read better with the side inside them: "Back of left thigh".
_SIDE_AFTER_OF = ("Back of ", "Front of ", "Base of ", "Sole of ")


def place_text(location: str, side: str = "") -> str:
    """A place in plain words with its side: "Left calf", "Back of right thigh", "Neck".

    The middle of the body needs no side, so "centre" adds nothing; "both sides" is
    said after the place.
    """
    label = body.location_label(location)
    if side in ("left", "right"):
        for prefix in _SIDE_AFTER_OF:
            if label.startswith(prefix):
                return f"{prefix}{side} {label[len(prefix) :].lower()}"
        return f"{side.capitalize()} {label[0].lower()}{label[1:]}"
    if side == "both":
        return f"{label}, both sides"
    return label


def where_text(location: str, side: str = "") -> str:
    """Where a symptom was felt: its place with the side, the side alone, or ""."""
    if location:
        return place_text(location, side)
    return body.side_label(side) if side else ""


_SIDE_WORDS = {"left": "left", "right": "right", "both": "both sides"}


def place_count_text(location: str, sides: dict[str, int]) -> str:
    """A place with its twitches and the sides they were on: "Calf 3 (2 left, 1 right)",
    "Calf 2 (left)", "Neck 1". The middle and no side given add nothing to say."""
    total = sum(sides.values())
    named = [(side, sides[side]) for side in _SIDE_WORDS if sides.get(side)]
    text = f"{body.location_label(location)} {total:,}"
    if len(named) == 1 and named[0][1] == total:
        return f"{text} ({_SIDE_WORDS[named[0][0]]})"
    if named:
        return f"{text} ({', '.join(f'{count:,} {_SIDE_WORDS[side]}' for side, count in named)})"
    return text


# A side in a table's narrow column.
_SIDE_SHORT_NAMES = {"left": "Left", "right": "Right", "both": "Both", "centre": "Centre"}


def side_short_name(code: str) -> str:
    """A side in one word, for a table's column: "Left", "Both", "Centre"; "" for none."""
    return _SIDE_SHORT_NAMES.get(code, code)


# The rows a summary counts twitches in, beyond the four regions of body.REGIONS:
# eyelid twitching is common and nearly always harmless, so it is counted apart from
# the head (RULES.md 2.1), and "all over" has no one region.
_REGION_NAMES = {
    **dict(body.REGIONS),
    body.EYELID: "Eyelid (counted apart)",
    body.ALL_OVER: body.location_label(body.ALL_OVER),
}
# A name up to this long fits a chart's axis on one line.
_ONE_LINE_CHARACTERS = 14


def region_name(code: str) -> str:
    """A region's name ("Neck, shoulders and arms"), or eyelid and all over apart: the one
    name every page, chart, table and the PDF give it."""
    return _REGION_NAMES.get(code, code)


def region_lines(code: str) -> tuple[str, ...]:
    """A region's name on at most two lines, for a chart's narrow axis: the same words as
    ``region_name``, broken at the space nearest the middle ("Neck, shoulders", "and arms")."""
    name = region_name(code)
    if len(name) <= _ONE_LINE_CHARACTERS or " " not in name:
        return (name,)
    # Never inside brackets: "Eyelid" / "(counted apart)".
    spaces = [
        n
        for n, char in enumerate(name)
        if char == " " and name[:n].count("(") == name[:n].count(")")
    ]
    if not spaces:
        return (name,)
    middle = min(spaces, key=lambda n: abs(n - len(name) / 2))
    return (name[:middle], name[middle + 1 :])


# --- Settings ---------------------------------------------------------------------------


def time_zone_text(name: str) -> str:
    """An IANA time zone as people read it: "America/New_York" -> "America/New York"."""
    return name.replace("_", " ")


# --- Figures and counts -----------------------------------------------------------------


def number(value: float | Decimal | int, digits: int = 1) -> str:
    """A figure rounded half up, as people round (6.25 -> "6.3"), without trailing zeros:
    7.0 -> "7", 6.5 -> "6.5"."""
    text = decimals(value, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimals(value: float | Decimal | int, digits: int = 1) -> str:
    """A figure rounded half up to exactly ``digits`` decimals, as a table column prints
    them so they line up: 31 -> "31.0", 2.45 -> "2.5", 0.25 -> "0.3"."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{rounded:f}"


def plural(count: int | float | Decimal, one: str, many: str | None = None) -> str:
    """A count with its noun: "1 day", "3 days", "1,204 twitches", "1.5 units" (``many``
    when the plural is not the noun with an "s")."""
    text = f"{count:,}" if isinstance(count, int) else number(count)
    return f"{text} {one if text == '1' else many or one + 's'}"


_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six")


def count_word(count: int) -> str:
    """A small count as a word, as a sentence says it ("three"); seven and more as digits."""
    return _COUNT_WORDS[count] if 0 <= count < len(_COUNT_WORDS) else f"{count:,}"


def and_list(parts: list[str]) -> str:
    """Words joined as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
