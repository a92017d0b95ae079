"""How the pages look for one person: light, dark, or as their device is set."""

from django.conf import settings
from django.db import models


class Appearance(models.Model):
    """The person's chosen colour theme. No row means "as the device is set"."""

    class Theme(models.TextChoices):
        DEVICE = "device", "As my device is set"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appearance"
    )
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.DEVICE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme__in=["device", "light", "dark"]),
                name="appearance_theme_known",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.theme})"
