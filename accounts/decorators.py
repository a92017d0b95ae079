"""Ask for the password (or a two-step code) again before sensitive downloads and deletion."""

from functools import wraps

from allauth.core.exceptions import ReauthenticationRequired

from .sessions import signed_in_recently


def recent_sign_in_required(view):
    """Send the signed-in person to confirm it is them when their last sign-in is older
    than settings.REAUTHENTICATION_MINUTES; they come back to the same request after.

    Put it inside login_required. allauth's middleware answers the exception with its
    re-authentication page, which keeps a POST to replay it once confirmed.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not signed_in_recently(request):
            raise ReauthenticationRequired()
        return view(request, *args, **kwargs)

    return wrapped
