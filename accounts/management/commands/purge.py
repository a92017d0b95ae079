"""`manage.py purge`: remove what is kept only for a while. Run it daily, on one machine.

- sessions past their expiry (Django's own table; Redis or cache sessions expire by
  themselves);
- the session list's records of sessions that have ended;
- account activity older than ACTIVITY_KEEP_DAYS (90).
"""

from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import activity


class Command(BaseCommand):
    help = "Remove expired sessions, records of ended sessions and old account activity."

    def handle(self, *args, **options):
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        ended = self.purge_ended_session_records()
        old = activity.purge_old()
        self.stdout.write(
            f"Removed expired sessions, {ended} record(s) of ended sessions and "
            f"{old} account activity event(s) older than {settings.ACTIVITY_KEEP_DAYS} days."
        )

    def purge_ended_session_records(self, batch: int = 500) -> int:
        """Delete each record whose session is gone, a batch at a time (rows are not
        deleted from under an open cursor)."""
        ended, after = 0, 0
        while records := list(UserSession.objects.filter(pk__gt=after).order_by("pk")[:batch]):
            after = records[-1].pk
            ended += sum(1 for record in records if record.purge())
        return ended
