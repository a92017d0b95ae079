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

from .. import exports, limits, wording
from ..forms import AccountDeleteForm, ImportConfirmForm, ImportForm
from ..models import DailyCheckIn, SymptomEntry, TwitchEntry


def _entries_sentence(counts) -> str:
    """Counts keyed by row type in words: "3 twitches, 1 symptom and 2 check-ins"."""
    parts = [
        wording.plural(counts[exports.TWITCH], "twitch", "twitches"),
        wording.plural(counts[exports.SYMPTOM], "symptom", "symptoms"),
        wording.plural(counts[exports.CHECKIN], "check-in", "check-ins"),
    ]
    return wording.and_list(parts)


def _render_export_page(request, form, result=None, status=200):
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
    return render(request, "journal/export.html", context, status=status)


@login_required
@require_GET
def export_page(request):
    """Download the journal, import a file, or go on to delete the account."""
    return _render_export_page(request, ImportForm())


def _download(request, pieces, extension: str, content_type: str, what: str):
    """The streamed file, within the person's export limit, noted in their activity."""
    if seconds := limits.take(request, limits.EXPORT):
        return limits.limited_page(request, limits.EXPORT, seconds)
    activity.record(request, activity.Kind.EXPORTED, detail=what)
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
    return _download(
        request, exports.export_csv(request.user), "csv", "text/csv; charset=utf-8", "CSV"
    )


@never_cache
@login_required
@recent_sign_in_required
@require_GET
def export_json(request):
    """The whole journal and profile as JSON, streamed."""
    return _download(
        request,
        exports.export_json(request.user),
        "json",
        "application/json; charset=utf-8",
        "JSON",
    )


# Each kind of entry as the import's preview lists it.
_KIND_LABELS = {
    exports.TWITCH: "Twitches",
    exports.SYMPTOM: "Symptoms",
    exports.CHECKIN: "Check-ins",
}


def _skipped_sentence(count: int) -> str:
    return wording.plural(count, "entry that was", "entries that were") + (
        " already in your journal"
    )


def _nothing_to_import(preview: exports.ImportPreview) -> str:
    if not preview.skipped_count:
        return "The file holds no entries, so there was nothing to import."
    entries = wording.plural(preview.skipped_count, "entry is", "entries are")
    return f"Nothing was imported: the file's {entries} already in your journal."


@login_required
@require_POST
def import_journal(request):
    """Check a whole file and show what importing it would do, or list every problem.

    Nothing is written here: the checked rows wait (exports.pending) until the person
    confirms (import_confirm) or cancels (import_cancel).
    """
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_export_page(request, form, status=400)
    if seconds := limits.take(request, limits.IMPORT):
        return limits.limited_page(request, limits.IMPORT, seconds)
    upload = form.cleaned_data["file"]
    checked = exports.check_file(request.user, upload)
    if not checked.ok:
        form.add_error(
            "file",
            "Nothing was imported: "
            + wording.plural(checked.result.error_count, "problem needs", "problems need")
            + " fixing in this file, listed above.",
        )
        return _render_export_page(request, form, checked.result, status=400)
    preview = exports.preview(request.user, checked)
    if not preview.changes_anything:
        messages.info(request, _nothing_to_import(preview))
        return redirect("export")
    confirm_form = ImportConfirmForm(initial={"token": exports.keep(request.user, checked)})
    context = {
        "preview": preview,
        "kinds": [
            {"label": label, "new": preview.new[code], "skipped": preview.skipped[code]}
            for code, label in _KIND_LABELS.items()
        ],
        "form": confirm_form,
        "file_name": upload.name,
        "new_sentence": _entries_sentence(preview.new),
        "expires_minutes": exports.PENDING_MINUTES,
    }
    return render(request, "journal/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request):
    """Write the import the person saw and confirmed: its entries, and the profile
    details only when they ticked that."""
    form = ImportConfirmForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = exports.confirm(
                request.user,
                form.cleaned_data["token"],
                replace_profile=form.cleaned_data["replace_profile"],
            )
        except exports.ImportInProgress:
            messages.error(
                request,
                "Nothing was imported yet: another import into your journal is still being "
                "saved. Wait a minute, then choose the file again.",
            )
            return redirect("export")
    if result is None:
        messages.error(
            request,
            "Nothing was imported: that preview is no longer waiting (it was used, cancelled, "
            f"or left for over {exports.PENDING_MINUTES} minutes). Choose the file again.",
        )
        return redirect("export")
    if not result.ok:
        messages.error(
            request,
            "Nothing was imported: your journal changed while the file was being imported. "
            "Choose the file again.",
        )
        return redirect("export")
    activity.record(request, activity.Kind.IMPORTED, detail=_entries_sentence(result.added))
    message = f"Imported {_entries_sentence(result.added)}."
    skipped = sum(result.skipped.values())
    if skipped:
        message += f" Skipped {_skipped_sentence(skipped)}."
    if result.profile_restored:
        message += " Your profile details were replaced with the file's."
    messages.success(request, message)
    return redirect("export")


@login_required
@require_POST
def import_cancel(request):
    """Forget the import the preview showed; nothing is written."""
    form = ImportConfirmForm(request.POST)
    if form.is_valid():
        exports.cancel(request.user, form.cleaned_data["token"])
    messages.info(request, "Import cancelled. Nothing was imported.")
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
