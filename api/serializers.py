"""The API's entries, checked by the same forms as the pages (journal/forms.py).

Each serializer declares its fields once: they give the OpenAPI schema, the JSON
types a request must use, and the shape of every answer. The rules themselves (what
is a valid place, a time still to come, a second check-in for a day...) and their
messages stay in the forms: a request is first checked for JSON types, then handed
to the entry's form, and the form's errors come back under the API's field names.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from journal import body
from journal.forms import CheckInForm, SymptomForm, TwitchForm
from journal.models import (
    MAX_DURATION_SECONDS,
    NOTES_MAX_LENGTH,
    SERVING_FIELDS,
    DailyCheckIn,
    SymptomEntry,
    TwitchEntry,
)

NOT_AN_OBJECT = 'Send the entry as a JSON object, such as {"location": "calf"}.'
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _codes(pairs) -> list:
    return [code for code, _ in pairs]


def _type_error(field: serializers.Field, value) -> str | None:
    """Why ``value`` is not of the JSON type ``field`` declares, or None when it is."""
    if value is None:
        return None if field.allow_null else "Leave this field out rather than sending null."
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return 'Send a list of codes, such as ["caffeine", "stress"].'
        return None
    if isinstance(field, serializers.DateTimeField):
        return (
            None
            if _aware_moment(value)
            else ("Send a date and time with its offset, such as 2025-03-01T14:30:00+01:00.")
        )
    if isinstance(field, serializers.DateField):
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            return None
        return "Send a date as YYYY-MM-DD, such as 2025-03-01."
    if isinstance(field, serializers.ChoiceField):
        kinds = {type(code) for code in field.choices}
        if kinds == {int}:
            return None if _is_int(value) else "Send one of the numbers listed for this field."
        return None if isinstance(value, str) else "Send one of the codes listed for this field."
    if isinstance(field, serializers.IntegerField):
        return None if _is_int(value) else "Send a whole number, such as 20."
    if isinstance(field, serializers.DecimalField | serializers.FloatField):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if number else "Send a number, such as 7.5."
    if isinstance(field, serializers.CharField):
        return None if isinstance(value, str) else "Send text."
    return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _aware_moment(value) -> datetime.datetime | None:
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class OffsetDateTimeField(serializers.DateTimeField):
    """ISO 8601 in the person's time zone, with its offset. Before standard time zones
    (before about 1900) a zone's offset can hold seconds, which RFC 3339 cannot write:
    such a moment is given in UTC instead."""

    def to_representation(self, value):
        local = timezone.localtime(value)
        if local.utcoffset().seconds % 60:
            local = value.astimezone(datetime.UTC)
        return super().to_representation(local)

    def enforce_timezone(self, value):
        return value


class FormBackedSerializer(serializers.ModelSerializer):
    """Validates with ``form_class``: JSON types first, then the form's own rules.

    Fields a request leaves out keep what the form would show: the entry's current
    values when changing it, the form's defaults (now, today, "visible"...) when
    creating one (no strength noted...).
    """

    form_class: type
    # API field name -> the form's field name, where they differ.
    form_names: dict[str, str] = {}
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: OffsetDateTimeField,
    }

    def writable_fields_by_name(self) -> dict[str, serializers.Field]:
        return {field.field_name: field for field in self._writable_fields}

    def new_instance(self):
        return self.Meta.model(user=self.context["request"].user)

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
        fields = self.writable_fields_by_name()
        given = {name: data[name] for name in fields if name in data}
        type_errors = {
            name: [problem]
            for name, value in given.items()
            if (problem := _type_error(fields[name], value))
        }
        if type_errors:
            raise serializers.ValidationError(type_errors)
        form = self._bound_form(given)
        if not form.is_valid():
            raise serializers.ValidationError(self.api_errors(form.errors))
        return {"form": form}

    def _bound_form(self, given: dict):
        instance = self.instance if self.instance is not None else self.new_instance()
        unbound = self.form_class(instance=instance)
        values = {name: unbound[name].initial for name in unbound.fields}
        values.update(self.form_values(given))
        return self.form_class(data=values, instance=instance)

    def form_values(self, given: dict) -> dict:
        """The request's values under the form's field names."""
        values = {}
        for name, value in given.items():
            if isinstance(self.fields[name], serializers.DateTimeField) and value is not None:
                value = _aware_moment(value)
            values[self.form_names.get(name, name)] = value
        return values

    def api_errors(self, errors) -> dict[str, list[str]]:
        """The form's errors under the API's field names."""
        api_names = {form_name: name for name, form_name in self.form_names.items()}
        api_names["__all__"] = "non_field_errors"
        result: dict[str, list[str]] = {}
        for name, messages in errors.items():
            result.setdefault(api_names.get(name, name), []).extend(messages)
        return result

    def create(self, validated_data):
        return self._save(validated_data["form"])

    def update(self, instance, validated_data):
        return self._save(validated_data["form"])

    def _save(self, form):
        """Save the entry whole or not at all; a clash with a save made meanwhile (a second
        check-in for the same day) comes back as the form's own error."""
        try:
            with transaction.atomic():
                return form.save()
        except IntegrityError:
            again = self.form_class(data=form.data, instance=form.instance)
            if again.is_valid():
                raise
            raise serializers.ValidationError(self.api_errors(again.errors)) from None


def _notes_field():
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTES_MAX_LENGTH,
        help_text="Free text, up to 2,000 characters.",
    )


