"""The account's erasure: the person and everything they recorded, at their request."""

from django.db import transaction


def delete_account(user) -> None:
    """Erase the person: their account, profile and every entry, and with them their
    email addresses, two-step methods, sessions, account activity and the links they shared
    with a doctor (all by cascade)."""
    with transaction.atomic():
        user.delete()
