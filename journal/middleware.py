"""Request middleware: the person's own time zone, and the Permissions-Policy header."""

import zoneinfo

from django.conf import settings
from django.utils import timezone


class TimezoneMiddleware:
    """Activate the signed-in person's time zone so every date shown is their local one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.profile.time_zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PermissionsPolicyMiddleware:
    """Deny browser features the journal never uses (camera, microphone, location...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
