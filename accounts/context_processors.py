"""Template context for pages that lead to sensitive downloads."""

from .sessions import signed_in_recently


def account_security(request):
    """`signed_in_recently`: whether a download will go straight through or ask for the
    password first (a link with `download` would save the password page instead).
    Evaluated only by templates that use it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"signed_in_recently": lambda: signed_in_recently(request)}
