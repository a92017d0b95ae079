"""Account pages that differ from allauth's own: sign-up limited per email too, passkey
removal confirmed with the password and a code, the sessions list with its wording,
and the calm page every request limit answers with."""

from allauth.account.views import SignupView
from allauth.core import ratelimit
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import activity, sessions, throttles
from .forms import PasswordAndCodeForm
from .models import Activity

# Which limit a 429 from each page means, and how its key is read from the request.
LIMITED_ACTIONS = {
    "account_signup": ("signup", "email"),
    "signup": ("signup", "email"),
    "account_reset_password": ("reset_password", "email"),
    "password_reset": ("reset_password", "email"),
    "account_reset_password_from_key": ("reset_password_from_key", None),
    "account_login": ("login", None),
    "login": ("login", None),
    "account_reauthenticate": ("reauthenticate", None),
    "account_change_password": ("change_password", None),
    "password_change": ("change_password", None),
    "account_email_verification_sent": ("confirm_email", "email"),
}


class SignUpView(SignupView):
    """allauth's sign-up, limited per email address as well as per address."""

    def form_valid(self, form):
        too_many = ratelimit.consume_or_429(
            self.request, action="signup_email", key=form.cleaned_data["email"].lower()
        )
        return too_many or super().form_valid(form)


class RemovePasskeyView(RemoveWebAuthnView):
    """Removing a passkey asks for the password and a code, like any two-step change."""

    form_class = PasswordAndCodeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


def too_many_requests(request, exception=None):
    """The 429 page of every request limit: what happened, and when to try again."""
    url_name = getattr(request.resolver_match, "url_name", None)
    action, key_field = LIMITED_ACTIONS.get(url_name, (None, None))
    seconds = None
    if action:
        key = request.POST.get(key_field, "").strip().lower() if key_field else None
        seconds = throttles.seconds_until_allowed(request, action, key=key or None)
        if key_field == "email" and action == "signup":
            seconds = max(
                seconds or 0,
                throttles.seconds_until_allowed(request, "signup_email", key=key) or 0,
            )
    response = render(
        request,
        "429.html",
        {"when": throttles.wait_in_words(seconds), "action": action},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


@login_required
def email_address(request):
    """The email address is the sign-in name and is not changed here; Settings shows it."""
    return redirect("settings")


@login_required
def sign_out_others(request):
    """Settings lists the sessions; posting here ends every other one of the person."""
    if request.method != "POST":
        return redirect("settings")
    sessions.sign_out_other_sessions(request)
    activity.record(request, Activity.Kind.OTHERS_SIGNED_OUT)
    messages.success(request, "You are now signed out on every other device and browser.")
    return redirect("settings")
