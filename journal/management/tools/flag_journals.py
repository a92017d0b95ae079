"""The smallest journal whose red-flag card shows each level (RULES.md), for the pages a
person sees at each one: the render sweep (tests/test_render_sweep.py) and
`make screenshots` (scripts/screenshots.py) build them here.
"""

from datetime import UTC, date, datetime, time, timedelta

from journal.models import SymptomEntry, TwitchEntry

LEVELS = ("info", "routine", "soon", "prompt", "emergency")


def build(user, level: str, today: date) -> None:
    """Fill `user`'s (empty) journal so that its highest flag has `level` on `today`."""

    def twitch(days_ago, location):
        when = datetime.combine(today - timedelta(days=days_ago), time(9), tzinfo=UTC)
        TwitchEntry.objects.create(user=user, occurred_at=when, location=location)

    def symptom(days_ago, kind, **fields):
        noted_on = today - timedelta(days=days_ago)
        SymptomEntry.objects.create(user=user, noted_on=noted_on, kind=kind, **fields)

    if level == "info":  # two areas, nothing more
        for location in ("calf", "hand"):
            for days_ago in (1, 5):
                twitch(days_ago, location)
    elif level == "routine":  # an eyelid that keeps twitching
        for days_ago in (0, 7, 15):
            twitch(days_ago, "eyelid")
    elif level == "soon":  # three regions within a fortnight
        for location, days in (("calf", (1, 8)), ("hand", (2, 9)), ("chest", (3, 10))):
            for days_ago in days:
                twitch(days_ago, location)
    elif level == "prompt":
        symptom(3, "muscle_loss", location="thumb_base", side="left")
    elif level == "emergency":
        symptom(0, "speech", onset="sudden", severity=2)
    else:
        raise ValueError(f"no such level: {level}")
