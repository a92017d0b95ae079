"""The Settings page's daily reminder."""

from django import forms

from .models import Reminder


class ReminderForm(forms.ModelForm):
    """Turn the check-in reminder on or off, and choose its time of day."""

    prefix = "reminder"

    class Meta:
        model = Reminder
        fields = ("enabled", "at")
        labels = {"enabled": "Remind me to do my check-in", "at": "Reminder time"}
        widgets = {"at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, user, **kwargs):
        instance = Reminder.objects.filter(user=user).first() or Reminder(user=user)
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["enabled"].help_text = (
            f"An email to {user.email} at the time below, in your time zone, except on "
            "days your check-in is already done."
        )
        # A form sent without the time (an older page, say) keeps the one stored.
        self.fields["at"].required = False

    def clean_at(self):
        return self.cleaned_data["at"] or self.instance.at

    def save_for(self, request) -> Reminder:
        return self.save()
