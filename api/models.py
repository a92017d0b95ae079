"""Personal access tokens: how a phone shortcut, a watch or a home-automation button
signs in to the API as one person.

Only a SHA-256 digest of each token is stored. A token is 256 random bits, so a
plain digest (rather than a slow password hash) is enough: it cannot be guessed
back, and checking it on every request stays cheap. The short public prefix finds
the row without comparing digests across the whole table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    """One named token of one person, with what it may do and until when."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "read+write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.WRITE)
    # The token's visible start, unique, so a request finds its row with one lookup.
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "read+write"]), name="api_token_scope_known"
            ),
        ]
        indexes = [
            # The Settings list: WHERE user_id=? ORDER BY created_at DESC
            models.Index(fields=["user", "created_at"], name="api_token_user_created"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def has_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
