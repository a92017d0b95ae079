"""`manage.py seed_demo`: create (or reset) a demo account with ten weeks of journal.

The demo person mostly has the common, harmless pattern: calf twitches most days,
more of them on stressful and high-caffeine days, a short eyelid spell, a few night
cramps and tired-legs days, and a daily check-in on most days. About a month ago
the twitches spread to the arms and back for two weeks, so the trends and the
pattern checks have something to show. There is no weakness in it.

The journal comes from the one generator (``journal.management.tools.generator``)
with the demo's pattern and a fixed seed, so every run builds the same journal
relative to today. `build_journal()` also gives load-test people a journal.
"""

import datetime
import random
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.emails import mark_email_verified
from journal.management.tools import generator

DEMO_EMAIL = "demo@example.com"
DEMO_TIME_ZONE = "Europe/London"
DEMO_SEED = 1993
DAYS = 10 * 7
TWITCHES_PER_DAY = 4
SYMPTOMS = 6
# Most days have a check-in.
CHECKIN_SHARE = 0.88


def build_journal(user, *, today: datetime.date, seed: int = DEMO_SEED) -> generator.Counts:
    """Fill `user`'s journal with ten weeks of demo entries ending on `today` (their local day)."""
    return generator.build_journal(
        user,
        generator.DEMO,
        today=today,
        days=DAYS,
        twitches=DAYS * TWITCHES_PER_DAY,
        symptoms=SYMPTOMS,
        checkins=round(CHECKIN_SHARE * (DAYS - 1)),
        rng=random.Random(seed),
    )


class Command(BaseCommand):
    help = "Create or reset the demo account (demo@example.com) with ten weeks of journal."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password instead of a random one.")

    def handle(self, *args, password=None, **options):
        password = password or secrets.token_urlsafe(12)
        User = get_user_model()
        with transaction.atomic():
            # Resetting starts from nothing: the old account and its entries go.
            User.objects.filter(username=DEMO_EMAIL).delete()
            user = User.objects.create_user(
                username=DEMO_EMAIL, email=DEMO_EMAIL, password=password
            )
            mark_email_verified(user)
            profile = user.profile
            profile.display_name = "Sam"
            profile.time_zone = DEMO_TIME_ZONE
            profile.family_history = "none"
            today = timezone.localtime(timezone.now(), profile.tz).date()
            profile.habits_changed_on = today - datetime.timedelta(
                days=generator.DEMO.habits_changed
            )
            profile.save()
            counts = build_journal(user, today=today)
        self.stdout.write(
            self.style.SUCCESS(f"Demo account ready: {DEMO_EMAIL}") + f"\nPassword: {password}\n"
            f"{counts.twitches} twitches, {counts.symptoms} symptoms and {counts.checkins} "
            f"check-ins over the last {DAYS // 7} weeks ({DEMO_TIME_ZONE} time)."
        )
