"""Builders and HTML helpers for the journal's tests: explicit, deterministic data."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry

UTC = datetime.UTC


def at(tz_name: str, *parts) -> datetime.datetime:
    """An aware datetime in a named zone: at("Asia/Kolkata", 2025, 3, 1, 9, 30)."""
    return datetime.datetime(*parts, tzinfo=ZoneInfo(tz_name))


def make_twitch(user, occurred_at, location="calf", side="left", triggers=(), **fields):
    entry = TwitchEntry.objects.create(
        user=user, occurred_at=occurred_at, location=location, side=side, **fields
    )
    entry.set_triggers(triggers)
    return entry


def make_symptom(user, noted_on, kind="cramps", **fields):
    return SymptomEntry.objects.create(user=user, noted_on=noted_on, kind=kind, **fields)


def make_checkin(user, day, **fields):
    return DailyCheckIn.objects.create(user=user, day=day, **fields)


def twitch_data(**overrides) -> dict:
    """A valid /log/ form submission, changed by `overrides`."""
    data = {
        "occurred_at": "2025-03-01T14:30",
        "location": "calf",
        "side": "left",
        "duration_preset": "unknown",
        "duration_typed": "",
        "intensity": "2",
        "notes": "",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    """The messages a page shows (success, information or error), as text."""
    return [str(message) for message in response.context["messages"]]


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_beside(body: str, field_id: str) -> str:
    """The error text shown beside one field (the element with id "<field id>_error")."""
    match = re.search(rf'id="{field_id}_error"[^>]*>(.*?)</div>', body, re.DOTALL)
    return text_of(match.group(1)) if match else ""


def day_section(body: str, day: str) -> str:
    """The journal's section for one local day ("2025-11-02"), or "" if absent."""
    match = re.search(
        rf'<section class="journal-day" aria-labelledby="day-{day}">(.*?)</section>',
        body,
        re.DOTALL,
    )
    return match.group(1) if match else ""


def journal_days(body: str) -> list[str]:
    """The local days the journal page shows, in page order."""
    return re.findall(r'<section class="journal-day" aria-labelledby="day-([\d-]+)">', body)
