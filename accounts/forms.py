"""allauth's account forms in the journal's words, and the password checks they share.

Every password check here goes through the sign-in throttles (AccountAdapter): a
wrong password in the password change, account deletion or a two-step change counts
like a wrong password at sign-in.
"""

from allauth.account import forms as account_forms
from allauth.account.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.core.validators import MaxLengthValidator

EMAIL_TOO_LONG = "An email address has at most 254 characters. Check what you typed."
CODE_LABEL = "Code from your authenticator app, or a recovery code"


def password_is_right(user, password: str) -> bool:
    """Check `user`'s password as a sign-in attempt (counted and throttled).

    Raises ValidationError with a calm "try again in ..." message while checks are
    paused for the account or the address.
    """
    return get_adapter().reauthenticate(user, password)


def _code_field_for_phones(form, label):
    """A code field that brings up the number pad and offers a code the phone received."""
    code = form.fields["code"]
    code.label = label
    code.widget.attrs.pop("placeholder", None)
    code.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


def _current_password_field(label="Your password", help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LoginForm(account_forms.LoginForm):
    """Email, password, and whether this device keeps the session."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email"
        login.max_length = 254
        login.validators.append(MaxLengthValidator(254))
        login.error_messages["max_length"] = EMAIL_TOO_LONG
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs.update({"autofocus": True, "autocomplete": "email", "maxlength": 254})
        password = self.fields["password"]
        password.label = "Password"
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)
        remember = self.fields["remember"]
        remember.label = "Keep me signed in on this device"
        remember.help_text = (
            "Leave this unticked on a shared computer: you will be signed out when the "
            "browser closes."
        )


class ReauthenticateForm(account_forms.ReauthenticateForm):
    """Enter the password again before a sensitive page (a throttled check)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password"]
        password.label = "Password"
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)


class ChangePasswordForm(account_forms.ChangePasswordForm):
    """Change the password; the current one is checked as a (throttled) sign-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "oldpassword": "Current password",
            "password1": "New password",
            "password2": "New password again",
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["oldpassword"].help_text = ""

    def clean_oldpassword(self) -> str:
        password = self.cleaned_data.get("oldpassword", "")
        if not password_is_right(self.user, password):
            raise get_adapter().validation_error("enter_current_password")
        return password


class PasswordAndCodeForm(mfa_forms.BaseAuthenticateForm):
    """Confirm a change to two-step sign-in with the password and a current code.

    The code is checked (and throttled) by allauth, against the authenticator app or
    the recovery codes; a recovery code is not spent while the password is wrong.
    """

    password = _current_password_field()

    field_order = ("password", "code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field_for_phones(self, CODE_LABEL)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_is_right(self.user, password):
            raise get_adapter().validation_error("incorrect_password")
        return password

    def clean_code(self) -> str:
        if "password" in self.errors:
            return self.cleaned_data.get("code", "")
        return super().clean_code()


class DeactivateTOTPForm(PasswordAndCodeForm):
    """Turn the authenticator app off: password and a code."""

    def __init__(self, *args, authenticator, **kwargs):
        self.totp_authenticator = authenticator
        super().__init__(*args, user=authenticator.user, **kwargs)
        # allauth binds this form to empty data on GET, to show up-front errors; with
        # fields to fill in, a first look is an unbound form.
        if not self.data:
            self.is_bound = False


class AddPasskeyForm(AddWebAuthnForm):
    """Name a new passkey or security key, and say whether it signs in on its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name"
        self.fields["name"].help_text = "To tell your keys apart, such as \u201cPhone\u201d."
        passwordless = self.fields["passwordless"]
        passwordless.label = "Also sign in with it, without a password"
        passwordless.help_text = (
            "Your device then asks for your fingerprint, face or PIN instead of your password."
        )
        passwordless.initial = True


class ActivateAuthenticatorAppForm(ActivateTOTPForm):
    """The first code from the authenticator app, which turns it on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field_for_phones(self, "Authenticator code")


class SecondStepForm(mfa_forms.AuthenticateForm):
    """The second step of logging in: a code from the app, or a recovery code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field_for_phones(self, "Code")


class ConfirmWithCodeForm(mfa_forms.ReauthenticateForm):
    """Confirm it is you with a code from the app, or a recovery code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field_for_phones(self, "Code")
