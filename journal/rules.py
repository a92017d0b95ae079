"""The red-flag engine: reads a journal and says when a pattern deserves a doctor's look.

This module implements RULES.md exactly. It is pure Python (the standard library,
``journal.body`` and ``journal.wording`` only, never Django) so it can be tested at every boundary
without a database and reused by the pages, the doctor's PDF and the commands.

Most people who log twitches have harmless twitching and many are anxious, so the
wording is calm, no flag is a diagnosis, and no text names a disease. The input is
a ``History`` of plain records, already turned into calendar days in the person's
own time zone; ``evaluate`` returns the flags that fire, highest level first.

A flag's title and message say what the pattern is and why it matters; they never
say when to act. The action belongs to the level (``LEVEL_TEXT``), which the card
states once for the highest level reached (RULES.md section 3).

Readings of points RULES.md leaves open (each is also noted where it is applied):

* WEAKNESS fires only when weakness is dated in the last 28 days; the 56-day span
  decides whether it is ``soon`` or ``prompt``, it never fires the rule by itself.
* Weakness "on a later date with a higher severity than any weakness on an earlier
  date" is read as higher than every earlier date's: a new highest severity, not a
  rise after a dip back down.
* CHECKLIST counts an item only when its rule actually fires, so during
  reassurance C1, C4 and C6 never count and CHECKLIST needs two of C2, C3, C5.
"""

from __future__ import annotations

import enum
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta

from journal import body, wording

# Windows. "The last N days" always includes today: [today - (N - 1), today].
WINDOW_DAYS = 28  # active regions, BULBAR, COORDINATION, FAMILY_HISTORY, weakness, eyelid (b)
WEAKNESS_LOOKBACK_DAYS = 56  # span in which repeated or rising weakness escalates
MUSCLE_LOSS_DAYS = 56
SENSORY_LOOKBACK_DAYS = 90  # the longest window any rule reads
BREATHING_DAYS = 7
SUDDEN_ONSET_DAYS = 7
EMERGENCY_DAYS = 2  # a sudden symptom dated today or yesterday is an emergency

# Episodes and persistence (RULES.md 2.3, 2.4, PERSISTENCE and EYELID).
EPISODE_GAP_DAYS = 14  # consecutive twitch-days this far apart still join one episode
PERSISTENCE_DAYS = 14  # minimum elapsed days from an episode's first to last twitch-day
MIN_EPISODE_DAYS = 3  # minimum twitch-days in the episode
RECENT_DAYS = 7  # the episode's last twitch-day must be on or after today - 7

# Regions (RULES.md 2.2).
ACTIVE_REGION_MIN_DAYS = 2
MULTIPLE_AREAS_REGIONS = 2
SPREADING_REGIONS = 3

# Symptom patterns.
WEAKNESS_APART_DAYS = 7
SENSORY_MIN_DATES = 3
SENSORY_SPAN_DAYS = 14

# EYELID (b): the face places that, logged on the same date as the eyelid, count.
FACE_PLACES = frozenset({"forehead", "cheek", "lips", "jaw"})
EYELID_WITH_FACE_MIN_DATES = 2

# Reassurance silences twitch-pattern rules while (today - reassured_on).days is below this.
REASSURANCE_DAYS = 90

CHECKLIST_MIN_ITEMS = 2

NOT_A_DIAGNOSIS = (
    "This is a pattern in your own notes, not a diagnosis. Only a doctor who examines "
    "you can say what is behind your symptoms."
)


@functools.total_ordering
class Level(enum.Enum):
    """How soon to act, ordered ``INFO < ROUTINE < SOON < PROMPT < EMERGENCY``."""

    INFO = "info"
    ROUTINE = "routine"
    SOON = "soon"
    PROMPT = "prompt"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """0 for INFO up to 4 for EMERGENCY."""
        return _LEVEL_RANK[self]

    @property
    def text(self) -> LevelText:
        """The shared headline and advice for this level."""
        return LEVEL_TEXT[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank


_LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}


@dataclass(frozen=True)
class LevelText:
    """What a level means to the person: a short headline and one line of advice."""

    headline: str
    advice: str


# One wording for the card, the flags page and the PDF (RULES.md section 3). The
# headline is the action, said once; the advice adds who and how, never a second
# deadline. Only ``soon`` and ``prompt`` name a neurologist.
LEVEL_TEXT = {
    Level.INFO: LevelText(
        "Nothing to act on",
        "Keep logging: your notes will be useful if you ever see a doctor.",
    ),
    Level.ROUTINE: LevelText(
        "Mention it at your next ordinary doctor's visit",
        "There is no need to book an appointment just for this.",
    ),
    Level.SOON: LevelText(
        "See a neurologist within 2-3 weeks",
        "If you need a referral first, your usual doctor can arrange one.",
    ),
    Level.PROMPT: LevelText(
        "Contact a doctor within days",
        "They can refer you to a neurologist, and may arrange an EMG (a test of how nerves "
        "and muscles work) and blood tests.",
    ),
    Level.EMERGENCY: LevelText(
        "Call emergency services now",
        "Dial your local emergency number (112, 911 or 999), or ask someone to take you to "
        "an emergency department.",
    ),
}


