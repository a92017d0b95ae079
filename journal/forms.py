"""Forms of the journal. Each one re-renders with the person's input on error."""

import datetime
from decimal import Decimal
from functools import partial

from allauth.account.forms import SignupForm as AccountSignupForm
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.forms import password_is_right

from . import body, exports, wording, zones
from .models import (
    CAFFEINE_FIELDS,
    CAFFEINE_MG_PER_SERVING,
    EARLIEST_DAY,
    FUTURE_TOLERANCE,
    MAX_CAFFEINE_MG,
    MAX_DURATION_SECONDS,
    NOTES_MAX_LENGTH,
    DailyCheckIn,
    Profile,
    SymptomEntry,
    TwitchEntry,
    caffeine_from_servings,
    validate_reassured_on,
)


def time_zone_choices():
    """The canonical IANA zones, UTC first, as people read them ("America/New York")."""
    return [(name, wording.time_zone_text(name)) for name in zones.canonical_zones()]


class TimeZoneSelect(forms.Select):
    """The zone picker: each zone carries its country, so a search finds "India" too."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        country = zones.canonical_zones().get(value)
        if country:
            option["attrs"]["data-country"] = country
        return option


class SignUpForm(AccountSignupForm):
    """Sign up with an email address (the sign-in name) and a password; the profile
    starts with the name and time zone given here. allauth checks the address by email
    before the first sign-in, and answers alike whether or not it already has an account.
    """

    display_name = forms.CharField(
        label="Your name (optional)",
        max_length=80,
        required=False,
        help_text="Used to greet you and printed on your doctor's summary.",
    )
    # Filled in by the browser (static/js/signup.js) with its own zone; changed in Settings.
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    field_order = ("email", "display_name", "time_zone", "password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"email": "Email", "password1": "Password", "password2": "Password again"}
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["email"].widget.attrs.update({"autofocus": True, "autocomplete": "email"})

    def clean_time_zone(self) -> str:
        """The browser's zone as its canonical name; UTC when the browser gave none that
        people live by (an old browser, JavaScript off, or a made-up value)."""
        return zones.canonical(self.cleaned_data["time_zone"].strip()) or zones.UTC

    def signup(self, request, user):
        """Called by allauth once the account exists (its Profile made by the signal)."""
        profile = user.profile
        profile.display_name = self.cleaned_data["display_name"]
        profile.time_zone = self.cleaned_data["time_zone"]
        profile.save(update_fields=["display_name", "time_zone"])


EARLIEST_BIRTH_DATE = EARLIEST_DAY


class CanonicalZoneField(forms.ChoiceField):
    """A zone from the list; an older or alias name of one ("Asia/Calcutta", from a backup
    made when every raw name was on offer) is read as the zone it stands for."""

    def to_python(self, value):
        value = super().to_python(value)
        return zones.canonical(value) or value


class ProfileSettingsForm(forms.ModelForm):
    """The settings page: how the journal greets the person and keeps their days."""

    time_zone = CanonicalZoneField(
        label="Time zone",
        choices=time_zone_choices,
        widget=TimeZoneSelect,
        help_text="Entries are shown, charted and checked by the day in this time zone.",
    )

    class Meta:
        model = Profile
        fields = ("display_name", "time_zone", "date_of_birth")
        labels = {"display_name": "Your name", "date_of_birth": "Date of birth (optional)"}
        help_texts = {
            "display_name": "Used to greet you and printed on your doctor's summary.",
            "date_of_birth": "Printed on your doctor's summary when given.",
        }
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The person's today: the page's active time zone is theirs; an import says it.
        self.today = today or timezone.localdate()
        field = self.fields["date_of_birth"]
        field.widget.attrs.update(min=EARLIEST_BIRTH_DATE.isoformat(), max=self.today.isoformat())
        # A zone saved under an older or alias name shows as the zone it stands for;
        # one with no canonical match stays on offer, so saving keeps it.
        current = self.instance.time_zone
        if current not in zones.canonical_zones():
            same = zones.canonical(current)
            if same:
                self.initial["time_zone"] = same
            else:
                zone = self.fields["time_zone"]
                zone.choices = [*zone.choices, (current, wording.time_zone_text(current))]

    def clean_date_of_birth(self):
        day = self.cleaned_data["date_of_birth"]
        if day is not None and not EARLIEST_BIRTH_DATE <= day <= self.today:
            raise forms.ValidationError(
                "Enter a date of birth from %(earliest)s to today.",
                code="out_of_range",
                params={"earliest": wording.long_date(EARLIEST_BIRTH_DATE, weekday=False)},
            )
        return day


# The journal's forms: twitches, symptoms, daily check-ins and the journal's filters.

# Duration presets for a twitch (body.DURATION_PRESETS), stored as whole seconds.
DURATION_UNKNOWN = "unknown"
DURATION_PRESETS = (
    (DURATION_UNKNOWN, "Not sure"),
    *((str(seconds), label) for seconds, label in body.DURATION_PRESETS),
)
_PRESET_SECONDS = {int(value) for value, _ in DURATION_PRESETS if value != DURATION_UNKNOWN}


NOTES_ERROR = "Notes can be up to 2,000 characters; these have %(show_value)s."
PLACE_ERROR = "Choose a place from the list, or tap it on the body map."


def _region_locations(region):
    return [(code, label) for code, label in body.LOCATIONS if body.REGION_OF[code] == region]


def location_choices(*, include_all_over: bool, blank_label: str):
    """Locations grouped by region for a <select>, with a blank first option."""
    groups = [("", blank_label)]
    for region, region_name in body.REGIONS:
        groups.append((region_name, _region_locations(region)))
    if include_all_over:
        groups.append(("Many places", [(body.ALL_OVER, body.location_label(body.ALL_OVER))]))
    return groups


class PlaceSelect(forms.Select):
    """The place list: each place carries its everyday words, for the log page's search."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        words = body.PLACE_WORDS.get(value)
        if words:
            option["attrs"]["data-words"] = ",".join(words)
        return option


