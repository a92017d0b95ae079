"""What the red-flag card, the /flags/ page and the note after a save show.

The rules (rules.py) decide what fires; this module shapes the result for people:
the card's flags split into those at its level and the rest, each piece of evidence
gets a link to the entries behind it, the checklist gets yes/no answers, and a save
that brings something new gets a short note linking to /flags/. The card's action is
``rules.LEVEL_TEXT`` for its level, said once (RULES.md section 3), shared with the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html

from . import rules
from .history import build_history, local_today
from .models import Profile

# What the person sees above the headline, so the level reads at a glance. It names
# the level, never the action: the headline says that, once.
LEVEL_BADGES = {
    rules.Level.INFO: "For your information",
    rules.Level.ROUTINE: "Worth mentioning",
    rules.Level.SOON: "Worth a doctor's look",
    rules.Level.PROMPT: "Needs a doctor's check",
    rules.Level.EMERGENCY: "Urgent",
}

MOSTLY_HARMLESS = (
    "Most twitching is harmless. It usually comes and goes with everyday things such as "
    "stress, caffeine, tiredness or exercise."
)
# The card with nothing to show has no pattern to call "not a diagnosis".
JOURNAL_NOT_A_DIAGNOSIS = (
    "TwitchLog is a journal, not a diagnosis. Only a doctor who examines you can say what "
    "is behind your symptoms."
)
SUDDEN_IS_DIFFERENT = (
    "Most twitching is harmless. Symptoms that start suddenly are a different matter, "
    "which is why this card is urgent."
)
# On /flags/, where the card and the checklist show together (RULES.md section 3).
ONE_PATTERN_OR_TWO = (
    "One pattern alone can still raise the card above, because a single sign such as "
    "weakness is worth a doctor's look by itself, while the checklist weighs the whole "
    "picture and so counts two or more."
)

# Every pattern the rules look for, in plain words (RULES.md section 4).
PATTERNS_CHECKED = (
    ("Twitching that lasts", "Twitches that keep coming back for two weeks or more."),
    (
        "Twitching in several places",
        "Twitches that keep returning in three or more parts of the body over 28 days.",
    ),
    ("Weakness", "An everyday task becoming harder, more so if it happens again or grows."),
    ("A muscle looking smaller", "A muscle that looks thinner or hollow compared with before."),
    ("Speech or swallowing", "Words becoming harder to say clearly, or choking on food or drink."),
    ("Coordination", "Clumsiness, dropping things, or trouble keeping your balance."),
    (
        "Numbness or tingling",
        "Numbness or pins and needles that keep returning, or that come with weakness.",
    ),
    ("Breathing", "Feeling short of breath while resting or lying flat."),
    (
        "Sudden symptoms",
        "Weakness, a change in speech or swallowing, clumsiness, or numbness that comes on "
        "suddenly.",
    ),
    (
        "Eyelid twitching",
        "An eyelid that keeps twitching for two weeks or more, or twitches together with "
        "other parts of the face.",
    ),
    (
        "Family history",
        "A close relative with a nerve or muscle condition, if you have noted one, while you "
        "are logging twitches.",
    ),
)


@dataclass(frozen=True)
class EvidenceLine:
    """One reason behind a flag, with a link to the entries it points to (if any)."""

    text: str
    url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class ShownFlag:
    """A rule that fired, as the card shows it."""

    rule: str
    level: rules.Level
    title: str
    message: str
    evidence: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class ShownChecklistItem:
    """One checklist question with the journal's answer; ``code`` is for markup only."""

    code: str
    question: str
    holds: bool
    silenced: bool
    evidence: tuple[EvidenceLine, ...]

    @property
    def answer(self) -> str:
        """The answer in words, so it never depends on colour or an icon alone."""
        if self.silenced:
            return "Yes, set aside after your check-up"
        return "Yes" if self.holds else "No"


