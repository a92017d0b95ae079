"""Email addresses as allauth keeps them."""

from allauth.account.models import EmailAddress


def mark_email_verified(user) -> EmailAddress:
    """Record the person's email as confirmed and primary, for accounts made outside
    sign-up (the demo account, an operator's): they can sign in straight away."""
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    return address
