"""Copy the person's theme into a new session, so every page can show it for free."""

from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from . import theme


@receiver(auth_signals.user_logged_in, dispatch_uid="webapp_theme_on_sign_in")
def carry_theme(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    theme.remember(request.session, theme.stored_theme(user))
