"""The signed link in every reminder that turns reminders off without signing in."""

from django.core import signing
from django.urls import reverse

SALT = "reminders.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=SALT, compress=True)


def user_id_from(token: str) -> int | None:
    """The person a link was made for, or None when it was not made by this app."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def unsubscribe_path(user) -> str:
    return reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user)})
