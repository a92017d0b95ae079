"""The API's read-outs of the whole journal: the red-flag card, a period's figures, the
JSON export and the doctor's PDF. Each uses the same module as its page: flagging for
/flags/, insights.summary_numbers with figures for /trends/ and the PDF, exports for
/export/, and report_data with report for /report.pdf."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import activity
from accounts.sessions import signed_in_recently
from journal import exports, figures, insights, limits
from journal.flagging import flag_checklist, flag_summary
from journal.forms import ReportRangeForm
from journal.report import render_pdf, report_filename
from journal.report_data import build_report_data

from .errors import PersonLimited
from .models import ApiToken
from .views import PersonalMixin

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "start",
        OpenApiTypes.DATE,
        description="First local day (YYYY-MM-DD). Left out: 90 days before the last day.",
    ),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last local day. Left out: today."),
]


def report_period(request):
    """``start`` and ``end`` checked by the doctor's summary's own form (at most five
    years, none in the future; both optional: the last 90 days)."""
    given = {name: request.query_params.get(name) for name in ("start", "end")}
    form = ReportRangeForm(
        {name: value for name, value in given.items() if value is not None},
        today=timezone.localdate(),
    )
    empty = [name for name, value in given.items() if value == ""]
    if empty or not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        for name in empty:
            errors.setdefault(name, [form.fields[name].error_messages["invalid"]])
        raise exceptions.ValidationError(errors)
    return form.cleaned_data["start"], form.cleaned_data["end"]


# The flag card.


class EvidenceSerializer(serializers.Serializer):
    text = serializers.CharField()
    journal_url = serializers.CharField(
        help_text="The journal page filtered down to the entries behind it (or where the "
        "fact is set)."
    )


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's code (RULES.md), e.g. PERSISTENT.")
    level = serializers.ChoiceField(choices=["info", "routine", "soon", "prompt", "emergency"])
    title = serializers.CharField()
    message = serializers.CharField()
    evidence = EvidenceSerializer(many=True)


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="C1 to C6.")
    question = serializers.CharField()
    applies = serializers.BooleanField()
    set_aside = serializers.BooleanField(
        help_text="It applies, but a recent check-up by a doctor sets it aside."
    )
    answer = serializers.CharField(help_text="The answer in words, as /flags/ shows it.")
    evidence = EvidenceSerializer(many=True)


class FlagsSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The person's today, on which the card is evaluated.")
    level = serializers.ChoiceField(
        choices=["clear", "info", "routine", "soon", "prompt", "emergency"],
        help_text="The highest level reached; clear when nothing fired.",
    )
    badge = serializers.CharField()
    headline = serializers.CharField(allow_null=True)
    action = serializers.CharField(allow_null=True, help_text="What to do, once.")
    reassured_until = serializers.DateField(allow_null=True)
    flags = FlagSerializer(
        many=True,
        help_text="In the card's order: those at its level first, then the lower ones.",
    )
    checklist = ChecklistItemSerializer(many=True)


def _evidence(lines) -> list[dict]:
    return [{"text": line.text, "journal_url": line.url} for line in lines]


def flags_card(user) -> dict:
    """The card /flags/ shows, as data: the same summary and checklist objects."""
    summary = flag_summary(user)
    text = summary.text
    return {
        "date": summary.today,
        "level": summary.level_code,
        "badge": summary.badge,
        "headline": text.headline if text else None,
        "action": text.advice if text else None,
        "reassured_until": summary.reassured_until,
        "flags": [
            {
                "rule": flag.rule,
                "level": flag.level.value,
                "title": flag.title,
                "message": flag.message,
                "evidence": _evidence(flag.evidence),
            }
            for flag in (*summary.leading, *summary.also)
        ],
        "checklist": [
            {
                "code": item.code,
                "question": item.question,
                "applies": item.holds,
                "set_aside": item.silenced,
                "answer": item.answer,
                "evidence": _evidence(item.evidence),
            }
            for item in flag_checklist(summary)
        ],
    }


class FlagsView(PersonalMixin, APIView):
    @extend_schema(
        tags=["reading"],
        summary="The red-flag card, as /flags/ shows it today",
        responses=FlagsSerializer,
    )
    def get(self, request):
        return Response(FlagsSerializer(flags_card(request.user)).data)


# A period's figures.


class PreviousPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    twitches = serializers.IntegerField()
    average_per_day = serializers.FloatField(allow_null=True)


class FigureWordsSerializer(serializers.Serializer):
    figure = serializers.ChoiceField(
        choices=["twitches", "twitch_days", "per_day", "first_last", "change"]
    )
    value = serializers.CharField(help_text='The figure as the trends page shows it: "3.1".')
    label = serializers.CharField(help_text='The words under it: "twitches a day on average".')


class SummarySerializer(serializers.Serializer):
    start = serializers.DateField(
        help_text="The first day the figures cover: the first day asked for, or the "
        "journal's first day when it starts later."
    )
    end = serializers.DateField()
    days = serializers.IntegerField(help_text="The days the figures cover.")
    chosen_start = serializers.DateField(help_text="The first day asked for.")
    note = serializers.CharField(
        allow_blank=True,
        help_text="When the journal starts after the first day asked for, the sentence "
        "the trends page and the PDF say about it; else empty.",
    )
    twitches = serializers.IntegerField(help_text="Twitch entries in the period.")
    twitch_days = serializers.IntegerField(help_text="Days with at least one twitch.")
    average_per_day = serializers.FloatField(allow_null=True)
    first = serializers.DateField(allow_null=True, help_text="Local date of the first twitch.")
    last = serializers.DateField(allow_null=True, help_text="Local date of the last twitch.")
    previous = PreviousPeriodSerializer(help_text="The period of the same length just before.")
    change_percent = serializers.FloatField(
        allow_null=True, help_text="Change on the previous period; null when it had none."
    )
    change_direction = serializers.ChoiceField(choices=["fewer", "more", "same"], allow_null=True)
    words = FigureWordsSerializer(
        many=True, help_text="Each figure in the words the trends page and the PDF use."
    )


class SummaryView(PersonalMixin, APIView):
    @extend_schema(
        tags=["reading"],
        summary="A period's figures, as the trends page and the PDF give them",
        parameters=PERIOD_PARAMETERS,
        responses=SummarySerializer,
    )
    def get(self, request):
        start, end = report_period(request)
        span = figures.span(start, end, insights.journal_start(request.user))
        summary = insights.summary_numbers(request.user, insights.Period(span.start, span.end))
        shown = figures.Figures.from_summary(span, summary)
        data = {
            **asdict(summary),
            "start": span.start,
            "end": span.end,
            "chosen_start": start,
            "note": span.note,
            "words": [
                {"figure": tile.code, "value": tile.value, "label": tile.label}
                for tile in shown.tiles()
            ],
        }
        return Response(SummarySerializer(data).data)


# Downloads: the JSON export and the PDF. Their errors are JSON whatever the Accept header.


class DownloadView(PersonalMixin, APIView):
    """The whole journal leaves the server here. With a token, the token (made after the
    person confirmed it was them) is enough; with the browser's session, the last sign-in
    must be recent, as for the pages' own downloads."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not isinstance(request.auth, ApiToken) and not signed_in_recently(request._request):
            raise exceptions.PermissionDenied(
                "Confirm it is you first: sign in again (or download from the page, which "
                "asks), or use a token."
            )

    def within_limit(self, request, action: str) -> None:
        """Count the download against the person's own limit (the pages' too): 429 past it."""
        if seconds := limits.take(request._request, action, user=request.user):
            raise PersonLimited(action, seconds)

    def record(self, request, kind: str, what: str) -> None:
        """List the download in the person's account activity, as the pages do."""
        token = request.auth
        through = (
            f"the API, token \u201c{token.name}\u201d" if isinstance(token, ApiToken) else "the API"
        )
        activity.record(
            request._request, kind, user=request.user, detail=f"{what}, through {through}"
        )