@dataclass(frozen=True)
class FlagSummary:
    """Everything the card needs: the flags, their level, and the person's situation."""

    today: date
    history: rules.History
    flags: tuple[ShownFlag, ...]
    level: rules.Level | None
    reassured_until: date | None  # last day reassurance quiets the twitch-pattern notes
    checklist: rules.Checklist  # C1-C6, from the same pass of the rules as the flags

    @property
    def leading(self) -> tuple[ShownFlag, ...]:
        """The flags at the card's own level: they come first."""
        return tuple(flag for flag in self.flags if flag.level is self.level)

    @property
    def also(self) -> tuple[ShownFlag, ...]:
        """The flags below the card's level: last, without its colour of urgency."""
        return tuple(flag for flag in self.flags if flag.level is not self.level)

    @property
    def level_code(self) -> str:
        """``info`` ... ``emergency``, or ``clear`` when nothing fired (for CSS and tests)."""
        return self.level.value if self.level else "clear"

    @property
    def text(self) -> rules.LevelText | None:
        """The shared headline and advice for the highest level."""
        return self.level.text if self.level else None

    @property
    def badge(self) -> str:
        if self.level:
            return LEVEL_BADGES[self.level]
        return "All clear" if self.has_entries else "Getting started"

    @property
    def is_emergency(self) -> bool:
        return self.level is rules.Level.EMERGENCY

    @property
    def sees_neurologist(self) -> bool:
        """Whether the card carries the prompt to see a neurologist (soon and prompt)."""
        return self.level in (rules.Level.SOON, rules.Level.PROMPT)

    @property
    def harmless_note(self) -> str:
        return SUDDEN_IS_DIFFERENT if self.is_emergency else MOSTLY_HARMLESS

    @property
    def not_a_diagnosis(self) -> str:
        return rules.NOT_A_DIAGNOSIS if self.level else JOURNAL_NOT_A_DIAGNOSIS

    @property
    def one_pattern_or_two(self) -> str:
        """Why one pattern can raise the card while the checklist counts two or more."""
        return ONE_PATTERN_OR_TWO

    @property
    def patterns(self) -> tuple[tuple[str, str], ...]:
        """Every pattern the checks look for, as (name, plain explanation)."""
        return PATTERNS_CHECKED

    @property
    def has_entries(self) -> bool:
        """Whether anything was logged in the last 90 days."""
        return bool(self.history.twitches or self.history.symptoms)


def flag_summary(user, today: date | None = None) -> FlagSummary:
    """Evaluate the person's journal on ``today`` (their local date by default).

    Queries: those of ``history.build_history`` (three, or four when the current
    episode began more than 90 days ago), and none of its own.
    """
    if today is None:
        today = local_today(user)
    history = build_history(user, today)
    flags, checklist = rules.evaluate_with_checklist(history, today)
    return FlagSummary(
        today=today,
        history=history,
        flags=tuple(
            ShownFlag(
                rule=flag.rule,
                level=flag.level,
                title=flag.title,
                message=flag.message,
                evidence=tuple(_evidence_line(e) for e in flag.evidence),
            )
            for flag in flags
        ),
        level=rules.highest_level(flags),
        reassured_until=reassured_until(history.reassured_on, today),
        checklist=checklist,
    )


def reassured_until(reassured_on: date | None, today: date) -> date | None:
    """The last day a doctor's reassurance quiets the twitch-pattern notes, if still ahead.

    None when there is no date, when it is after ``today`` (a mistyped date counts for
    nothing, as in the rules), or when the quiet period is over.
    """
    if reassured_on is None or reassured_on > today:
        return None
    last_day = reassured_on + timedelta(days=rules.REASSURANCE_DAYS - 1)
    return last_day if last_day >= today else None


def flag_checklist(summary: FlagSummary) -> tuple[ShownChecklistItem, ...]:
    """The six checklist items for the same journal and day as ``summary``."""
    return tuple(
        ShownChecklistItem(
            code=item.code,
            question=item.question,
            holds=item.holds,
            silenced=item.silenced,
            evidence=tuple(_evidence_line(e) for e in item.evidence),
        )
        for item in summary.checklist.items
    )


def _evidence_line(evidence: rules.Evidence) -> EvidenceLine:
    """Link one piece of evidence to the journal, filtered down to the entries behind it."""
    if not evidence.days:
        # Only the family-history line has no dates: it points to where it is set.
        return EvidenceLine(evidence.text, reverse("flags") + "#your-details", "Change this")
    return EvidenceLine(
        evidence.text,
        f"{reverse('journal')}?{urlencode(journal_filters(evidence))}",
        "See this entry" if _single_entry(evidence) else "See these entries",
    )


def journal_filters(evidence: rules.Evidence) -> dict[str, str]:
    """The /journal/ filters (JournalFilterForm) that show the entries behind ``evidence``.

    Its dates always; its place when it has one place or one region; its kind when it
    points only to twitches or only to symptoms.
    """
    filters = {
        "date_from": min(evidence.days).isoformat(),
        "date_to": max(evidence.days).isoformat(),
    }
    if len(evidence.locations) == 1:
        filters["place"] = evidence.locations[0]
    elif len(evidence.regions) == 1:
        filters["place"] = f"region:{evidence.regions[0]}"
    if evidence.twitch_ids and not evidence.symptom_ids:
        filters["kind"] = "twitch"
    elif evidence.symptom_ids and not evidence.twitch_ids:
        filters["kind"] = "symptom"
    return filters