def place_filter_choices():
    """The journal's place filter: a whole region, or one location, or anywhere."""
    groups = [("", "Anywhere")]
    for region, region_name in body.REGIONS:
        options = [(f"region:{region}", f"Anywhere in: {region_name.lower()}")]
        groups.append((region_name, options + _region_locations(region)))
    groups.append(("Many places", [(body.ALL_OVER, body.location_label(body.ALL_OVER))]))
    return groups


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _chips(multiple=False):
    """Radio buttons or checkboxes drawn as large toggle buttons (Bootstrap's btn-check)."""
    widget = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
    return widget(attrs={"class": "btn-check"})


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the person's own time zone (the active one).

    Django's field refuses a wall-clock time that a daylight-saving change makes
    ambiguous (01:30 twice in autumn) or skips (02:30 in spring). Someone logging a
    twitch at that hour deserves an answer, not an error: the first 01:30 is taken,
    and a skipped time keeps the offset from before the change (02:30 becomes 03:30).
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            parsed = value
        else:
            try:
                parsed = parse_datetime(value)
            except ValueError:
                parsed = None
            if parsed is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            parsed = parsed.replace(tzinfo=timezone.get_current_timezone(), fold=0)
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            # Year 1 or 9999 pushed past the calendar's edge by a time zone offset.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class NotesField(forms.CharField):
    """Free-text notes of at most 2,000 characters.

    Browsers count a line break as one character but send two ("\\r\\n"); counting
    them as one here keeps the limit the same as the one the text box shows.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Notes (optional)")
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NOTES_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("error_messages", {"max_length": NOTES_ERROR})
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class TwitchForm(forms.ModelForm):
    """Log or edit a twitch: when, where, how long, how strong, and what may have set it off."""

    occurred_at = LocalDateTimeField(
        label="When",
        help_text="Now, unless you change it (for a twitch you are logging late).",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "min": f"{EARLIEST_DAY.isoformat()}T00:00"},
            format="%Y-%m-%dT%H:%M",
        ),
        error_messages={
            "required": "Enter when you felt it.",
            "invalid": "Enter a date and a time, such as 2025-03-01 14:30.",
        },
    )
    location = forms.ChoiceField(
        label="Place",
        choices=partial(location_choices, include_all_over=True, blank_label="Choose a place"),
        widget=PlaceSelect,
        help_text=(
            "Tap the body map, or choose here. Use \u201call over\u201d only when you "
            "cannot name a place: a specific place tells you and your doctor more."
        ),
        error_messages={
            "required": "Tap where you felt it on the body map, or choose the place here.",
            "invalid_choice": PLACE_ERROR,
        },
    )
    side = forms.ChoiceField(
        label="Side",
        choices=body.SIDES,
        required=False,
        widget=_chips(),
        help_text="Your own left or right.",
        error_messages={"invalid_choice": "Choose left, right, both sides or the middle."},
    )
    duration_preset = forms.ChoiceField(
        label="How long",
        choices=DURATION_PRESETS,
        required=False,
        initial=DURATION_UNKNOWN,
        widget=_chips(),
        error_messages={"invalid_choice": "Choose one of the lengths shown."},
    )
    duration_typed = forms.IntegerField(
        label="Or type the seconds",
        required=False,
        min_value=0,
        max_value=MAX_DURATION_SECONDS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "seconds"}),
        error_messages={
            "invalid": "Enter a whole number of seconds, such as 20.",
            "min_value": "Enter 0 seconds or more.",
            "max_value": "A twitch can be logged for up to 24 hours (86,400 seconds).",
        },
    )
    intensity = forms.TypedChoiceField(
        label="How strong (optional)",
        choices=body.INTENSITIES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=_chips(),
        help_text="Faint: you feel it. Visible: you can see it. Strong: it moves the skin a "
        "lot. Left out, it is kept as not noted.",
        error_messages={
            "required": "Choose how strong it was.",
            "invalid_choice": "Choose faint, visible or strong.",
        },
    )
    triggers = forms.MultipleChoiceField(
        label="What might have set it off? (optional)",
        choices=body.TRIGGERS,
        required=False,
        widget=_chips(multiple=True),
        error_messages={"invalid_choice": "Choose the possible causes from the list shown."},
    )
    notes = NotesField()

    class Meta:
        model = TwitchEntry
        fields = ("occurred_at", "location", "side", "intensity", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("occurred_at") is None:
            self.initial["occurred_at"] = timezone.now().replace(second=0, microsecond=0)
        if self.instance.pk is not None:
            self.fields["occurred_at"].help_text = "In your own time zone."
            self.initial["triggers"] = self.instance.trigger_codes
            seconds = self.instance.duration_seconds
            if seconds is None:
                self.initial["duration_preset"] = DURATION_UNKNOWN
            elif seconds in _PRESET_SECONDS:
                self.initial["duration_preset"] = str(seconds)
            else:
                self.initial["duration_preset"] = ""
                self.initial["duration_typed"] = seconds

    def clean_occurred_at(self):
        when = self.cleaned_data["occurred_at"]
        now = timezone.now()
        if when > now + FUTURE_TOLERANCE:
            local_now = timezone.localtime(now)
            raise forms.ValidationError(
                f"That time is still to come: it is {local_now:%H:%M} on "
                f"{wording.long_date(local_now.date(), weekday=False, year=False)} where you are. "
                "Choose now or an earlier time."
            )
        stored = self.instance.occurred_at if self.instance.pk is not None else None
        if stored is not None and when == stored.replace(second=0, microsecond=0):
            # The time shown, left as it was: keep it to the second, and with it the
            # local date the entry was logged on.
            return stored
        # The day before in UTC first, so that no far-off year is turned into local time.
        if when.date() < EARLIEST_DAY - datetime.timedelta(days=1) or (
            timezone.localtime(when).date() < EARLIEST_DAY
        ):
            raise forms.ValidationError(
                f"Enter a time from {wording.long_date(EARLIEST_DAY, weekday=False)} on: "
                "an earlier year is most likely a typing slip."
            )
        return when

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("duration_typed")
        preset = cleaned.get("duration_preset") or DURATION_UNKNOWN
        if typed is not None:
            self.duration_seconds = typed
        elif preset == DURATION_UNKNOWN:
            self.duration_seconds = None
        else:
            self.duration_seconds = int(preset)
        return cleaned

    def save(self, commit=True):
        """Save the entry and its triggers (the caller wraps this in a transaction)."""
        entry = super().save(commit=False)
        entry.duration_seconds = self.duration_seconds
        if commit:
            new = entry._state.adding
            entry.save()
            entry.set_triggers(self.cleaned_data["triggers"], new=new)
        return entry


class SymptomForm(forms.ModelForm):
    """Note a symptom on a day: what it is, how bad, how it came on, and where."""

    noted_on = forms.DateField(
        label="Date",
        widget=_date_input(),
        error_messages={
            "required": "Enter the day you noticed it.",
            "invalid": "Enter a date, such as 2025-03-01.",
        },
    )
    kind = forms.ChoiceField(
        label="What did you notice?",
        choices=body.SYMPTOM_KINDS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Choose what you noticed.",
            "invalid_choice": "Choose one of the symptoms listed.",
        },
    )
    severity = forms.TypedChoiceField(
        label="How much does it affect you?",
        choices=body.SEVERITIES,
        coerce=int,
        initial=1,
        widget=_chips(),
        error_messages={
            "required": "Choose mild, moderate or severe.",
            "invalid_choice": "Choose mild, moderate or severe.",
        },
    )
    onset = forms.ChoiceField(
        label="How did it start?",
        choices=body.ONSETS,
        initial="gradual",
        widget=_chips(),
        error_messages={
            "required": "Choose whether it came on gradually or suddenly.",
            "invalid_choice": "Choose whether it came on gradually or suddenly.",
        },
    )
    location = forms.ChoiceField(
        label="Where (optional)",
        choices=partial(location_choices, include_all_over=False, blank_label="Not one place"),
        required=False,
        error_messages={"invalid_choice": "Choose a place from the list, or leave it empty."},
    )
    side = forms.ChoiceField(
        label="Side (optional)",
        choices=body.SIDES,
        required=False,
        widget=_chips(),
        error_messages={"invalid_choice": "Choose left, right, both sides or the middle."},
    )
    notes = NotesField()

    class Meta:
        model = SymptomEntry
        fields = ("noted_on", "kind", "severity", "onset", "location", "side", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("noted_on") is None:
            self.initial["noted_on"] = timezone.localdate()

    def kind_options(self):
        """Each kind's radio button with its plain-words explanation."""
        return [(radio, body.SYMPTOM_HELP[radio.data["value"]]) for radio in self["kind"]]

    def clean_noted_on(self):
        day = self.cleaned_data["noted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "That day is still to come. Choose today or an earlier day."
            )
        return day


