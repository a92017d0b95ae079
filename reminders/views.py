"""The link in every reminder that turns reminders off, without signing in."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import links
from .models import Reminder


# A mail app's own "Unsubscribe" button posts to the link with no CSRF token (RFC 8058);
# the signature in the link is what proves it came from a reminder.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Turn the link's person's reminders off and say so; a link that is not ours changes
    nothing and says that too."""
    user_id = links.user_id_from(token)
    turned_off = user_id is not None and bool(
        Reminder.objects.filter(user_id=user_id, enabled=True).update(enabled=False)
    )
    return render(
        request,
        "reminders/unsubscribe.html",
        {"valid": user_id is not None, "turned_off": turned_off},
    )
