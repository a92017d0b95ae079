"""The person's data in and out: the export page, downloads, import, and account deletion."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import activity
from accounts.decorators import recent_sign_in_required

from .. import exports, wording
from ..forms import AccountDeleteForm, ImportForm
from ..models import DailyCheckIn, SymptomEntry, TwitchEntry


def _entries_sentence(counts) -> str:
    """Counts keyed by row type in words: "3 twitches, 1 symptom and 2 check-ins"."""
    parts = [
        wording.plural(counts[exports.TWITCH], "twitch", "twitches"),
        wording.plural(counts[exports.SYMPTOM], "symptom", "symptoms"),
        wording.plural(counts[exports.CHECKIN], "check-in", "check-ins"),
    ]
    return wording.and_list(parts)


def _render_export_page(request, form, result=None):
    user = request.user
    counts = {
        exports.TWITCH: TwitchEntry.objects.filter(user=user).count(),
        exports.SYMPTOM: SymptomEntry.objects.filter(user=user).count(),
        exports.CHECKIN: DailyCheckIn.objects.filter(user=user).count(),
    }
    context = {
        "form": form,
        "result": result,
        "has_entries": any(counts.values()),
        "entries_sentence": _entries_sentence(counts),
    }
    return render(request, "journal/export.html", context)


@login_required
@require_GET
def export_page(request):
    """Download the journal, import a file, or go on to delete the account."""
    return _render_export_page(request, ImportForm())


def _download(request, pieces, extension: str, content_type: str):
    response = StreamingHttpResponse(pieces, content_type=content_type)
    filename = exports.export_filename(request.user, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@recent_sign_in_required
@require_GET
def export_csv(request):
    """The journal as CSV, streamed: one row per twitch, symptom and check-in."""
    activity.record(request, activity.Kind.EXPORTED, detail="CSV")
    return _download(request, exports.export_csv(request.user), "csv", "text/csv; charset=utf-8")


@never_cache
@login_required
@recent_sign_in_required
@require_GET
def export_json(request):
    """The whole journal and profile as JSON, streamed."""
    activity.record(request, activity.Kind.EXPORTED, detail="JSON")
    return _download(
        request, exports.export_json(request.user), "json", "application/json; charset=utf-8"
    )


@login_required
@require_POST
def import_journal(request):
    """Add a file's entries to the journal, or list every problem and add nothing."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_export_page(request, form)
    result = exports.import_journal(request.user, form.cleaned_data["file"])
    if not result.ok:
        form.add_error(
            "file",
            "Nothing was imported: "
            + wording.plural(result.error_count, "problem needs", "problems need")
            + " fixing in this file, listed above.",
        )
        return _render_export_page(request, form, result)
    activity.record(request, activity.Kind.IMPORTED, detail=_entries_sentence(result.added))
    if not any(result.added.values()) and not any(result.skipped.values()):
        message = "The file holds no entries, so there was nothing to import."
    else:
        message = f"Imported {_entries_sentence(result.added)}."
        skipped = sum(result.skipped.values())
        if skipped:
            message += (
                f" Skipped {wording.plural(skipped, 'entry that was', 'entries that were')} "
                "already in your journal."
            )
    if result.profile_restored:
        message += " Your profile details were restored from the file."
    messages.success(request, message)
    return redirect("export")


@login_required
@recent_sign_in_required
def account_delete(request):
    """After the password is confirmed, erase the person and everything they recorded."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        exports.delete_account(request.user)
        logout(request)
        messages.success(request, "Your account and everything in your journal have been deleted.")
        return redirect("home")
    return render(request, "journal/account_delete.html", {"form": form})
