"""Send the daily check-in reminders that are due. Run it every few minutes (README,
"Daily reminders"): each person gets at most one a day, however often it runs."""

from django.core.management.base import BaseCommand

from reminders.sending import send_due


class Command(BaseCommand):
    help = "Send the check-in reminders that are due now (at most one per person and day)."

    def handle(self, *args, **options):
        sent = send_due()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Reminders sent: {sent}")
