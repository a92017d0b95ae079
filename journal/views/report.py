"""The doctor's summary: choose a period on /report/, download it from /report.pdf."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import activity
from accounts.decorators import recent_sign_in_required

from .. import limits
from ..forms import ReportRangeForm
from ..report import render_pdf, report_filename
from ..report_data import build_report_data

# Ready-made periods offered as one-tap downloads: (days, label).
PRESETS = ((30, "Last 30 days"), (90, "Last 90 days"), (182, "Last 6 months"), (365, "Last year"))


def _page(request, form: ReportRangeForm, status: int = 200):
    today = form.today
    presets = [
        {"label": label, "start": today - timedelta(days=days - 1), "end": today}
        for days, label in PRESETS
    ]
    context = {
        "form": form,
        "presets": presets,
        "has_entries": request.user.twitches.exists() or request.user.symptoms.exists(),
        "every_entry_cap": f"{settings.REPORT_EVERY_ENTRY_CAP:,}",
    }
    return render(request, "journal/report.html", context, status=status)


@login_required
@require_GET
def report(request):
    """The period picker, set to the last 90 days.

    The form submits here: good dates go on to the download, while dates that cannot
    be used come back beside their fields on an ordinary page (the .pdf address
    itself answers such dates with 400).
    """
    bound = "start" in request.GET or "end" in request.GET
    form = ReportRangeForm(request.GET if bound else None, today=timezone.localdate())
    if bound and form.is_valid():
        query = {name: form.cleaned_data[name].isoformat() for name in ("start", "end")}
        if form.cleaned_data["every_entry"]:
            query["every_entry"] = "on"
        return redirect(f"{reverse('report_pdf')}?{urlencode(query)}")
    return _page(request, form)


@never_cache
@login_required
@recent_sign_in_required
@require_GET
def report_pdf(request):
    """The summary PDF for ?start=YYYY-MM-DD&end=YYYY-MM-DD (both optional: last 90 days),
    with every entry listed when ``every_entry`` is ticked.

    Dates that cannot be used bring the picker back with the problem beside the field
    (status 400), rather than a broken download.
    """
    form = ReportRangeForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return _page(request, form, status=400)
    if seconds := limits.take(request, limits.PDF):
        return limits.limited_page(request, limits.PDF, seconds)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    every_entry = form.cleaned_data["every_entry"]
    pdf = render_pdf(build_report_data(request.user, start, end, every_entry=every_entry))
    activity.record(request, activity.Kind.REPORT, detail=f"{start:%-d %b %Y} to {end:%-d %b %Y}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(start, end)}"'
    return response
