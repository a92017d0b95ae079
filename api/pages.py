"""Settings, "Apps and shortcuts": make a token (shown once) and revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import recent_sign_in_required

from .forms import TokenForm
from .models import ApiToken
from .tokens import create_token, revoke_token

SETTINGS_SECTION = "apps-and-shortcuts"


def _settings_section() -> str:
    return f"{reverse('settings')}#{SETTINGS_SECTION}"


@never_cache
@login_required
@recent_sign_in_required
@require_http_methods(["GET", "POST"])
def token_new(request):
    """Ask for a name, scope and expiry; then show the new token, this once only.

    A token opens the journal for as long as it lives, so making one asks the person
    to confirm it is them when their last sign-in is not recent, as downloads do."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row, token = create_token(
            request.user,
            form.cleaned_data["name"],
            form.cleaned_data["scope"],
            form.expires_at(),
            request=request,
        )
        # Rendered, not redirected: the token is in this answer and nowhere else.
        return render(
            request,
            "api/token_created.html",
            {"row": row, "token": token, "settings_url": _settings_section()},
        )
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk):
    """Revoke one of the person's tokens at once (another person's is a 404)."""
    row = get_object_or_404(ApiToken, user=request.user, pk=pk)
    revoke_token(request.user, row.pk, request=request)
    messages.success(request, f"Revoked \u201c{row.name}\u201d. It no longer works.")
    return redirect(_settings_section())
