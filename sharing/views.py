"""The person's /share/ page, and the read-only pages their link opens without sign-in.

A shared page tells nothing about whether a token ever existed: unknown, revoked and
expired tokens get the same 404 page, byte for byte, and every lookup counts against a
per-address limit, so guessing is hopeless on top of the token's 256 random bits.
"""

from functools import wraps

import segno
from allauth.core.exceptions import ReauthenticationRequired
from allauth.core.internal import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.sessions import signed_in_recently
from accounts.throttles import APP, seconds_until_allowed, wait_in_words
from journal import insights, limits
from journal.report import render_pdf, report_filename
from journal.report_data import build_report_data
from journal.views.trends import VENDORED_CHARTJS

from . import clinician, services
from .forms import ShareLinkForm

# The lookup limit per address, in settings.ACCOUNT_RATE_LIMITS with the sign-in limits.
LOOKUP = "share_lookup"
# Big enough to scan from a phone held across a desk: about 7 pixels a module.
QR_SCALE = 7


def _share_page(request, form, created=None, status=200):
    return render(
        request,
        "sharing/share.html",
        {
            "form": form,
            "links": services.links_of(request.user),
            "created": created,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share(request):
    """List the person's links; POST makes a new one and shows it, with its QR code, once."""
    today = timezone.localdate()
    if request.method != "POST":
        return _share_page(request, ShareLinkForm(today=today))
    # As for the PDF: a link hands the journal to someone else, so confirm an old sign-in.
    if not signed_in_recently(request):
        raise ReauthenticationRequired()
    form = ShareLinkForm(request.POST, today=today)
    if not form.is_valid():
        return _share_page(request, form, status=400)
    data = form.cleaned_data
    link, token = services.create_link(
        request, request.user, data["start"], data["end"], data["valid_days"], data["note"]
    )
    url = request.build_absolute_uri(reverse("shared", args=[token]))
    qr = segno.make(url, error="m").svg_inline(
        scale=QR_SCALE,
        title="QR code of the link, for your doctor to scan",
        svgclass="share-qr-code",
    )
    created = {"link": link, "url": url, "qr": qr}
    return _share_page(request, ShareLinkForm(today=today), created=created)


@login_required
@require_POST
def revoke(request, pk: int):
    link = get_object_or_404(services.links_of(request.user), pk=pk)
    services.revoke(request, link)
    messages.success(request, f"The link to {services.period_text(link)} no longer opens.")
    return redirect("share")


def _shared_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True, private=True)
    return response


def shared_page(view):
    """Count the lookup against the address's limit, open the token's link (or answer the
    one 404 page), and put the shared pages' headers on whatever is answered."""

    @wraps(view)
    def wrapped(request, token: str):
        if ratelimit.consume(request, app=APP, action=LOOKUP, limit_get=True) is None:
            seconds = seconds_until_allowed(request, LOOKUP) or 60
            response = render(
                request, "sharing/limited.html", {"when": wait_in_words(seconds)}, status=429
            )
            response["Retry-After"] = str(seconds)
            return _shared_headers(response)
        link = services.open_link(token)
        if link is None:
            return _shared_headers(render(request, "sharing/not_found.html", status=404))
        return _shared_headers(view(request, link, token))

    return wrapped


@require_GET
@shared_page
def shared(request, link, token: str):
    """The clinician's read-only view of the link's period."""
    user = link.user
    report = build_report_data(user, link.start, link.end)
    period = insights.Period(link.start, link.end)
    charts = insights.trends(user, period, today=link.end)
    services.record_opening(link)
    context = {
        "link": link,
        "report": report,
        "summary": clinician.summary(report),
        "charts": charts,
        "chart_data": charts.chart_data(),
        "chartjs_src": static(VENDORED_CHARTJS),
        "pdf_url": reverse("shared_pdf", args=[token]),
    }
    return render(request, "sharing/clinician.html", context)


@require_GET
@shared_page
def shared_pdf(request, link, token: str):
    """The doctor's summary PDF of the same period; it counts against the person's own
    PDF limit, as if they had made it."""
    if seconds := limits.take(request, limits.PDF, user=link.user):
        response = render(
            request, "sharing/limited.html", {"when": wait_in_words(seconds)}, status=429
        )
        response["Retry-After"] = str(seconds)
        return response
    pdf = render_pdf(build_report_data(link.user, link.start, link.end))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(link.start, link.end)}"'
    )
    return response
