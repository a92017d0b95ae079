"""The daily check-in reminder: who asked for it, and which days it went out."""

import datetime

from django.conf import settings
from django.db import models

DEFAULT_TIME = datetime.time(21, 0)


class Reminder(models.Model):
    """One person's reminder: off unless they turn it on, at a time of day where they are
    (their profile's time zone, whatever it is on the day)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    enabled = models.BooleanField(default=False)
    at = models.TimeField(default=DEFAULT_TIME)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # sending.due(): WHERE enabled
            models.Index(fields=["enabled"], name="reminder_enabled"),
        ]

    def __str__(self):
        return f"{self.user} at {self.at:%H:%M}" + ("" if self.enabled else " (off)")


class ReminderSent(models.Model):
    """A reminder claimed for one person's local day. Written before the email is sent:
    the unique pair is what stops a second run (or a second process) sending it again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    day = models.DateField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_once_per_person_day")
        ]

    def __str__(self):
        return f"{self.user} on {self.day:%Y-%m-%d}"
