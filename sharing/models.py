"""A link to one period of a person's journal, for their clinician to read."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ShareLink(models.Model):
    """One shared period. The link's token is never stored: only its SHA-256, so a copy
    of the database opens nothing. Deleting the person deletes their links."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    start = models.DateField()
    end = models.DateField()
    expires_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Each opening is counted with its time only: nothing about who opened it.
    open_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="share_period_ordered"),
        ]
        indexes = [
            # sharing.services.links_of(): WHERE user_id=? ORDER BY created_at DESC
            models.Index(fields=["user", "-created_at"], name="share_user_created"),
        ]

    def __str__(self):
        return f"{self.start} to {self.end}"
