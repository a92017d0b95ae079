"""Request middleware: the person's own time zone, private pages kept out of caches, and
the Permissions-Policy header."""

import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control


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


class PrivatePagesMiddleware:
    """``Cache-Control: no-store, private`` on every answer to a signed-in person (or an
    API token): a journal page must not stay in a shared proxy's cache, nor on the disk
    of a shared computer, nor come back from the browser's history after signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        private = (user is not None and user.is_authenticated) or (
            "authorization" in request.headers
        )
        response = self.get_response(request)
        if private:
            patch_cache_control(response, no_store=True, private=True)
        return response
