"""Per-token rate limits: a calm 429 with Retry-After when a token asks too often."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """``API_RATE`` requests per token (per person for the browser session, per address
    for anyone else). Counts live in the cache, which REDIS_URL shares across workers."""

    scope = "api"

    def get_rate(self):
        # Read on every request (not once at import), so the setting can change in tests.
        return settings.API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
