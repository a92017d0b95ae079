"""Forms of the journal. Each one re-renders with the person's input on error."""

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, UsernameField

from .models import Profile

User = get_user_model()


def time_zone_choices():
    """Every IANA zone this machine knows, sorted, UTC first."""
    names = sorted(zoneinfo.available_timezones() - {"UTC", "localtime"})
    return [("UTC", "UTC")] + [(name, name.replace("_", " ")) for name in names]


class SignUpForm(BaseUserCreationForm):
    """Sign up with an email address (used as the login name) and a password."""

    email = forms.EmailField(
        label="Email",
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    display_name = forms.CharField(
        label="Your name (optional)",
        max_length=80,
        required=False,
        help_text="Used to greet you and printed on your doctor's summary.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        initial="UTC",
        help_text="Decides which day each entry belongs to. You can change it later.",
    )

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in instead?"
            )
        return email

    def _post_clean(self):
        # The email is the login name; set it before the password validators
        # compare the password with the account's attributes.
        if "email" in self.cleaned_data:
            self.instance.username = self.cleaned_data["email"]
        super()._post_clean()

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = user.email = self.cleaned_data["email"]
        if commit:
            user.save()
            profile = user.profile
            profile.display_name = self.cleaned_data["display_name"]
            profile.time_zone = self.cleaned_data["time_zone"]
            profile.save(update_fields=["display_name", "time_zone"])
        return user


class ProfileSettingsForm(forms.ModelForm):
    """The settings page: how the journal greets the person and keeps their days."""

    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        help_text="Entries are shown, charted and checked by the day in this time zone.",
    )

    class Meta:
        model = Profile
        fields = ("display_name", "time_zone", "date_of_birth")
        labels = {"display_name": "Your name", "date_of_birth": "Date of birth (optional)"}
        help_texts = {
            "display_name": "Used to greet you and printed on your doctor's summary.",
            "date_of_birth": "Printed on your doctor's summary when given.",
        }
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class EmailLoginForm(AuthenticationForm):
    """Django's login form, asking for the email address the account was made with."""

    username = UsernameField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self):
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = self.cleaned_data["username"].strip().lower()
        return super().clean()
