"""What an import would do, said before anything is written: the new entries of each
kind, the ones already in the journal that would be skipped, and each profile detail
the file would change, from what it is now to what the file says, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import body, wording
from .fields import KINDS, PROFILE_LABELS
from .importing import CheckedFile, new_rows_of

_FAMILY_HISTORY_LABELS = dict(body.FAMILY_HISTORY_CHOICES)


@dataclass(frozen=True)
class ProfileChange:
    """One profile detail the file would change: its name, and both values in words."""

    label: str
    now: str
    in_file: str


@dataclass(frozen=True)
class ImportPreview:
    """What writing a checked file would do to the journal now."""

    new: dict[str, int]
    skipped: dict[str, int]
    profile_changes: tuple[ProfileChange, ...]

    @property
    def new_count(self) -> int:
        return sum(self.new.values())

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    @property
    def changes_anything(self) -> bool:
        """Whether confirming could change the journal at all."""
        return self.new_count > 0 or bool(self.profile_changes)


def profile_value_text(name: str, value) -> str:
    """A profile detail as the preview shows it: "America/New York", "4 November 2025"."""
    if value is None or value == "":
        return "not set"
    if isinstance(value, date):
        return wording.long_date(value, weekday=False)
    if name == "time_zone":
        return wording.time_zone_text(value)
    if name == "family_history":
        return _FAMILY_HISTORY_LABELS[value]
    return value


def _profile_changes(profile, values: dict) -> tuple[ProfileChange, ...]:
    return tuple(
        ProfileChange(
            PROFILE_LABELS[name],
            profile_value_text(name, getattr(profile, name)),
            profile_value_text(name, value),
        )
        for name, value in values.items()
        if getattr(profile, name) != value
    )


def preview(user, checked: CheckedFile) -> ImportPreview:
    """What writing ``checked`` into ``user``'s journal would do now; writes nothing."""
    new, skipped = {}, {}
    for code in KINDS:
        rows = checked.rows[code]
        new[code] = len(new_rows_of(user, code, rows))
        skipped[code] = len(rows) - new[code]
    return ImportPreview(new, skipped, _profile_changes(user.profile, checked.profile))