class DecimalInput(forms.NumberInput):
    """A number box that shows a saved 3.0 as "3" and 6.5 as "6.5", as it was typed."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return wording.number(value)
        return super().format_value(value)


def _decimal(label, max_value, *, help_text="", step="0.5"):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=max_value,
        max_digits=4,
        decimal_places=1,
        help_text=help_text,
        widget=DecimalInput(attrs={"step": step, "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter a number, such as 1.5.",
            "min_value": "Enter 0 or more.",
            "max_value": f"Enter at most {max_value}.",
            "max_decimal_places": "Use at most one decimal place, such as 1.5.",
            "max_digits": f"Enter at most {max_value}.",
        },
    )


class CheckInForm(forms.ModelForm):
    """A day's check-in. Caffeine is kept as entered (cups, cans, other mg); the check-in
    works out its total in mg."""

    day = forms.DateField(
        label="Day",
        widget=_date_input(),
        error_messages={
            "required": "Enter the day this check-in is for.",
            "invalid": "Enter a date, such as 2025-03-01.",
        },
    )
    coffee_cups = _decimal(
        "Cups of coffee", 20, help_text=f"About {CAFFEINE_MG_PER_SERVING['coffee']} mg a cup."
    )
    tea_cups = _decimal(
        "Cups of tea", 20, help_text=f"About {CAFFEINE_MG_PER_SERVING['tea']} mg a cup."
    )
    energy_drinks = _decimal(
        "Energy drinks",
        20,
        help_text=f"About {CAFFEINE_MG_PER_SERVING['energy']} mg a 250 ml can.",
    )
    other_caffeine_mg = forms.IntegerField(
        label="Other (mg)",
        required=False,
        min_value=0,
        max_value=MAX_CAFFEINE_MG,
        help_text="Cola, tablets, or a total you know.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a whole number of mg, such as 40.",
            "min_value": "Enter 0 or more.",
            "max_value": "Enter at most 2,000 mg.",
        },
    )
    sleep_hours = _decimal("Sleep (hours)", 24, help_text="Last night.")
    stress = forms.TypedChoiceField(
        label="Stress today",
        choices=(("", "No answer"), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")),
        help_text="1 is calm, 5 is very stressed.",
        coerce=int,
        empty_value=None,
        required=False,
        widget=_chips(),
        error_messages={"invalid_choice": "Choose a number from 1 (calm) to 5 (very stressed)."},
    )
    exercise = forms.ChoiceField(
        label="Exercise today",
        choices=(("", "No answer"), *body.EXERCISE_LEVELS),
        required=False,
        widget=_chips(),
        error_messages={"invalid_choice": "Choose none, light, moderate or hard."},
    )
    alcohol_units = _decimal(
        "Alcohol (units)",
        100,
        help_text="A unit is about a small glass of wine or half a pint of ordinary beer.",
    )
    water_litres = _decimal("Water (litres)", 20, help_text="And other plain drinks.")
    notes = NotesField()

    class Meta:
        model = DailyCheckIn
        fields = (
            "day",
            *CAFFEINE_FIELDS,
            "sleep_hours",
            "stress",
            "exercise",
            "alcohol_units",
            "water_litres",
            "notes",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("day") is None:
            self.initial["day"] = timezone.localdate()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "That day is still to come. Choose today or an earlier day."
            )
        taken = DailyCheckIn.objects.filter(user=self.instance.user, day=day)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"You already have a check-in for {wording.long_date(day)}. "
                "Change that one instead, or choose another day."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        entered = {name: cleaned.get(name) for name in CAFFEINE_FIELDS}
        total = caffeine_from_servings(**entered)
        if total is not None and total > MAX_CAFFEINE_MG:
            first = next(name for name, value in entered.items() if value is not None)
            self.add_error(
                first,
                f"That adds up to {total:,} mg of caffeine, more than the "
                f"{MAX_CAFFEINE_MG:,} mg a day this journal accepts. Check the numbers.",
            )
        return cleaned


# The journal's date filters accept any day a journal could sensibly hold; beyond these,
# a time zone offset could push a day off the edge of the calendar.
FILTER_FIRST_DAY = EARLIEST_DAY
FILTER_LAST_DAY = datetime.date(2999, 12, 31)


class JournalFilterForm(forms.Form):
    """The journal's filters (GET): dates, a place or region, and a kind of entry."""

    KINDS = (
        ("", "Everything"),
        ("twitch", "Twitches"),
        ("symptom", "Symptoms"),
        ("checkin", "Check-ins"),
    )

    date_from = forms.DateField(
        label="From",
        required=False,
        widget=_date_input(),
        error_messages={"invalid": "Enter a date, such as 2025-03-01."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=_date_input(),
        error_messages={"invalid": "Enter a date, such as 2025-03-31."},
    )
    place = forms.ChoiceField(
        label="Place",
        required=False,
        choices=place_filter_choices,
        error_messages={"invalid_choice": "Choose a place or an area from the list."},
    )
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=KINDS,
        error_messages={"invalid_choice": "Choose what to show from the list."},
    )

    def _clean_date(self, name):
        day = self.cleaned_data[name]
        if day is not None and not FILTER_FIRST_DAY <= day <= FILTER_LAST_DAY:
            raise forms.ValidationError(
                f"Choose a date between {FILTER_FIRST_DAY.year} and {FILTER_LAST_DAY.year}."
            )
        return day

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict:
        """The valid filters only, so one bad field never hides the whole journal."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in self.fields}

    @property
    def active(self) -> bool:
        return any(self.filters().values())


class FlagDetailsForm(forms.ModelForm):
    """The two facts about the person that change the red-flag checks (/flags/)."""

    class Meta:
        model = Profile
        fields = ("reassured_on", "family_history")
        labels = {
            "reassured_on": "When did a doctor last examine you and find nothing serious?",
            "family_history": (
                "Has a parent, brother, sister or child had a nerve or muscle condition?"
            ),
        }
        help_texts = {
            "reassured_on": (
                "Optional. For 90 days after this date, notes about how long or how widely "
                "you twitch stay quiet, since a doctor has already looked. Notes about "
                "symptoms such as weakness, speech, swallowing or breathing always show. "
                "Leave it empty if you have not been examined."
            ),
            "family_history": (
                "A yes adds a note to mention at any doctor's visit about your twitches, and "
                "counts as one checklist item while you are logging twitches. On its own it "
                "never asks you to see a doctor."
            ),
        }
        widgets = {
            "reassured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "family_history": forms.RadioSelect,
        }

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["reassured_on"].widget.attrs["max"] = today.isoformat()

    def clean_reassured_on(self):
        day = self.cleaned_data["reassured_on"]
        validate_reassured_on(day, self.today)
        return day


TRENDS_RANGES = (
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "1 year"),
    ("all", "All"),
    ("custom", "Custom dates"),
)
TRENDS_DEFAULT_RANGE = "90"
# A custom range longer than this is refused: it would only draw an unreadable chart.
TRENDS_MAX_CUSTOM_DAYS = 10 * 366


class TrendsRangeForm(forms.Form):
    """The trends page's range picker (GET): a preset number of days, all, or custom dates.

    Invalid input never breaks the page: the errors show beside the fields and
    `dates()` falls back to the default of the last 90 days.
    """

    range = forms.ChoiceField(
        label="Time range",
        choices=TRENDS_RANGES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the ranges shown."},
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs["max"] = today.isoformat()

    @property
    def selected(self) -> str:
        """The range the page shows: the chosen one when valid, else the default."""
        if self.is_bound and self.is_valid() and self.cleaned_data["range"]:
            return self.cleaned_data["range"]
        return TRENDS_DEFAULT_RANGE

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("range") != "custom":
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Enter the first day to show.")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Enter the last day to show.")
        if end is not None and end > self.today:
            self.add_error("end", "This date is in the future. Choose today or an earlier day.")
        elif start is not None and end is not None:
            if start > end:
                self.add_error("end", "The last day must be on or after the first day.")
            elif (end - start).days + 1 > TRENDS_MAX_CUSTOM_DAYS:
                self.add_error("start", "Choose a range of at most ten years.")
        return cleaned

    def dates(self, first_day) -> tuple[datetime.date, datetime.date]:
        """The first and last day chosen; "all" starts on ``first_day``, the journal's first
        entry (today for an empty journal)."""
        choice = self.selected
        if choice == "custom":
            return self.cleaned_data["start"], self.cleaned_data["end"]
        end = self.today
        if choice == "all":
            return (min(first_day, end) if first_day is not None else end), end
        return end - datetime.timedelta(days=int(choice) - 1), end


class HabitsStartForm(forms.ModelForm):
    """The day the person started the lifestyle plan, for the before/after comparison."""

    class Meta:
        model = Profile
        fields = ("habits_changed_on",)
        labels = {"habits_changed_on": "The day you started changing your habits"}
        help_texts = {
            "habits_changed_on": (
                "For example less caffeine, more water, regular sleep or time to unwind."
            )
        }
        widgets = {
            "habits_changed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["habits_changed_on"]
        field.required = True
        field.error_messages["required"] = "Enter the day you started the changes."
        field.widget.attrs["max"] = today.isoformat()

    def clean_habits_changed_on(self):
        day = self.cleaned_data["habits_changed_on"]
        if day > self.today:
            raise forms.ValidationError(
                "This date is in the future. Enter the day you started, today or earlier."
            )
        return day


class ImportForm(forms.Form):
    """Upload a CSV or JSON file exported from TwitchLog to add its entries to the journal."""

    file = forms.FileField(
        label="File to import",
        help_text=(
            "A CSV or JSON file exported from TwitchLog, "
            f"up to {exports.MAX_IMPORT_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > exports.MAX_IMPORT_BYTES:
            limit = exports.MAX_IMPORT_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                f"This file is larger than {limit} MB. Split it into smaller files and "
                "import them one at a time."
            )
        if exports.detect_format(upload) is None:
            raise forms.ValidationError(
                "This does not look like a CSV or JSON file. Choose a file exported from "
                "TwitchLog, ending in .csv or .json."
            )
        return upload


class ImportConfirmForm(forms.Form):
    """Confirm or cancel the import a preview showed; the token names that preview."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    replace_profile = forms.BooleanField(
        label="Also replace my profile details with the file's",
        required=False,
        help_text="Left unticked, your profile stays as it is and only entries are added.",
    )


