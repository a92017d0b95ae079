"""How allauth behaves here: email as the sign-in name, our throttles and wording, a QR
code drawn on the server, and passkeys named after the site."""

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, user_email, user_username
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms

from . import activity, throttles

# The sign-in name is the email address, lower-cased: Django's username column holds it.
USERNAME_MAX_LENGTH = 150


def locked_message(seconds: int | None) -> str:
    """What a person sees when password checks are paused for their account or address."""
    return (
        "To keep this account safe, password checks are paused after several wrong "
        f"tries. Please try again {throttles.wait_in_words(seconds)}. If you have "
        "forgotten your password, you can reset it by email now."
    )


REAUTHENTICATION_WORDS = {
    "reauthenticate": "Use your password",
    "mfa_reauthenticate": "Use a code from your authenticator app, or a recovery code",
    "mfa_reauthenticate:webauthn": "Use a passkey or security key",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email address and password do not match an account. Check both and try "
            "again, or reset your password."
        ),
        "enter_current_password": "That is not your current password. Please try again.",
        "incorrect_password": "That is not your password. Please try again.",
        "incorrect_code": "That code is not right. Check it and try again.",
        "invalid_or_expired_key": "This link no longer works. Ask for a new one.",
        "rate_limited": "Too many requests in a short time. Please wait a little.",
    }

    def validation_error(self, code, *args):
        """allauth's own "too many attempts" (two-step codes) says when to try again too."""
        if code == "too_many_login_attempts":
            return forms.ValidationError(
                locked_message(throttles.longest_window(throttles.SIGN_IN_FAILED)), code=code
            )
        return super().validation_error(code, *args)

    def clean_email(self, email: str) -> str:
        """Addresses are kept in lower case, as the sign-in name always was."""
        email = super().clean_email(email).lower()
        if len(email) > USERNAME_MAX_LENGTH:
            raise forms.ValidationError(
                f"An email address here can have at most {USERNAME_MAX_LENGTH} characters."
            )
        return email

    def populate_username(self, request, user) -> None:
        user_username(user, (user_email(user) or "").lower())

    def pre_authenticate(self, request, **credentials) -> None:
        """Count the attempt against the limits per address, per account and per both;
        allauth rolls the count back when the password turns out right."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        try:
            self._login_failed_rl_usage = throttles.consume_sign_in(
                request, self._get_login_attempts_cache_key(request, **credentials), login
            )
        except throttles.Locked as locked:
            raise forms.ValidationError(
                locked_message(locked.seconds), code="too_many_login_attempts"
            ) from None

    def get_reauthentication_methods(self, user) -> list[dict]:
        """allauth's ways to confirm it is you, in the journal's words."""
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = REAUTHENTICATION_WORDS.get(method["id"], method["description"])
        return methods

    def authentication_failed(self, request, **credentials) -> None:
        """A wrong password for an existing account goes on that account's activity list."""
        email = credentials.get("email") or credentials.get("username")
        if not email:
            return
        for user in filter_users_by_email(email):
            activity.record(request, activity.Kind.WRONG_PASSWORD, user=user)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "That code is not right. Check it and try again.",
        "unverified_email": "Confirm your email address before turning on two-step sign-in.",
    }

    def build_totp_svg(self, url: str) -> str:
        """The authenticator-app QR code as an SVG drawn here (segno), never fetched."""
        return segno.make(url, error="m").svg_inline(
            scale=5, border=3, dark="#000", light="#fff", title="QR code for your authenticator app"
        )

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "TwitchLog"
        return entity
