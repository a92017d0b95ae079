"""The API's views: thin, like the pages'. Every query is the token's person's own.

Reads go through the same modules as the pages (insights, flagging, exports, the
report); writes through the journal's forms (via api.serializers) and services.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from journal import once
from journal.flagging import record_flags
from journal.forms import JournalFilterForm
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from journal.services import repeat_last_twitch
from webapp import owner

from . import idempotency
from . import serializers as api_serializers
from .errors import NOT_FOUND
from .serializers import ISO_DATE
from .vocabulary import VocabularySerializer, vocabulary

QUEUED_BY_ANOTHER = (
    "This twitch was logged on this device by another account: it is sent when that "
    "account logs in."
)
# Ids are 64-bit; anything else in the address is simply not an entry.
MAX_ID = 2**63 - 1

DATE_RANGE_PARAMETERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="First local day to include (YYYY-MM-DD)."
    ),
    OpenApiParameter(
        "end", OpenApiTypes.DATE, description="Last local day to include (YYYY-MM-DD)."
    ),
]


class PersonalMixin:
    """After authentication, the person's own time zone decides every local date and the
    form's "today", as the middleware does for the pages.

    A twitch the installed app queued offline comes with its owner's mark (webapp.owner):
    sent while someone else is signed in on that device, it is refused (403) before
    anything is read or written, so it never lands in their journal."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        queued_by = request.headers.get(owner.HEADER)
        if queued_by is not None and not owner.is_theirs(request.user, queued_by):
            raise exceptions.PermissionDenied(QUEUED_BY_ANOTHER)
        timezone.activate(request.user.profile.tz)


class EntryPagination(PageNumberPagination):
    """50 entries a page, newest first; ``page_size`` asks for up to 200.

    A page size that is not a whole number of at least 1 is refused (400) rather than
    quietly replaced by the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise exceptions.ValidationError(
                {"page_size": [f"Send page_size as a whole number from 1 to {self.max_page_size}."]}
            )
        return min(int(text), self.max_page_size)


def date_range(request) -> tuple:
    """The ``start`` and ``end`` filters, checked by the journal's own filter form.

    Unlike the journal's page, where an emptied box means "no limit", a parameter sent
    empty is refused: an API client that sends one meant a date."""
    names = {"date_from": "start", "date_to": "end"}
    form = JournalFilterForm(
        {form_name: request.query_params.get(name) for form_name, name in names.items()}
    )
    form.is_valid()
    for form_name, name in names.items():
        if request.query_params.get(name, None) == "":
            form.add_error(form_name, form.fields[form_name].error_messages["invalid"])
    if form.errors:
        raise exceptions.ValidationError(
            {names.get(name, name): list(messages) for name, messages in form.errors.items()}
        )
    return form.cleaned_data["date_from"], form.cleaned_data["date_to"]


class EntryViewSet(
    PersonalMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """List (newest first, by local date range), create, read, change and delete."""

    model: type
    pagination_class = EntryPagination
    # Whether this kind of entry can change what the flags say (check-ins cannot).
    changes_flags = True

    def get_queryset(self):
        return self.model.objects.filter(user=self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        start, end = date_range(self.request)
        return self.filter_days(queryset, start, end)

    def filter_days(self, queryset, start, end):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        """Save the entry once: with an ``Idempotency-Key`` sent before, the entry the
        first request saved (api.idempotency)."""
        claim = idempotency.claim(request)
        context = self.get_serializer_context()
        if saved := once.earlier(request.user, claim):
            return idempotency.replay(saved, claim, self.get_serializer_class(), context)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return idempotency.save_once(
            request,
            claim,
            lambda: self._keep_flags(serializer.save()),
            self.get_serializer_class(),
            context,
        )

    def perform_update(self, serializer):
        self._keep_flags(serializer.save())

    def perform_destroy(self, instance):
        instance.delete()
        self._keep_flags(instance)

    def _keep_flags(self, entry):
        """Keep the person's flag state current after a change, as the pages do; within
        the save's transaction, so a save is never answered with an error after it."""
        if self.changes_flags and entry is not None:
            record_flags(self.request.user)
        return entry

    def get_object(self):
        key = self.kwargs["pk"]
        if not (key.isascii() and key.isdigit()) or int(key) > MAX_ID:
            raise exceptions.NotFound(NOT_FOUND)
        entry = self.get_queryset().filter(pk=int(key)).first()
        if entry is None:
            raise exceptions.NotFound(NOT_FOUND)
        return entry


