"""Request middleware: sessions that never turn a saved entry into an error page, the
person's own time zone, private pages kept out of caches, and the Permissions-Policy
header."""

import logging
import zoneinfo

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import faults

log = logging.getLogger(__name__)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except when the database fails as the session is saved, after the view.

    By then the view's own work may be committed (an entry saved), so its answer goes
    out as it is, rather than the outage page telling the person it failed; what the
    session would have kept (the confirmation, the undo offer) is lost, and one line
    is logged.
    """

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted) as error:
            # Django reports a failed session update as SessionInterrupted (400), the
            # database's error being its context.
            fault = _database_fault(error)
            if fault is None:
                raise
            log.warning(
                "Session not saved after %s %s (%s)",
                request.method,
                request.path,
                faults.summary(fault),
            )
            return response


def _database_fault(error: BaseException | None) -> BaseException | None:
    """The unreachable or busy database behind ``error`` (itself or its context)."""
    while error is not None:
        if faults.is_outage(error) or faults.is_busy(error):
            return error
        error = error.__context__
    return None


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