class ExportView(DownloadView):
    @extend_schema(
        tags=["reading"],
        summary="The whole journal and profile, as the JSON export",
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='{"format": "twitchlog", "version": 1, "exported_at", "profile", '
                '"twitches", "symptoms", "checkins"}: the file /export/ downloads.',
            )
        },
    )
    def get(self, request):
        self.within_limit(request, limits.EXPORT)
        response = StreamingHttpResponse(
            exports.export_json(request.user), content_type="application/json; charset=utf-8"
        )
        filename = exports.export_filename(request.user, "json")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        self.record(request, activity.Kind.EXPORTED, "JSON")
        return response


class ReportOptionsSerializer(serializers.Serializer):
    every_entry = serializers.BooleanField(
        default=False,
        help_text="List every twitch after the table of each day (at most the latest "
        "REPORT_EVERY_ENTRY_CAP; the PDF says when it leaves earlier ones out).",
    )


class ReportPdfView(DownloadView):
    @extend_schema(
        tags=["reading"],
        summary="The doctor's summary PDF for a period",
        parameters=[*PERIOD_PARAMETERS, ReportOptionsSerializer],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request):
        start, end = report_period(request)
        options = ReportOptionsSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        every_entry = options.validated_data["every_entry"]
        self.within_limit(request, limits.PDF)
        pdf = render_pdf(build_report_data(request.user, start, end, every_entry=every_entry))
        self.record(request, activity.Kind.REPORT, f"{start:%-d %b %Y} to {end:%-d %b %Y}")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report_filename(start, end)}"'
        return response