class TwitchSerializer(FormBackedSerializer):
    """One twitch: when, where, how long, how strong, and what may have set it off."""

    form_class = TwitchForm
    form_names = {"duration_seconds": "duration_typed"}

    occurred_at = OffsetDateTimeField(
        required=False,
        help_text=(
            "When it happened, ISO 8601 with an offset. Left out: now. Answers give it in "
            "the time zone the person had when it was logged."
        ),
    )
    local_date = serializers.SerializerMethodField(
        help_text="The day the twitch belongs to in the person's journal (their local date)."
    )
    location = serializers.ChoiceField(
        choices=_codes(body.TWITCH_LOCATIONS), help_text="A location code from vocabulary/."
    )
    side = serializers.ChoiceField(
        choices=_codes(body.SIDES), required=False, allow_blank=True, help_text="Empty: not given."
    )
    duration_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_DURATION_SECONDS,
        help_text="Whole seconds; null when unknown (the default).",
    )
    intensity = serializers.ChoiceField(
        choices=_codes(body.INTENSITIES),
        required=False,
        allow_null=True,
        help_text="1 faint, 2 visible, 3 strong; null when not noted (the default).",
    )
    triggers = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes(body.TRIGGERS)),
        source="trigger_codes",
        required=False,
        help_text="Trigger codes from vocabulary/.",
    )
    notes = _notes_field()

    class Meta:
        model = TwitchEntry
        fields = (
            "id",
            "occurred_at",
            "local_date",
            "location",
            "side",
            "duration_seconds",
            "intensity",
            "triggers",
            "notes",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")

    @extend_schema_field(OpenApiTypes.DATE)
    def get_local_date(self, entry) -> datetime.date:
        return entry.local_date

    def to_representation(self, entry):
        data = super().to_representation(entry)
        # On the clock it was logged on, so it reads on its local_date whatever the
        # person's time zone is now (RULES.md 2).
        field = self.fields["occurred_at"]
        data["occurred_at"] = serializers.DateTimeField.to_representation(field, entry.local_time)
        return data

    def form_values(self, given: dict) -> dict:
        values = super().form_values(given)
        if "duration_typed" in values:
            # A number is typed seconds; null is "not sure", as the form's own choice.
            unknown = values["duration_typed"] is None
            values["duration_preset"] = "unknown" if unknown else ""
        return values

    def api_errors(self, errors):
        result = super().api_errors(errors)
        if "duration_preset" in result:
            result.setdefault("duration_seconds", []).extend(result.pop("duration_preset"))
        return result


class SymptomSerializer(FormBackedSerializer):
    """A related symptom noted on a day."""

    form_class = SymptomForm

    noted_on = serializers.DateField(
        required=False, help_text="The day it was noticed (YYYY-MM-DD). Left out: today."
    )
    local_date = serializers.DateField(
        source="noted_on", read_only=True, help_text="The day the symptom belongs to."
    )
    kind = serializers.ChoiceField(
        choices=_codes(body.SYMPTOM_KINDS), help_text="A symptom kind code from vocabulary/."
    )
    severity = serializers.ChoiceField(
        choices=_codes(body.SEVERITIES), required=False, help_text="1 mild (default) to 3 severe."
    )
    onset = serializers.ChoiceField(
        choices=_codes(body.ONSETS), required=False, help_text="gradual (default) or sudden."
    )
    location = serializers.ChoiceField(
        choices=_codes(body.LOCATIONS), required=False, allow_blank=True, help_text="Optional."
    )
    side = serializers.ChoiceField(
        choices=_codes(body.SIDES), required=False, allow_blank=True, help_text="Optional."
    )
    notes = _notes_field()

    class Meta:
        model = SymptomEntry
        fields = (
            "id",
            "noted_on",
            "local_date",
            "kind",
            "severity",
            "onset",
            "location",
            "side",
            "notes",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")


def _decimal(max_value: int, help_text: str):
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=max_value,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=help_text,
    )


class CheckInSerializer(FormBackedSerializer):
    """One day's check-in: caffeine, sleep, stress, exercise, alcohol and water."""

    form_class = CheckInForm
    form_names = {"caffeine_mg": "other_caffeine_mg"}

    day = serializers.DateField(required=False, help_text="The day (YYYY-MM-DD). Left out: today.")
    local_date = serializers.DateField(
        source="day", read_only=True, help_text="The day the check-in belongs to."
    )
    caffeine_mg = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2000,
        help_text=(
            "Caffeine that day in mg (a cup of coffee is about 95 mg). Sending it replaces "
            "any cups entered on the check-in page with this total."
        ),
    )
    sleep_hours = _decimal(24, "Hours slept the night before, to one decimal place.")
    stress = serializers.ChoiceField(
        choices=[1, 2, 3, 4, 5],
        required=False,
        allow_null=True,
        help_text="1 calm to 5 very stressed; null for no answer.",
    )
    exercise = serializers.ChoiceField(
        choices=_codes(body.EXERCISE_LEVELS),
        required=False,
        allow_blank=True,
        help_text="Empty for no answer.",
    )
    alcohol_units = _decimal(100, "Units of alcohol, to one decimal place.")
    water_litres = _decimal(20, "Litres of water and other plain drinks, to one decimal place.")
    notes = _notes_field()

    def form_values(self, given: dict) -> dict:
        values = super().form_values(given)
        if "caffeine_mg" in given:
            # A total sent here is the day's caffeine as a whole: the cups entered on
            # the page give way to it, so the check-in holds what was sent.
            values.update(dict.fromkeys(SERVING_FIELDS))
        return values

    class Meta:
        model = DailyCheckIn
        fields = (
            "id",
            "day",
            "local_date",
            "caffeine_mg",
            "sleep_hours",
            "stress",
            "exercise",
            "alcohol_units",
            "water_litres",
            "notes",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")
