"""The account's erasure: the person and everything they recorded, at their request."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction


def delete_account(user) -> None:
    """Erase the person: their account, profile and every entry (by cascade), and the
    sign-in records kept under their email address."""
    username = user.get_username()
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=username).delete()
        user.delete()