@dataclass(frozen=True)
class TwitchRecord:
    """One twitch entry, reduced to what the rules and the summary need."""

    day: date
    location: str
    side: str = ""
    hour: int | None = None
    duration_seconds: int | None = None
    intensity: int | None = None
    triggers: tuple[str, ...] = ()
    entry_id: int | None = None


@dataclass(frozen=True)
class SymptomRecord:
    """One symptom entry: a kind from ``body.SYMPTOM_KINDS`` on a day."""

    day: date
    kind: str
    severity: int = 1
    onset: str = "gradual"
    location: str | None = None
    side: str | None = None
    entry_id: int | None = None


@dataclass(frozen=True)
class History:
    """Everything the rules read about one person.

    ``earlier_days`` are non-eyelid twitch-days that come without records: before
    the window the records cover, the rules count the days of an episode and need
    nothing else about them (``history.build_history`` fills it when the current
    episode reaches back that far).
    """

    twitches: tuple[TwitchRecord, ...]
    symptoms: tuple[SymptomRecord, ...]
    family_history: bool = False
    reassured_on: date | None = None
    earlier_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One concrete reason behind a flag, with the entries it points to."""

    text: str
    days: tuple[date, ...] = ()
    regions: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    twitch_ids: tuple[int, ...] = ()
    symptom_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A rule that fired: what it means, why it fired, and where the rule comes from."""

    rule: str
    level: Level
    title: str
    message: str
    evidence: tuple[Evidence, ...]
    checklist_item: str | None
    source: str


@dataclass(frozen=True)
class ChecklistItem:
    """One of the six checklist questions answered from the journal.

    ``code`` (C1-C6) is for code and tests only, never shown. ``question`` is what the
    person is asked; ``label`` names the item in a list (the CHECKLIST flag's evidence,
    the doctor's PDF). ``holds`` is the honest answer from the journal; ``silenced``
    means it holds but a recent clinician's check-up sets it aside, so it does not count.
    """

    code: str
    question: str
    label: str
    holds: bool
    silenced: bool
    evidence: tuple[Evidence, ...]

    @property
    def counts(self) -> bool:
        """Whether the item counts toward the CHECKLIST rule."""
        return self.holds and not self.silenced


@dataclass(frozen=True)
class Checklist:
    """The six checklist items, and whether reassurance is in effect."""

    items: tuple[ChecklistItem, ...]
    reassured: bool

    @property
    def count(self) -> int:
        """How many items count toward the CHECKLIST rule."""
        return sum(item.counts for item in self.items)

    @property
    def met(self) -> bool:
        """Whether enough items count for the CHECKLIST rule to fire."""
        return self.count >= CHECKLIST_MIN_ITEMS


# The seed checklist (RULES.md section 4): (code, question, label). The wording follows
# the rules: C1 holds from 14 days, so "two weeks or more".
CHECKLIST_ITEMS = (
    (
        "C1",
        "Has your twitching kept coming back for two weeks or more?",
        "Twitching for two weeks or more",
    ),
    (
        "C2",
        "Does a muscle look smaller or thinner than it used to?",
        "A muscle that looks smaller or thinner",
    ),
    (
        "C3",
        "Has an everyday task, such as gripping or climbing stairs, become harder?",
        "Weakness: an everyday task has become harder",
    ),
    (
        "C4",
        "Has your twitching spread to several body areas?",
        "Twitching in several body areas",
    ),
    (
        "C5",
        "Have you noticed changes in your speech, swallowing or coordination?",
        "Changes in speech, swallowing or coordination",
    ),
    (
        "C6",
        "Has a parent, brother, sister or child had a nerve or muscle condition?",
        "A close relative with a nerve or muscle condition",
    ),
)

_LISTED_DAYS_MAX = 6  # longer runs of dates are summarised as "N days between A and B"
_LOCATION_ORDER = {code: rank for rank, (code, _) in enumerate(body.TWITCH_LOCATIONS)}
_REGION_ORDER = tuple(code for code, _ in body.REGIONS)