class AccountDeleteForm(forms.Form):
    """Confirm with the account's password before everything is erased."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password to confirm that you want to delete everything.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Checked as a sign-in attempt: wrong guesses here pause like wrong sign-ins.
        if not password_is_right(self.user, password):
            raise forms.ValidationError(
                "That is not your password. Nothing has been deleted; please try again."
            )
        return password


# The doctor's summary covers at most this many years; longer would be a book, not a summary.
REPORT_MAX_YEARS = 5
REPORT_DEFAULT_DAYS = 90


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar date ``years`` earlier (29 February becomes the 28th)."""
    if day.year - years < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class ReportRangeForm(forms.Form):
    """The period of the doctor's summary (GET). Empty fields mean the last 90 days."""

    start = forms.DateField(
        label="From",
        required=False,
        widget=_date_input(),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2025-03-01."},
        help_text="Leave empty for 90 days before the last day.",
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=_date_input(),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2025-05-29."},
        help_text="Leave empty for today.",
    )
    every_entry = forms.BooleanField(
        label="Include every entry",
        required=False,
        help_text="Adds a list of every twitch with its time, length, strength, triggers and "
        "notes after the table of each day. It can run to many pages.",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_bound:
            self.initial = {"start": self.default_start(today), "end": today}
        for name in ("start", "end"):
            self.fields[name].widget.attrs["max"] = today.isoformat()

    @staticmethod
    def default_start(end: datetime.date) -> datetime.date:
        """The first day of the default period: the 90 days ending on ``end``."""
        if end - datetime.date.min < datetime.timedelta(days=REPORT_DEFAULT_DAYS - 1):
            return datetime.date.min
        return end - datetime.timedelta(days=REPORT_DEFAULT_DAYS - 1)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or self.default_start(end)
        if end > self.today:
            self.add_error("end", "This date is in the future. Choose today or an earlier day.")
        elif start > end:
            self.add_error("start", "The first day must be on or before the last day.")
        elif start <= _years_before(end, REPORT_MAX_YEARS):
            self.add_error(
                "start",
                f"Choose a period of at most {REPORT_MAX_YEARS} years, for example from "
                f"{_years_before(end, REPORT_MAX_YEARS) + datetime.timedelta(days=1):%Y-%m-%d}.",
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
