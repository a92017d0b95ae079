"""What the account side keeps beyond allauth's own tables: the account activity list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ActivityKind(models.TextChoices):
    """What the activity list can show. A new kind is one line here (and the migration
    makemigrations writes for it) and one `activity.record()` where it happens."""

    SIGNED_IN = "signed_in", "Signed in"
    WRONG_PASSWORD = "wrong_password", "Wrong password entered"
    WRONG_CODE = "wrong_code", "Wrong two-step code entered"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset from an emailed link"
    FACTOR_ADDED = "factor_added", "Two-step sign-in method added"
    FACTOR_REMOVED = "factor_removed", "Two-step sign-in method removed"
    RECOVERY_CODES = "recovery_codes", "New recovery codes made"
    OTHERS_SIGNED_OUT = "others_signed_out", "Other devices signed out"
    EXPORTED = "exported", "Journal downloaded"
    REPORT = "report", "Doctor's summary downloaded"
    IMPORTED = "imported", "Entries imported"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    SHARE_CREATED = "share_created", "Link for a doctor created"
    SHARE_OPENED = "share_opened", "Link for a doctor opened"
    SHARE_REVOKED = "share_revoked", "Link for a doctor revoked"


class Activity(models.Model):
    """One thing that happened to the account, shown to its owner in Settings.

    Sign-ins (and wrong passwords or codes), changes to the password and to two-step
    sign-in, API tokens made and revoked, and the journal leaving or entering the
    account (downloads, the doctor's summary, imports). Kept for
    settings.ACTIVITY_KEEP_DAYS, then purged.
    """

    Kind = ActivityKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_activity"
    )
    kind = models.CharField(max_length=24, choices=ActivityKind.choices)
    # A few words more: how someone signed in, which method, which file format.
    detail = models.CharField(max_length=120, blank=True)
    # The address the request came from; none when it could not be told.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activity"
        indexes = [
            # accounts.activity.recent(): WHERE user_id=? AND created_at>=? ORDER BY created_at
            models.Index(fields=["user", "created_at"], name="activity_user_time"),
            # accounts.activity.purge_old(): WHERE created_at < ?
            models.Index(fields=["created_at"], name="activity_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values),
                name="activity_kind_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"