@dataclass(frozen=True)
class _Facts:
    """The journal boiled down once, so each rule reads sets of days instead of rescanning.

    Everything here is already limited to dates on or before ``today``.
    """

    today: date
    reassured: bool
    family_history: bool
    twitch_days: tuple[date, ...]  # non-eyelid twitch-days, ascending
    # Entry ids by day, unordered (``_ids_on`` sorts those evidence names); none for
    # History.earlier_days.
    twitch_ids: Mapping[date, Set[int]]
    eyelid_days: tuple[date, ...]  # ascending
    eyelid_ids: Mapping[date, Set[int]]
    face_places: Mapping[date, tuple[str, ...]]  # FACE_PLACES by date, 28-day window only
    face_ids: Mapping[date, Set[int]]
    region_days: Mapping[str, tuple[date, ...]]  # inside the 28-day window only
    region_locations: Mapping[str, tuple[str, ...]]
    region_ids: Mapping[str, tuple[int, ...]]
    active_regions: tuple[str, ...]  # in body.REGIONS order
    symptoms: Mapping[str, tuple[SymptomRecord, ...]]  # by kind, in date order

    def start(self, days: int) -> date:
        """First date of "the last ``days`` days", today included."""
        return self.today - timedelta(days=days - 1)

    def recent(self, kind: str, days: int) -> tuple[SymptomRecord, ...]:
        """Symptoms of one kind dated within the last ``days`` days."""
        start = self.start(days)
        return tuple(s for s in self.symptoms.get(kind, ()) if s.day >= start)

    def date_text(self, day: date) -> str:
        """A date as "Mar 3", adding the year only when it is not this year's."""
        return wording.day_month(day) if day.year == self.today.year else wording.date_text(day)

    def days_text(self, days: Iterable[date]) -> str:
        """A few dates listed, or a long run summarised by its count and ends."""
        days = sorted(days)
        if len(days) > _LISTED_DAYS_MAX:
            first, last = self.date_text(days[0]), self.date_text(days[-1])
            return f"{len(days)} days between {first} and {last}"
        return wording.and_list([self.date_text(d) for d in days])


def _gather(history: History, today: date) -> _Facts:
    """One pass over the records: group twitch ids by day and by region, symptoms by kind."""
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    twitch_ids: dict[date, set[int]] = defaultdict(set)
    eyelid_ids: dict[date, set[int]] = defaultdict(set)
    region_days: dict[str, set[date]] = defaultdict(set)
    region_locations: dict[str, set[str]] = defaultdict(set)
    region_ids: dict[str, set[int]] = defaultdict(set)
    face_places: dict[date, set[str]] = defaultdict(set)
    face_ids: dict[date, set[int]] = defaultdict(set)

    for twitch in history.twitches:
        if twitch.day > today:
            continue
        # Indexing the defaultdict records the day even when the entry has no id.
        ids = (eyelid_ids if twitch.location == body.EYELID else twitch_ids)[twitch.day]
        if twitch.entry_id is not None:
            ids.add(twitch.entry_id)
        if twitch.location == body.EYELID or twitch.day < window_start:
            continue
        if twitch.location in FACE_PLACES:
            face_places[twitch.day].add(twitch.location)
            face_day_ids = face_ids[twitch.day]  # recorded even without an id, as above
            if twitch.entry_id is not None:
                face_day_ids.add(twitch.entry_id)
        for region in body.regions_for(twitch.location):
            region_days[region].add(twitch.day)
            region_locations[region].add(twitch.location)
            if twitch.entry_id is not None:
                region_ids[region].add(twitch.entry_id)

    symptoms: dict[str, list[SymptomRecord]] = defaultdict(list)
    for symptom in history.symptoms:
        if symptom.day <= today:
            symptoms[symptom.kind].append(symptom)

    reassured_on = history.reassured_on
    return _Facts(
        today=today,
        reassured=(
            reassured_on is not None and 0 <= (today - reassured_on).days < REASSURANCE_DAYS
        ),
        family_history=history.family_history,
        twitch_days=tuple(
            sorted({*twitch_ids, *(day for day in history.earlier_days if day <= today)})
        ),
        twitch_ids=dict(twitch_ids),
        eyelid_days=tuple(sorted(eyelid_ids)),
        eyelid_ids=dict(eyelid_ids),
        face_places={
            day: tuple(sorted(codes, key=_location_rank)) for day, codes in face_places.items()
        },
        face_ids=dict(face_ids),
        region_days={region: tuple(sorted(days)) for region, days in region_days.items()},
        region_locations={
            region: tuple(sorted(codes, key=_location_rank))
            for region, codes in region_locations.items()
        },
        region_ids={region: tuple(sorted(ids)) for region, ids in region_ids.items()},
        active_regions=tuple(
            region
            for region in _REGION_ORDER
            if len(region_days.get(region, ())) >= ACTIVE_REGION_MIN_DAYS
        ),
        # A full sort key makes evidence independent of the order records arrive in.
        symptoms={kind: tuple(sorted(items, key=_symptom_key)) for kind, items in symptoms.items()},
    )