# An entry's id in its address: digits. Said in the schema, so that no client (and no
# generated test) takes a neighbouring address such as /twitches/again/ for an entry's.
ID_PARAMETER = OpenApiParameter(
    "id",
    str,
    OpenApiParameter.PATH,
    required=True,
    pattern=r"^[0-9]+$",
    description="The entry's id, as the list gives it.",
)


def entry_schema(tag: str, one: str, many: str, create: str, path=()):
    """The list's date-range parameters, the one entry's ``path`` parameters, and each
    operation's name in the docs."""
    return extend_schema_view(
        list=extend_schema(
            tags=[tag], summary=f"List {many}, newest first", parameters=DATE_RANGE_PARAMETERS
        ),
        create=extend_schema(tags=[tag], summary=create, parameters=[idempotency.PARAMETER]),
        retrieve=extend_schema(tags=[tag], summary=f"Read one {one}", parameters=[*path]),
        partial_update=extend_schema(
            tags=[tag], summary=f"Change a {one}: send only what changes", parameters=[*path]
        ),
        destroy=extend_schema(tags=[tag], summary=f"Delete a {one}", parameters=[*path]),
    )


@entry_schema("twitches", "twitch", "twitches", "Log a twitch", path=[ID_PARAMETER])
class TwitchViewSet(EntryViewSet):
    """Twitches: ``occurred_at`` with its offset, the ``local_date`` it belongs to."""

    model = TwitchEntry
    serializer_class = api_serializers.TwitchSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("trigger_rows")

    def filter_days(self, queryset, start, end):
        # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN ? AND ?
        if start:
            queryset = queryset.filter(local_date__gte=start)
        if end:
            queryset = queryset.filter(local_date__lte=end)
        return queryset


@entry_schema("symptoms", "symptom", "symptoms", "Note a symptom", path=[ID_PARAMETER])
class SymptomViewSet(EntryViewSet):
    """Symptoms, each on the day it was noticed."""

    model = SymptomEntry
    serializer_class = api_serializers.SymptomSerializer

    def filter_days(self, queryset, start, end):
        if start:
            queryset = queryset.filter(noted_on__gte=start)
        if end:
            queryset = queryset.filter(noted_on__lte=end)
        return queryset


@entry_schema("check-ins", "check-in", "check-ins", "Save a day's check-in")
class CheckInViewSet(EntryViewSet):
    """Daily check-ins, one a day, addressed by their day (YYYY-MM-DD)."""

    model = DailyCheckIn
    serializer_class = api_serializers.CheckInSerializer
    lookup_field = "day"
    changes_flags = False

    def filter_days(self, queryset, start, end):
        if start:
            queryset = queryset.filter(day__gte=start)
        if end:
            queryset = queryset.filter(day__lte=end)
        return queryset

    def get_object(self):
        text = self.kwargs["day"]
        try:
            day = datetime.date.fromisoformat(text) if ISO_DATE.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            raise exceptions.NotFound(NOT_FOUND)
        entry = self.get_queryset().filter(day=day).first()
        if entry is None:
            raise exceptions.NotFound(NOT_FOUND)
        return entry


def _with_flags_kept(user):
    """Repeat the latest twitch, and keep the flag state current (None: nothing to repeat)."""
    entry = repeat_last_twitch(user)
    if entry is not None:
        record_flags(user)
    return entry


class TwitchAgainView(PersonalMixin, APIView):
    """Log the latest twitch again, now (the home page's "Again" button)."""

    @extend_schema(
        tags=["twitches"],
        summary="Log the latest twitch again, now",
        request=None,
        parameters=[idempotency.PARAMETER],
        responses={201: api_serializers.TwitchSerializer},
        description=(
            "Repeats the latest twitch at the current time: same place, side, length, "
            "strength and triggers. 404 when there is no twitch to repeat yet."
        ),
    )
    def post(self, request):
        claim = idempotency.claim(request)
        serializer_class, context = api_serializers.TwitchSerializer, {"request": request}
        if saved := once.earlier(request.user, claim):
            return idempotency.replay(saved, claim, serializer_class, context)
        response = idempotency.save_once(
            request, claim, lambda: _with_flags_kept(request.user), serializer_class, context
        )
        if response is None:
            raise exceptions.NotFound("There is no twitch to repeat yet: log your first one.")
        return response


class VocabularyView(PersonalMixin, APIView):
    """Every code the entries use, with its label for people."""

    @extend_schema(
        tags=["vocabulary"], summary="Every code with its label", responses=VocabularySerializer
    )
    def get(self, request):
        return Response(vocabulary())