def _single_entry(evidence: rules.Evidence) -> bool:
    return len(evidence.twitch_ids) + len(evidence.symptom_ids) == 1


@dataclass(frozen=True)
class FlagState:
    """The level of each rule that fires: what a save is compared against."""

    levels: dict[str, rules.Level]


# The note after a save, by the highest level among what is new. Below an emergency it
# gives no deadline: the card it links to states the one action.
_CHANGE_NOTES = {
    rules.Level.EMERGENCY: (
        "Your notes now show a sign that needs urgent help.",
        "See what to do now",
    ),
    rules.Level.PROMPT: (
        "Your notes now show something a doctor should check.",
        "See why and what to do",
    ),
    rules.Level.SOON: (
        "Your notes now show a pattern worth a doctor's look.",
        "See why and what to do",
    ),
    rules.Level.ROUTINE: (
        "Your notes now show something to mention at your next doctor's visit.",
        "See why",
    ),
    rules.Level.INFO: (
        "Your notes now show a pattern worth knowing about; nothing needs action.",
        "See why",
    ),
}


def flag_state(user, today: date | None = None) -> FlagState:
    """The rules firing for the person now, evaluated afresh.

    Queries: those of ``history.build_history``.
    """
    if today is None:
        today = local_today(user)
    flags = rules.evaluate(build_history(user, today), today)
    return FlagState({flag.rule: flag.level for flag in flags})


def flags_before_save(user, today: date | None = None) -> FlagState:
    """The flags as they stand before a save, to compare the save's outcome with.

    The state kept at the last change (``record_flags``) when it was worked out today:
    no query. On the first change of a day the kept state may be out of date (a rule
    can stop firing as its days pass), so the journal is evaluated instead.
    """
    if today is None:
        today = local_today(user)
    profile = user.profile
    if profile.flags_evaluated_on == today:
        return FlagState({rule: rules.Level(level) for rule, level in profile.flag_levels.items()})
    return flag_state(user, today)


def record_flags(user, today: date | None = None) -> FlagState:
    """Evaluate the flags after a change to the journal and keep them on the profile.

    Every change that can move a flag calls this once: a twitch or symptom saved,
    changed or deleted, an import, a new reassurance date or family history. The
    next save then compares against the kept state instead of evaluating twice.

    Queries: those of ``history.build_history``, and one update of the profile.
    """
    if today is None:
        today = local_today(user)
    state = flag_state(user, today)
    levels = {rule: level.value for rule, level in state.levels.items()}
    profile = user.profile
    Profile.objects.filter(pk=profile.pk).update(flag_levels=levels, flags_evaluated_on=today)
    profile.flag_levels, profile.flags_evaluated_on = levels, today
    return state


def change_note(before: FlagState, after: FlagState):
    """A short HTML-safe note when a rule newly fires or rises a level, else None.

    Built with ``format_html``, so it can go into a Django message and keep its link
    to /flags/ without trusting any text it did not write itself.
    """
    level = _news_level(before, after)
    if level is None:
        return None
    sentence, link_text = _CHANGE_NOTES[level]
    return format_html('{} <a href="{}">{}</a>.', sentence, reverse("flags"), link_text)


def saved_message(text: str, before: FlagState, after: FlagState) -> tuple[int, str]:
    """The message level and text confirming a save, with the change note when there is one.

    Something new at ``soon`` or above is a warning, an emergency an error, so the
    confirmation cannot be mistaken for routine; otherwise it stays a plain success.
    """
    level = _news_level(before, after)
    if level is None:
        return messages.SUCCESS, text
    if level is rules.Level.EMERGENCY:
        tone = messages.ERROR
    elif level >= rules.Level.SOON:
        tone = messages.WARNING
    else:
        tone = messages.SUCCESS
    return tone, format_html("{} {}", text, change_note(before, after))


def _news_level(before: FlagState, after: FlagState) -> rules.Level | None:
    """The highest level among rules that fire newly or higher than before."""
    return max(
        (
            level
            for rule, level in after.levels.items()
            if rule not in before.levels or level > before.levels[rule]
        ),
        default=None,
    )
