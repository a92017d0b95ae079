"""Send the check-in reminders that are due: `manage.py send_reminders`, run every few
minutes by a timer.

A reminder is due once the person's chosen time has come on their local day (in their
time zone as it is now), unless that day's check-in is done or its reminder is already
claimed. The claim, a row unique per person and day, is written before the email is
sent, so two runs that overlap send one email between them. Comparing the local wall
clock with the chosen time copes with daylight saving: a time skipped in spring is
reached at the first minute after it, and a time that comes twice in autumn has been
claimed the first time.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journal.models import DailyCheckIn

from . import links
from .models import Reminder, ReminderSent

log = logging.getLogger(__name__)
SUBJECT = "Your TwitchLog check-in"
# The furthest behind UTC a local clock is (Etc/GMT+12, Baker Island).
LATEST_OFFSET = datetime.timedelta(hours=12)


@dataclass(frozen=True)
class Due:
    user: object
    day: datetime.date


def due(now: datetime.datetime) -> list[Due]:
    """Reminders whose time has come, not yet claimed and with no check-in that day.

    Three queries: the reminders turned on (with their people and profiles), the days
    already claimed, and the check-ins of those days.
    """
    reached = []
    for reminder in Reminder.objects.filter(enabled=True, user__is_active=True).select_related(
        "user__profile"
    ):
        local = timezone.localtime(now, reminder.user.profile.tz)
        if local.time() >= reminder.at and reminder.user.email:
            reached.append(Due(reminder.user, local.date()))
    if not reached:
        return []
    people = [item.user.pk for item in reached]
    days = {item.day for item in reached}
    claimed = set(
        ReminderSent.objects.filter(user_id__in=people, day__in=days).values_list("user_id", "day")
    )
    checked_in = set(
        DailyCheckIn.objects.filter(user_id__in=people, day__in=days).values_list("user_id", "day")
    )
    return [
        item
        for item in reached
        if (item.user.pk, item.day) not in claimed and (item.user.pk, item.day) not in checked_in
    ]


def claim(item: Due) -> ReminderSent | None:
    """Write the day's claim; None when another run has written it first."""
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(user=item.user, day=item.day)
    except IntegrityError:
        return None


def purge_past(now: datetime.datetime | None = None) -> int:
    """Delete the claims of days that are over in every time zone; how many went
    (`manage.py purge`).

    A claim is what stops a second reminder for its person and day, so it stays while its
    day can still be someone's today: the person may move to any zone, and the last
    place a date ends is UTC-12, half a day after it ends in UTC. An older claim stops
    nothing, and says no more than that an email went out.
    """
    now = now or timezone.now()
    earliest_today = (now.astimezone(datetime.UTC) - LATEST_OFFSET).date()
    deleted, _ = ReminderSent.objects.filter(day__lt=earliest_today).delete()
    return deleted


def message(item: Due) -> EmailMessage:
    """The reminder: a link to the check-in and one to stop; no word of anyone's health."""
    site = settings.SITE_URL
    unsubscribe = site + links.unsubscribe_path(item.user)
    body = render_to_string(
        "reminders/reminder_email.txt",
        {"checkin_url": site + reverse("checkin"), "unsubscribe_url": unsubscribe},
    )
    return EmailMessage(
        SUBJECT,
        body,
        to=[item.user.email],
        headers={
            # Mail apps show their own "Unsubscribe" button from these (RFC 2369, 8058).
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_due(now: datetime.datetime | None = None) -> int:
    """Send every reminder due at `now`; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for item in due(now):
        row = claim(item)
        if row is None:
            continue
        try:
            message(item).send()
        except Exception:
            # Not sent: give the day back, so that the next run tries again.
            log.exception("Could not send the check-in reminder to user %s", item.user.pk)
            row.delete()
            continue
        ReminderSent.objects.filter(pk=row.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