def _location_rank(code: str) -> tuple[int, str]:
    return (_LOCATION_ORDER.get(code, len(_LOCATION_ORDER)), code)


def _symptom_key(symptom: SymptomRecord) -> tuple:
    return (
        symptom.day,
        symptom.entry_id is None,
        symptom.entry_id or 0,
        symptom.severity,
        symptom.onset,
        symptom.location or "",
        symptom.side or "",
    )


def _ids_on(ids_by_day: Mapping[date, Set[int]], days: Iterable[date]) -> tuple[int, ...]:
    return tuple(sorted({i for day in days for i in ids_by_day.get(day, ())}))


def _symptom_evidence(facts: _Facts, symptom: SymptomRecord) -> Evidence:
    """One line per symptom entry, e.g. "Mar 2: weakness (moderate), hand, right"."""
    details = [body.severity_label(symptom.severity).lower()]
    if symptom.onset == "sudden":
        details.append("came on suddenly")
    where = ""
    if symptom.location:
        where = f", {body.location_label(symptom.location).lower()}"
        if symptom.side:
            where += f", {body.side_label(symptom.side).lower()}"
    return Evidence(
        text=(
            f"{facts.date_text(symptom.day)}: {body.symptom_label(symptom.kind).lower()} "
            f"({', '.join(details)}){where}"
        ),
        days=(symptom.day,),
        regions=body.regions_for(symptom.location) if symptom.location else (),
        locations=(symptom.location,) if symptom.location else (),
        symptom_ids=() if symptom.entry_id is None else (symptom.entry_id,),
    )


def _symptom_evidence_all(facts: _Facts, symptoms: Iterable[SymptomRecord]) -> tuple[Evidence, ...]:
    return tuple(_symptom_evidence(facts, s) for s in symptoms)


def _region_evidence(facts: _Facts, region: str) -> Evidence:
    days = facts.region_days[region]
    return Evidence(
        text=f"{body.region_label(region)}: twitches on {facts.days_text(days)}",
        days=days,
        regions=(region,),
        locations=facts.region_locations[region],
        twitch_ids=facts.region_ids.get(region, ()),
    )


def _merge(text: str, evidence: Iterable[Evidence]) -> Evidence:
    """One line standing for several pieces of evidence, keeping every link."""
    evidence = tuple(evidence)
    return Evidence(
        text=text,
        days=tuple(sorted({d for e in evidence for d in e.days})),
        regions=tuple(r for r in _REGION_ORDER if any(r in e.regions for e in evidence)),
        locations=tuple(sorted({c for e in evidence for c in e.locations}, key=_location_rank)),
        twitch_ids=tuple(sorted({i for e in evidence for i in e.twitch_ids})),
        symptom_ids=tuple(sorted({i for e in evidence for i in e.symptom_ids})),
    )


@dataclass(frozen=True)
class _Finding:
    """What a rule's check returns: the wording and evidence, and a level if it escalates."""

    title: str
    message: str
    evidence: tuple[Evidence, ...]
    level: Level | None = None


# A check sees the facts and the findings of the rules above it in the table.
_Check = Callable[[_Facts, Mapping[str, _Finding]], _Finding | None]


@dataclass(frozen=True)
class Rule:
    """One row of the rule table (RULES.md section 4)."""

    id: str
    level: Level  # the level it fires at unless its check escalates
    check: _Check
    checklist_item: str | None = None
    source: str = ""
    silenced: bool = False  # by a clinician's reassurance in the last REASSURANCE_DAYS


def _current_episode(days: tuple[date, ...]) -> tuple[date, ...]:
    """The run of days ending at the latest one with no gap over EPISODE_GAP_DAYS."""
    start = len(days) - 1
    while start > 0 and (days[start] - days[start - 1]).days <= EPISODE_GAP_DAYS:
        start -= 1
    return days[max(start, 0) :]


def _lasting_episode(facts: _Facts, days: tuple[date, ...]) -> tuple[date, ...]:
    """The current episode of ``days`` when it meets PERSISTENCE's test, else ().

    Shared by PERSISTENCE (non-eyelid days, RULES.md 2.3) and EYELID (a) (eyelid
    days, 2.4): ``elapsed >= 14``, at least 3 days, the last on or after today - 7.
    """
    episode = _current_episode(days)
    if len(episode) < MIN_EPISODE_DAYS:
        return ()
    if (episode[-1] - episode[0]).days < PERSISTENCE_DAYS:
        return ()
    if episode[-1] < facts.today - timedelta(days=RECENT_DAYS):
        return ()
    return episode


