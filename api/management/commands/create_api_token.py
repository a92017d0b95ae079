"""Print a new personal access token for a person: for operators, and for scripts that
set up a device. The token is printed once; only its digest is stored."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.forms import EXPIRY_CHOICES, NEVER, TokenForm
from api.models import ApiToken
from api.tokens import create_token


class Command(BaseCommand):
    help = "Create a personal access token for the person with this email, and print it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--scope",
            choices=[choice.value for choice in ApiToken.Scope],
            default=ApiToken.Scope.WRITE.value,
        )
        parser.add_argument(
            "--expires",
            choices=[value for value, _ in EXPIRY_CHOICES],
            default=NEVER,
            help="Days until it stops working, or never (the default).",
        )

    def handle(self, *args, email, name, scope, expires, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email {email}.")
        form = TokenForm({"name": name, "scope": scope, "expires": expires})
        if not form.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in form.errors.items()
            )
            raise CommandError(problems)
        _, token = create_token(
            user, form.cleaned_data["name"], form.cleaned_data["scope"], form.expires_at()
        )
        self.stdout.write(token)
