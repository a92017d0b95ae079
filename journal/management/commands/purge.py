"""`manage.py purge`: remove what the app no longer needs to keep. Run it daily (a
systemd timer or cron; README, Production).

It removes expired sessions and the sign-in records of sessions that are gone, account
activity older than ACTIVITY_KEEP_DAYS, import previews past their time, one-time keys
older than ONE_TIME_KEY_DAYS, and the records of reminders sent for days that are over in
every time zone; nothing else.
"""

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts import activity
from journal import once
from journal.exports import pending
from reminders import sending as reminders


def purge(now=None) -> dict[str, int]:
    """Remove everything past its time; how many of each went."""
    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    return {
        "expired sessions": sessions,
        "sign-in records of ended sessions": _purge_ended_sign_ins(),
        "account activity records": activity.purge_old(now),
        "import previews": pending.purge_expired(),
        "one-time keys": once.purge_old(now),
        "reminder records": reminders.purge_past(now),
    }


def _purge_ended_sign_ins(batch: int = 500) -> int:
    """Delete each session-list record whose session is gone, asking the session engine
    (allauth's ``UserSession.purge``), a batch at a time so no row goes from under an open
    cursor."""
    ended, after = 0, 0
    while records := list(UserSession.objects.filter(pk__gt=after).order_by("pk")[:batch]):
        after = records[-1].pk
        ended += sum(1 for record in records if record.purge())
    return ended


class Command(BaseCommand):
    help = (
        "Remove expired sessions and their sign-in records, old account activity, "
        "expired import previews, old one-time keys and the records of reminders for "
        "days that are over everywhere. Run daily."
    )

    def handle(self, *args, **options):
        for what, count in purge().items():
            self.stdout.write(f"{what}: {count} removed")