def _persistence(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    episode = _lasting_episode(facts, facts.twitch_days)
    if not episode:
        return None
    first, last = episode[0], episode[-1]
    elapsed = (last - first).days
    return _Finding(
        title="Twitching for two weeks or more",
        message=(
            f"Your twitches have come and gone over {elapsed} days, with no break longer than "
            "two weeks. Twitching that lasts is common and usually harmless, and is often "
            "linked to stress, caffeine, tiredness or exercise. Your notes show a doctor the "
            "pattern at a glance."
        ),
        evidence=(
            Evidence(
                text=(
                    f"Twitches on {len(episode)} days from {facts.date_text(first)} to "
                    f"{facts.date_text(last)}, with no gap longer than "
                    "two weeks"
                ),
                days=episode,
                twitch_ids=_ids_on(facts.twitch_ids, episode),
            ),
        ),
    )


def _spreading(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    regions = facts.active_regions
    if len(regions) < SPREADING_REGIONS:
        return None
    return _Finding(
        title="Twitches in several body areas",
        message=(
            "In the last 28 days, twitches came back on more than one day in "
            f"{wording.count_word(len(regions))} separate body areas. Twitching in many places is "
            "very often harmless, but twitching that spreads is one of the patterns a "
            "specialist looks at."
        ),
        evidence=tuple(_region_evidence(facts, region) for region in regions),
    )


def _multiple_areas(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    regions = facts.active_regions
    if len(regions) != MULTIPLE_AREAS_REGIONS:
        return None
    return _Finding(
        title="Twitches in two body areas",
        message=(
            "In the last 28 days, twitches came back on more than one day in two separate "
            "body areas. This is common and on its own is not a warning sign; it is noted so "
            "that any change is easy to see."
        ),
        evidence=tuple(_region_evidence(facts, region) for region in regions),
    )


def _first_rise(
    symptoms: tuple[SymptomRecord, ...],
) -> tuple[SymptomRecord, SymptomRecord] | None:
    """The first entry more severe than every entry on every earlier date, with the
    most severe of those earlier entries (the first logged, on a tie).

    Returns None when no date brings a new highest severity. Entries on the same
    date are not compared: they carry no time, so neither is "later".
    """
    highest: SymptomRecord | None = None
    for _, same_day in itertools.groupby(symptoms, key=lambda s: s.day):
        same_day = tuple(same_day)
        if highest is not None:
            for symptom in same_day:
                if symptom.severity > highest.severity:
                    return highest, symptom
        # max() keeps the first of equals, so the evidence names the earliest entry.
        candidate = max(same_day, key=lambda s: s.severity)
        if highest is None or candidate.severity > highest.severity:
            highest = candidate
    return None


def _weakness(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    # Reading: only weakness in the last 28 days fires the rule; the 56-day span can
    # raise it from soon to prompt but never fires it alone.
    if not facts.recent("weakness", WINDOW_DAYS):
        return None
    span = facts.recent("weakness", WEAKNESS_LOOKBACK_DAYS)
    reasons = []
    first, last = span[0].day, span[-1].day
    if (last - first).days >= WEAKNESS_APART_DAYS:
        reasons.append(
            Evidence(
                text=(
                    f"Weakness noted on {facts.date_text(first)} and again on "
                    f"{facts.date_text(last)}, {(last - first).days} days apart"
                ),
                days=(first, last),
                symptom_ids=tuple(
                    s.entry_id for s in span if s.day in (first, last) and s.entry_id is not None
                ),
            )
        )
    rise = _first_rise(span)
    if rise:
        before, after = rise
        reasons.append(
            Evidence(
                text=(
                    f"Weakness went from {body.severity_label(before.severity).lower()} on "
                    f"{facts.date_text(before.day)} to "
                    f"{body.severity_label(after.severity).lower()} on "
                    f"{facts.date_text(after.day)}"
                ),
                days=(before.day, after.day),
                symptom_ids=tuple(s.entry_id for s in rise if s.entry_id is not None),
            )
        )
    if not reasons:
        return _Finding(
            title="Weakness noted",
            message=(
                "You noted that an everyday task has become harder than it used to be. "
                "Weakness is worth a proper examination, even though it often has a simple "
                "explanation."
            ),
            evidence=_symptom_evidence_all(facts, facts.recent("weakness", WINDOW_DAYS)),
        )
    return _Finding(
        title="Weakness that is increasing" if rise else "Weakness noted more than once",
        message=(
            "You have noted weakness "
            + ("that seems to be increasing" if rise else "more than once, a week or more apart")
            + ". Weakness that comes back or grows is one of the clearest reasons for a doctor "
            "to examine you."
        ),
        evidence=(*reasons, *_symptom_evidence_all(facts, span)),
        level=Level.PROMPT,
    )


def _muscle_loss(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    recent = facts.recent("muscle_loss", MUSCLE_LOSS_DAYS)
    if not recent:
        return None
    return _Finding(
        title="A muscle looks smaller",
        message=(
            "You noted that a muscle looks smaller or hollow compared with before or with the "
            "other side. A doctor can examine the muscle, compare both sides and measure its "
            "strength."
        ),
        evidence=_symptom_evidence_all(facts, recent),
    )


def _bulbar(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    speech = facts.recent("speech", WINDOW_DAYS)
    swallowing = facts.recent("swallowing", WINDOW_DAYS)
    if not speech and not swallowing:
        return None
    what = wording.and_list(
        [
            phrase
            for phrase, present in (
                ("a change in your speech", speech),
                ("trouble swallowing", swallowing),
            )
            if present
        ]
    )
    return _Finding(
        title="Changes in speech or swallowing",
        message=(
            f"In the last 28 days you noted {what}. Speaking and swallowing rely on small "
            "muscles of the mouth and throat, and a change in them is worth a doctor's "
            "examination, whatever the cause."
        ),
        evidence=_symptom_evidence_all(facts, sorted((*speech, *swallowing), key=_symptom_key)),
    )


def _coordination(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    recent = facts.recent("coordination", WINDOW_DAYS)
    if not recent:
        return None
    return _Finding(
        title="Changes in coordination or balance",
        message=(
            "In the last 28 days you noted clumsiness or trouble with balance. Many things "
            "can cause this, and an examination can tell which."
        ),
        evidence=_symptom_evidence_all(facts, recent),
    )


def _sensory(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    # The "3 dates over 14 days" branch reads the last 90 days, its latest date in the last 28.
    every = facts.recent("numbness_tingling", SENSORY_LOOKBACK_DAYS)
    dates = sorted({s.day for s in every})
    pattern = (
        len(dates) >= SENSORY_MIN_DATES
        and (dates[-1] - dates[0]).days >= SENSORY_SPAN_DAYS
        and dates[-1] >= facts.start(WINDOW_DAYS)
    )
    recent = facts.recent("numbness_tingling", WINDOW_DAYS)
    with_weakness = bool(recent) and "WEAKNESS" in found
    if not pattern and not with_weakness:
        return None
    details = []
    summary = []
    if pattern:
        span = (dates[-1] - dates[0]).days
        details.append(f"on {len(dates)} different days over {span} days")
        summary.append(
            Evidence(
                text=(
                    f"Numbness or tingling on {len(dates)} days between "
                    f"{facts.date_text(dates[0])} and {facts.date_text(dates[-1])}"
                ),
                days=tuple(dates),
                symptom_ids=tuple(s.entry_id for s in every if s.entry_id is not None),
            )
        )
    if with_weakness:
        details.append("in the last 28 days, at a time when you also noted weakness")
        summary.append(
            Evidence(
                text="Numbness or tingling in the last 28 days, at a time of weakness",
                days=tuple(sorted({s.day for s in recent})),
                symptom_ids=tuple(s.entry_id for s in recent if s.entry_id is not None),
            )
        )
    return _Finding(
        title="Numbness or tingling",
        message=(
            f"You noted numbness or tingling {', and '.join(details)}. These feelings have many "
            "possible causes, and an examination can help work out which applies to you."
        ),
        evidence=(*summary, *_symptom_evidence_all(facts, every if pattern else recent)),
    )


def _eyelid(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    # (a) needs no look-back of its own: history.build_history supplies 90 days, and an
    # episode that reaches further back still passes (a) on its part inside them.
    lasting = _lasting_episode(facts, facts.eyelid_days)
    window = facts.start(WINDOW_DAYS)
    with_face = tuple(
        day for day in facts.eyelid_days if day >= window and day in facts.face_places
    )
    if len(with_face) < EYELID_WITH_FACE_MIN_DATES:
        with_face = ()
    if not lasting and not with_face:
        return None
    evidence = []
    if with_face:
        places = sorted(
            {p for day in with_face for p in facts.face_places[day]}, key=_location_rank
        )
        named = wording.and_list([body.location_label(p).lower() for p in places])
        evidence.append(
            Evidence(
                text=(
                    f"Eyelid and another part of the face ({named}) on the same "
                    f"day: {facts.days_text(with_face)}"
                ),
                days=with_face,
                regions=("head",),
                locations=(body.EYELID, *places),
                twitch_ids=tuple(
                    sorted(
                        {*_ids_on(facts.eyelid_ids, with_face), *_ids_on(facts.face_ids, with_face)}
                    )
                ),
            )
        )
    if lasting:
        evidence.append(
            Evidence(
                text=(
                    f"Eyelid twitching on {facts.days_text(lasting)}, with no gap longer "
                    "than two weeks"
                ),
                days=lasting,
                regions=("head",),
                locations=(body.EYELID,),
                twitch_ids=_ids_on(facts.eyelid_ids, lasting),
            )
        )
    common = (
        "Eyelid twitching is very common and almost always harmless; tiredness, screens, dry "
        "eyes, stress and caffeine are usual causes."
    )
    if with_face:
        return _Finding(
            title="Eyelid and other face twitching on the same days",
            message=(
                f"{common} When other muscles of the face twitch along with the eyelid, a "
                "doctor rather than an eye check alone is the one to look at it."
            ),
            evidence=tuple(evidence),
        )
    elapsed = (lasting[-1] - lasting[0]).days
    return _Finding(
        title="Eyelid twitching for two weeks or more",
        message=(
            f"Your eyelid has twitched on and off over {elapsed} days. {common} For an "
            "eyelid twitch that lasts, an optometrist or an eye doctor (ophthalmologist) is "
            "the one to ask."
        ),
        evidence=tuple(evidence),
    )


def _family_history(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    if not facts.family_history:
        return None
    window = tuple(d for d in facts.twitch_days if d >= facts.start(WINDOW_DAYS))
    if not window:
        return None
    return _Finding(
        title="Family history noted",
        message=(
            "Your profile says a close relative has had a nerve or muscle condition. On its "
            "own this is not a warning sign, but it helps a doctor judge what they see."
        ),
        evidence=(
            Evidence(text="Family history recorded in your profile"),
            Evidence(
                text=f"Most recent twitch: {facts.date_text(window[-1])}",
                days=(window[-1],),
                twitch_ids=_ids_on(facts.twitch_ids, window[-1:]),
            ),
        ),
    )


def _checklist(facts: _Facts, found: Mapping[str, _Finding]) -> Checklist:
    """Answer C1-C6 from the rule findings, honestly, marking what reassurance silences."""
    items = []
    for code, question, label in CHECKLIST_ITEMS:
        rules = [rule for rule in RULES if rule.checklist_item == code and rule.id in found]
        evidence = tuple(e for rule in rules for e in found[rule.id].evidence)
        silenced = facts.reassured and all(rule.silenced for rule in rules)
        items.append(
            ChecklistItem(code, question, label, bool(rules), bool(rules) and silenced, evidence)
        )
    return Checklist(items=tuple(items), reassured=facts.reassured)


def _checklist_rule(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    # Silenced items do not count: during reassurance only C2, C3 and C5 can.
    result = _checklist(facts, found)
    if not result.met:
        return None
    counting = [item for item in result.items if item.counts]
    return _Finding(
        title="Two or more checklist questions answered yes",
        message=(
            f"Your notes answer yes to {wording.count_word(len(counting))} of the six checklist "
            "questions. When two or more apply, a specialist's opinion is the clearest way to "
            "know what is going on, and most twitching still turns out to be harmless."
        ),
        evidence=tuple(_merge(item.label, item.evidence) for item in counting),
    )


_SUDDEN_KINDS = {
    "weakness": "weakness",
    "speech": "a change in your speech",
    "swallowing": "trouble swallowing",
    "coordination": "clumsiness or trouble with balance",
    "numbness_tingling": "numbness or tingling",
}


def _sudden_onset(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    sudden = sorted(
        (
            s
            for kind in _SUDDEN_KINDS
            for s in facts.recent(kind, SUDDEN_ONSET_DAYS)
            if s.onset == "sudden"
        ),
        key=_symptom_key,
    )
    if not sudden:
        return None
    now = [s for s in sudden if s.day >= facts.start(EMERGENCY_DAYS)]
    kinds = wording.and_list(
        [
            phrase
            for kind, phrase in _SUDDEN_KINDS.items()
            if any(s.kind == kind for s in (now or sudden))
        ]
    )
    if now:
        return _Finding(
            title="Sudden new symptoms",
            message=(
                f"You noted {kinds} that came on suddenly, today or yesterday. Doctors treat "
                "symptoms like these as urgent when they start suddenly, because some of their "
                "causes are best treated early."
            ),
            evidence=_symptom_evidence_all(facts, sudden),
            level=Level.EMERGENCY,
        )
    return _Finding(
        title="Sudden new symptoms in the last 7 days",
        message=(
            f"You noted {kinds} that came on suddenly in the last 7 days. A symptom that starts "
            "suddenly is different from twitching that comes and goes, and deserves an "
            "examination even if it has settled."
        ),
        evidence=_symptom_evidence_all(facts, sudden),
    )


def _breathing(facts: _Facts, found: Mapping[str, _Finding]) -> _Finding | None:
    recent = facts.recent("breathing", BREATHING_DAYS)
    if not recent:
        return None
    evidence = _symptom_evidence_all(facts, recent)
    if any(s.onset == "sudden" and s.day >= facts.start(EMERGENCY_DAYS) for s in recent):
        return _Finding(
            title="Sudden breathlessness",
            message=(
                "You noted breathlessness that came on suddenly, today or yesterday. Sudden "
                "trouble breathing is treated as urgent, because it can get worse quickly."
            ),
            evidence=evidence,
            level=Level.EMERGENCY,
        )
    return _Finding(
        title="Breathlessness at rest or lying flat",
        message=(
            "In the last 7 days you noted feeling short of breath at rest or when lying flat. "
            "A doctor can listen to your chest and test the muscles you breathe with."
        ),
        evidence=evidence,
    )


# The rule table. Order matters twice: it is the tie-break among flags of the same
# level, and a check may read the findings of rules above it (SENSORY reads WEAKNESS,
# CHECKLIST reads C1-C6), so CHECKLIST stays below every checklist rule. A rule's level
# here is where it fires unless its check raises it (WEAKNESS, SUDDEN_ONSET, BREATHING).
RULES = (
    Rule("SUDDEN_ONSET", Level.PROMPT, _sudden_onset, source="NICE NG127: sudden symptoms"),
    Rule("BREATHING", Level.PROMPT, _breathing, source="NICE NG42; NICE NG127"),
    Rule("MUSCLE_LOSS", Level.PROMPT, _muscle_loss, "C2", source="Seed red-flag table, checklist"),
    Rule("BULBAR", Level.PROMPT, _bulbar, "C5", source="Seed checklist; NICE NG42"),
    Rule("WEAKNESS", Level.SOON, _weakness, "C3", source="Seed red-flag table; NICE NG127"),
    Rule("COORDINATION", Level.SOON, _coordination, "C5", source="Seed checklist, red-flag table"),
    Rule("SENSORY", Level.SOON, _sensory, source="Seed red-flag table"),
    Rule("SPREADING", Level.SOON, _spreading, "C4", source="Seed red-flag table", silenced=True),
    Rule("PERSISTENCE", Level.ROUTINE, _persistence, "C1", source="Seed checklist", silenced=True),
    Rule("EYELID", Level.ROUTINE, _eyelid, source="Seed FAQ on eyelids; NHS", silenced=True),
    Rule(
        "MULTIPLE_AREAS", Level.INFO, _multiple_areas, source="El Escorial regions", silenced=True
    ),
    Rule(
        "FAMILY_HISTORY", Level.INFO, _family_history, "C6", source="Seed checklist", silenced=True
    ),
    Rule("CHECKLIST", Level.SOON, _checklist_rule, source="Seed checklist: two or more items"),
)


def _run(facts: _Facts) -> dict[str, _Finding]:
    """Every rule's finding before reassurance is applied, keyed by rule id."""
    found: dict[str, _Finding] = {}
    for rule in RULES:
        finding = rule.check(facts, found)
        if finding is not None:
            found[rule.id] = finding
    return found


def evaluate(history: History, today: date) -> list[Flag]:
    """The flags that fire for ``history`` on ``today``, highest level first.

    Deterministic: the same records in any order give the same flags, and flags of
    the same level keep the rule table's order.
    """
    facts = _gather(history, today)
    return _flags(facts, _run(facts))


def _flags(facts: _Facts, found: Mapping[str, _Finding]) -> list[Flag]:
    flags = [
        Flag(
            rule=rule.id,
            level=found[rule.id].level or rule.level,
            title=found[rule.id].title,
            message=found[rule.id].message,
            evidence=found[rule.id].evidence,
            checklist_item=rule.checklist_item,
            source=rule.source,
        )
        for rule in RULES
        if rule.id in found and not (facts.reassured and rule.silenced)
    ]
    # sorted() is stable, so equal levels keep the table order.
    return sorted(flags, key=lambda flag: flag.level, reverse=True)


def checklist(history: History, today: date) -> Checklist:
    """The six checklist items C1-C6 as the journal answers them on ``today``.

    Items are reported honestly even during reassurance; those it sets aside are
    marked ``silenced`` and do not count toward the CHECKLIST rule.
    """
    facts = _gather(history, today)
    return _checklist(facts, _run(facts))


def evaluate_with_checklist(history: History, today: date) -> tuple[list[Flag], Checklist]:
    """``evaluate`` and ``checklist`` together, from one pass of the rules over the journal."""
    facts = _gather(history, today)
    found = _run(facts)
    return _flags(facts, found), _checklist(facts, found)


def highest_level(flags: Iterable[Flag]) -> Level | None:
    """The highest level among ``flags``, or None when nothing fired."""
    return max((flag.level for flag in flags), default=None)
