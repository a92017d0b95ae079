"""What the account side does when allauth reports something: the activity list, and
signing out the other sessions after a password change or a new two-step method."""

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from . import activity, sessions, throttles, two_step
from .models import Activity

STEP_NAMES = {
    "password": "password",
    "email": "the link in the confirmation email",
    Authenticator.Type.TOTP: "authenticator code",
    Authenticator.Type.RECOVERY_CODES: "recovery code",
    Authenticator.Type.WEBAUTHN: "passkey or security key",
}


def sign_in_steps(request, user) -> str:
    """How the person signed in, in words: "with password and authenticator code"."""
    steps = []
    for entry in get_authentication_records(request, user):
        if entry.get("reauthenticated"):
            continue
        if entry.get("passwordless"):
            steps.append("passkey")
            continue
        step = STEP_NAMES.get(entry.get("type") or entry.get("method"))
        if step and step not in steps:
            steps.append(step)
    return "with " + " and ".join(steps) if steps else ""


@receiver(auth_signals.user_logged_in, dispatch_uid="accounts_session_signed_in")
def note_new_session(sender, request, user, **kwargs):
    """Every new session starts as freshly seen and freshly signed in.

    allauth records how someone signed in before Django's login(); a sign-in made with
    Django's login() alone (the test client, management tooling) is recorded here, so
    that it too counts as a recent sign-in.
    """
    if request is None or not hasattr(request, "session"):
        return
    sessions.mark_touched(request.session)
    if not get_authentication_records(request, user):
        record_authentication(request, user, method="password")


@receiver(account_signals.user_logged_in, dispatch_uid="accounts_record_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    activity.record(
        request, Activity.Kind.SIGNED_IN, user=user, detail=sign_in_steps(request, user)
    )


@receiver(account_signals.password_changed, dispatch_uid="accounts_password_changed")
def password_changed(sender, request, user, **kwargs):
    activity.record(request, Activity.Kind.PASSWORD_CHANGED, user=user)
    sessions.sign_out_other_sessions(request)


@receiver(account_signals.password_reset, dispatch_uid="accounts_password_reset")
def password_reset(sender, request, user, **kwargs):
    """A reset ends every session of the account, and lifts this address's pause."""
    activity.record(request, Activity.Kind.PASSWORD_RESET, user=user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    throttles.clear_pair(request, user.email)


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_factor_added")
def factor_added(sender, request, user, authenticator, **kwargs):
    activity.record(
        request, Activity.Kind.FACTOR_ADDED, user=user, detail=two_step.method_name(authenticator)
    )
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        sessions.sign_out_other_sessions(request)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_factor_removed")
def factor_removed(sender, request, user, authenticator, **kwargs):
    activity.record(
        request, Activity.Kind.FACTOR_REMOVED, user=user, detail=two_step.method_name(authenticator)
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_recovery_codes")
def recovery_codes_made(sender, request, user, authenticator, **kwargs):
    activity.record(request, Activity.Kind.RECOVERY_CODES, user=user)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_wrong_code")
def wrong_code(sender, request, user, authenticator, **kwargs):
    activity.record(request, Activity.Kind.WRONG_CODE, user=user)
