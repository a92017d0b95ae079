"""The /flags/ page: the red-flag card, the six-item checklist, and the two facts that
change the checks (a doctor's reassurance date and family history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_http_methods

from ..flagging import flag_checklist, flag_summary, reassured_until, record_flags
from ..forms import FlagDetailsForm
from ..history import local_today


@login_required
@require_http_methods(["GET", "POST"])
def flags(request):
    """Show what the journal's patterns mean; save the reassurance date and family history."""
    profile = request.user.profile
    today = local_today(request.user)
    # Evaluated before the form is bound: validating a form writes its values onto
    # the profile, and a rejected date must not change what the page reports.
    summary = flag_summary(request.user, today)
    if request.method == "POST":
        form = FlagDetailsForm(request.POST, instance=profile, today=today)
        if form.is_valid():
            form.save()
            # The reassurance date and family history change what fires.
            record_flags(request.user, today)
            messages.success(request, _saved_message(form.instance, today))
            return redirect("flags")
    else:
        form = FlagDetailsForm(instance=profile, today=today)
    return render(
        request,
        "journal/flags.html",
        {
            "flag_summary": summary,
            "checklist": flag_checklist(summary),
            "form": form,
        },
    )


def _saved_message(profile, today) -> str:
    if profile.reassured_on is None:
        return "Saved. Your flags are up to date."
    quiet_until = reassured_until(profile.reassured_on, today)
    if quiet_until is None:
        return "Saved. That examination was 90 or more days ago, so every note shows as usual."
    return (
        "Saved. Notes about your twitching pattern stay quiet until "
        f"{format_date(quiet_until, 'j F Y')}; notes about symptoms always show."
    )
