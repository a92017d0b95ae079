"""The form that makes a personal access token on the Settings page."""

import datetime

from django import forms
from django.utils import timezone

from .models import ApiToken

NEVER = "never"
EXPIRY_CHOICES = (
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    (NEVER, "Never (until you revoke it)"),
)


class TokenForm(forms.Form):
    """A name to recognise the token by, what it may do, and when it stops working."""

    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="Name it after where you will use it, such as \u201ciPhone shortcut\u201d.",
        error_messages={
            "required": "Give the token a name, such as \u201ciPhone shortcut\u201d.",
            "max_length": "Use a name of at most 80 characters.",
        },
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=(
            (ApiToken.Scope.WRITE, "Read and log entries (read+write)"),
            (ApiToken.Scope.READ, "Only read your journal (read)"),
        ),
        initial=ApiToken.Scope.WRITE,
        widget=forms.RadioSelect,
        help_text="A shortcut that logs twitches needs read+write.",
        error_messages={
            "required": "Choose what the token may do.",
            "invalid_choice": "Choose read+write or read.",
        },
    )
    expires = forms.ChoiceField(
        label="Stops working",
        choices=EXPIRY_CHOICES,
        initial="365",
        error_messages={
            "required": "Choose when the token stops working.",
            "invalid_choice": "Choose one of the times listed.",
        },
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"])
        return name

    def expires_at(self, now=None) -> datetime.datetime | None:
        choice = self.cleaned_data["expires"]
        if choice == NEVER:
            return None
        return (now or timezone.now()) + datetime.timedelta(days=int(choice))
