"""The journal's read side: entries grouped by the person's local day, and the home summary.

Every entry carries its local date: twitches the one they were logged on (stored with
them, RULES.md 2), symptoms and check-ins the day the person chose. Pages
of the journal hold whole days, so a day never splits across two pages: up to a
week of them, and fewer on a busy week so a page stays quick to read and to load.
Each page costs the same few queries however many entries it shows, an empty
journal included.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from . import body, wording
from .models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger

TWITCH, SYMPTOM, CHECKIN = "twitch", "symptom", "checkin"
KINDS = (TWITCH, SYMPTOM, CHECKIN)

DAYS_PER_PAGE = 7
# A page takes whole days while it stays within this many entries, and always
# takes the next day while it holds less than half of them, so a quiet today still
# shares its page with a busy yesterday. A single busier day comes whole.
ENTRIES_PER_PAGE = 50
RECENT_LIMIT = 5

# Within a day the check-in comes first (it describes the whole day), then
# symptoms, then twitches from the latest to the earliest.
_KIND_RANK = {CHECKIN: 2, SYMPTOM: 1, TWITCH: 0}
_KIND_LABELS = {TWITCH: "Twitch", SYMPTOM: "Symptom", CHECKIN: "Check-in"}

_INTENSITY_LABELS = dict(body.INTENSITIES)
_TRIGGER_LABELS = dict(body.TRIGGERS)
_TRIGGER_ORDER = tuple(_TRIGGER_LABELS)
_ONSET_LABELS = dict(body.ONSETS)
_EXERCISE_LABELS = dict(body.EXERCISE_LEVELS)


# Arguments the entry addresses' converters accept (<int:pk>, <isodate:day>) and no
# other part of those addresses contains, for reversing each pattern only once.
_STAND_INS = {"pk": "9999999999", "day": "9999-12-31"}


@functools.cache
def _address_around(name: str, argument: str, prefix: str) -> tuple[str, str]:
    """What comes before and after the one argument in the address of URL pattern
    ``name`` (under the script ``prefix``)."""
    stand_in = _STAND_INS[argument]
    head, _, tail = reverse(name, args=[stand_in]).rpartition(stand_in)
    return head, tail


def _address(name: str, argument: str, value) -> str:
    """``reverse(name, args=[value])`` for an entry's links: a journal page shows two
    for each of its entries, and reversing each of them costs more than the pattern
    reversed once with its argument filled in."""
    head, tail = _address_around(name, argument, get_script_prefix())
    return f"{head}{value}{tail}"


@dataclass
class Item:
    """One journal entry as the timeline shows it.

    Besides its parts, an item says what its links and their labels repeat, worked out
    once here rather than in the template for every entry.
    """

    kind: str
    entry: object
    day: datetime.date
    title: str
    time: str = ""
    details: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sort_key: tuple = ()

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS[self.kind]

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.entry.pk}"

    @functools.cached_property
    def edit_url(self) -> str:
        if self.kind == CHECKIN:
            return _address("checkin_day", "day", self.day)
        return _address(f"{self.kind}_edit", "pk", self.entry.pk)

    @property
    def delete_url(self) -> str:
        if self.kind == CHECKIN:
            return _address("checkin_delete", "day", self.day)
        return _address(f"{self.kind}_delete", "pk", self.entry.pk)

    @property
    def moment(self) -> str:
        """When a twitch happened, in ISO 8601 in the current time zone (as the ``date``
        filter's "c" says it), for a ``<time datetime>``."""
        return timezone.localtime(self.entry.occurred_at).isoformat()

    @property
    def details_text(self) -> str:
        """The details in one line: "5 seconds · visible"."""
        return " · ".join(self.details)

    @property
    def short_day(self) -> str:
        """The day in a list of entries from several days: "Mon 3 Mar"."""
        return wording.weekday_day_month(self.day)

    @functools.cached_property
    def _when(self) -> str:
        """The time (if any) and day in a label: " at 14:05, 3 March"."""
        day = wording.long_date(self.day, weekday=False, year=False)
        return f" at {self.time}, {day}" if self.time else f", {day}"

    @property
    def link_label(self) -> str:
        """What the link to change an entry says to a screen reader:
        "Left calf, twitch at 14:05, 3 March: change or delete"."""
        kind = "" if self.kind == CHECKIN else f", {self.kind_label.lower()}"
        return f"{self.title}{kind}{self._when}: change or delete"

    @functools.cached_property
    def action_label(self) -> str:
        """What its Edit and Delete buttons say after their name to a screen reader:
        "twitch: Left calf at 14:05, 3 March"."""
        return f"{self.kind_label.lower()}: {self.title}{self._when}"


def twitch_item(entry: TwitchEntry, trigger_codes: list[str] | None = None) -> Item:
    """A twitch at the time it was logged, with its length, strength and possible triggers.

    ``trigger_codes`` are the entry's triggers when already read (``twitch_items``);
    without them they come from the entry itself.
    """
    if trigger_codes is None:
        trigger_codes = entry.trigger_codes
    local = entry.local_time
    details = [
        wording.duration_text(entry.duration_seconds),
        _INTENSITY_LABELS.get(entry.intensity, "").lower(),
    ]
    return Item(
        kind=TWITCH,
        entry=entry,
        day=entry.local_date,
        title=wording.place_text(entry.location, entry.side),
        time=f"{local:%H:%M}",
        details=[text for text in details if text],
        tags=[_TRIGGER_LABELS[code] for code in trigger_codes],
        sort_key=(entry.local_date, _KIND_RANK[TWITCH], entry.occurred_at, entry.pk),
    )


def twitch_items(entries) -> list[Item]:
    """The twitches of the queryset ``entries``, with their triggers, in two queries.

    The triggers are read by a subquery of ``entries`` rather than by
    ``prefetch_related``, which skips its query when there are no twitches: this way
    an empty journal asks the same questions as a full one.
    """
    twitches = list(entries)
    codes: dict[int, set[str]] = {}
    rows = TwitchTrigger.objects.filter(entry__in=entries.values("pk")).values_list(
        "entry_id", "code"
    )
    for entry_id, code in rows:
        codes.setdefault(entry_id, set()).add(code)
    return [
        twitch_item(entry, [code for code in _TRIGGER_ORDER if code in codes.get(entry.pk, ())])
        for entry in twitches
    ]


def symptom_item(entry: SymptomEntry) -> Item:
    """A symptom with its severity, onset and place."""
    details = [body.severity_label(entry.severity), _ONSET_LABELS[entry.onset].lower()]
    if where := wording.where_text(entry.location, entry.side):
        details.append(where)
    return Item(
        kind=SYMPTOM,
        entry=entry,
        day=entry.noted_on,
        title=body.symptom_label(entry.kind),
        details=details,
        sort_key=(entry.noted_on, _KIND_RANK[SYMPTOM], entry.created_at, entry.pk),
    )


def checkin_details(checkin: DailyCheckIn) -> list[str]:
    """What a check-in recorded, in short phrases; unanswered questions are left out."""
    details = []
    if checkin.caffeine_mg is not None:
        details.append(f"{checkin.caffeine_mg} mg caffeine")
    if checkin.sleep_hours is not None:
        details.append(f"{wording.number(checkin.sleep_hours)} h sleep")
    if checkin.stress is not None:
        details.append(f"stress {checkin.stress} of 5")
    if checkin.exercise:
        exercise = _EXERCISE_LABELS[checkin.exercise].lower()
        details.append("no exercise" if checkin.exercise == "none" else f"{exercise} exercise")
    if checkin.alcohol_units == 0:
        details.append("no alcohol")
    elif checkin.alcohol_units is not None:
        details.append(f"{wording.plural(checkin.alcohol_units, 'unit')} of alcohol")
    if checkin.water_litres is not None:
        details.append(f"{wording.number(checkin.water_litres)} l water")
    return details


def checkin_item(checkin: DailyCheckIn) -> Item:
    """A daily check-in, summarised."""
    return Item(
        kind=CHECKIN,
        entry=checkin,
        day=checkin.day,
        title="Daily check-in",
        details=checkin_details(checkin) or ["no answers given"],
        sort_key=(checkin.day, _KIND_RANK[CHECKIN], checkin.created_at, checkin.pk),
    )


def item_for(entry) -> Item:
    """The timeline item for any kind of entry."""
    if isinstance(entry, TwitchEntry):
        return twitch_item(entry)
    if isinstance(entry, SymptomEntry):
        return symptom_item(entry)
    return checkin_item(entry)


@dataclass
class Day:
    """One local day of the journal and its entries, newest first."""

    day: datetime.date
    items: list[Item]

    @property
    def twitch_count(self) -> int:
        return sum(1 for item in self.items if item.kind == TWITCH)

    @property
    def checkin(self) -> Item | None:
        return next((item for item in self.items if item.kind == CHECKIN), None)


@dataclass
class Filters:
    """What the journal page is narrowed to; None means no limit."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    place: str | None = None
    kind: str | None = None

    def kinds(self) -> tuple[str, ...]:
        kinds = (self.kind,) if self.kind else KINDS
        # A check-in has no place, so a place filter leaves check-ins out.
        return tuple(k for k in kinds if not (self.place and k == CHECKIN))

    def locations(self, *, twitches: bool) -> list[str] | None:
        """The location codes the place filter stands for (None: any place)."""
        if not self.place:
            return None
        if self.place.startswith("region:"):
            region = self.place.removeprefix("region:")
            codes = [code for code, _ in body.LOCATIONS if body.REGION_OF[code] == region]
            # "All over" stands for the arm, trunk and leg regions at once.
            if twitches and region in body.ALL_OVER_REGIONS:
                codes.append(body.ALL_OVER)
            return codes
        return [self.place]


class _Querysets:
    """The person's filtered entries of each kind, before paging."""

    def __init__(self, user, filters: Filters):
        self.kinds = filters.kinds()
        twitches = TwitchEntry.objects.filter(user=user)
        symptoms = SymptomEntry.objects.filter(user=user)
        checkins = DailyCheckIn.objects.filter(user=user)
        if filters.date_from:
            twitches = twitches.filter(local_date__gte=filters.date_from)
            symptoms = symptoms.filter(noted_on__gte=filters.date_from)
            checkins = checkins.filter(day__gte=filters.date_from)
        if filters.date_to:
            twitches = twitches.filter(local_date__lte=filters.date_to)
            symptoms = symptoms.filter(noted_on__lte=filters.date_to)
            checkins = checkins.filter(day__lte=filters.date_to)
        if (codes := filters.locations(twitches=True)) is not None:
            twitches = twitches.filter(location__in=codes)
        if (codes := filters.locations(twitches=False)) is not None:
            symptoms = symptoms.filter(location__in=codes)
        self.twitches, self.symptoms, self.checkins = twitches, symptoms, checkins

    def day_counts(self) -> dict[datetime.date, int]:
        """How many matching entries each local day has (one query per kind)."""
        counts: dict[datetime.date, int] = {}

        def add(rows):
            for day, count in rows:
                counts[day] = counts.get(day, 0) + count

        if TWITCH in self.kinds:
            # The (user, local_date, location) or (user, location, local_date) index:
            # GROUP BY local_date.
            add(
                self.twitches.order_by()
                .values("local_date")
                .annotate(count=Count("id"))
                .values_list("local_date", "count")
            )
        if SYMPTOM in self.kinds:
            add(
                self.symptoms.order_by()
                .values("noted_on")
                .annotate(count=Count("id"))
                .values_list("noted_on", "count")
            )
        if CHECKIN in self.kinds:
            add((day, 1) for day in self.checkins.order_by().values_list("day", flat=True))
        return counts

    def items_between(self, first: datetime.date, last: datetime.date) -> list[Item]:
        """Matching entries from `first` to `last` (local days, inclusive)."""
        items = []
        if TWITCH in self.kinds:
            rows = self.twitches.filter(local_date__gte=first, local_date__lte=last)
            items += twitch_items(rows)
        if SYMPTOM in self.kinds:
            rows = self.symptoms.filter(noted_on__gte=first, noted_on__lte=last)
            items += [symptom_item(entry) for entry in rows]
        if CHECKIN in self.kinds:
            rows = self.checkins.filter(day__gte=first, day__lte=last)
            items += [checkin_item(checkin) for checkin in rows]
        return items


def group_by_day(items: list[Item]) -> list[Day]:
    """Items grouped by day, newest day first, newest entry first within a day."""
    items = sorted(items, key=lambda item: item.sort_key, reverse=True)
    days: dict[datetime.date, Day] = {}
    for item in items:
        days.setdefault(item.day, Day(item.day, [])).items.append(item)
    return list(days.values())


def page_days(
    counts: dict[datetime.date, int],
    days_per_page: int = DAYS_PER_PAGE,
    entries_per_page: int = ENTRIES_PER_PAGE,
) -> list[list[datetime.date]]:
    """The journal's days split into pages, newest first: each page is whole days, at
    most ``days_per_page`` of them. A day joins the page while the page stays within
    ``entries_per_page`` entries, or while the page holds less than half of that."""
    pages: list[list[datetime.date]] = []
    entries = 0
    for day in sorted(counts, reverse=True):
        fits = entries + counts[day] <= entries_per_page or 2 * entries < entries_per_page
        if not pages or len(pages[-1]) >= days_per_page or not fits:
            pages.append([])
            entries = 0
        pages[-1].append(day)
        entries += counts[day]
    return pages


def journal_page(
    user,
    tz,
    filters: Filters,
    page_number=1,
    days_per_page=DAYS_PER_PAGE,
    entries_per_page=ENTRIES_PER_PAGE,
):
    """One page of the journal: (Django Page whose one object is its dates, list of Day).

    Queries: the matching days of each kind (one query each), then that page's
    twitches, their triggers, symptoms and check-ins (one query each). With nothing
    to show, the page still asks for today's entries: none can match, and the page
    costs the same as any other.
    """
    querysets = _Querysets(user, filters)
    pages = page_days(querysets.day_counts(), days_per_page, entries_per_page)
    page = Paginator(pages, 1).get_page(page_number)
    days = page.object_list[0] if page.object_list else []
    today = datetime.datetime.now(tz).date()
    first, last = (min(days), max(days)) if days else (today, today)
    return page, group_by_day(querysets.items_between(first, last))


@dataclass
class HomeSummary:
    """What the signed-in home page shows about today and the latest entries."""

    today: datetime.date
    twitches_today: int
    checkin_today: DailyCheckIn | None
    last_twitch: TwitchEntry | None
    recent: list[Item]


def home_summary(user, today: datetime.date) -> HomeSummary:
    """Today's twitch count and check-in, the last twitch (for "Again"), the latest entries.

    Queries: today's count, today's check-in, the latest twitches and their
    triggers, the latest symptoms, the latest check-ins.
    """
    twitches_today = TwitchEntry.objects.filter(user=user, local_date=today).count()
    checkin_today = DailyCheckIn.objects.filter(user=user, day=today).first()
    twitch_rows = twitch_items(TwitchEntry.objects.filter(user=user)[:RECENT_LIMIT])
    symptoms = list(SymptomEntry.objects.filter(user=user)[:RECENT_LIMIT])
    checkins = list(DailyCheckIn.objects.filter(user=user)[:RECENT_LIMIT])
    items = list(twitch_rows)
    items += [symptom_item(entry) for entry in symptoms]
    items += [checkin_item(checkin) for checkin in checkins]
    items.sort(key=lambda item: item.sort_key, reverse=True)
    return HomeSummary(
        today=today,
        twitches_today=twitches_today,
        checkin_today=checkin_today,
        last_twitch=twitch_rows[0].entry if twitch_rows else None,
        recent=items[:RECENT_LIMIT],
    )
