"""URL path converters: a calendar date written as YYYY-MM-DD."""

import datetime


class IsoDateConverter:
    """Matches "2025-03-01"; an impossible date such as 2025-02-30 is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        # A ValueError here tells Django the path does not match.
        return datetime.date.fromisoformat(value)

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
