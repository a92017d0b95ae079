"""Signing in copies the person's theme into the session, so every page shows it for free;
signing out marks the answer to clear what this site stored on the device."""

from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from . import theme
from .middleware import SIGNED_OUT


@receiver(auth_signals.user_logged_in, dispatch_uid="webapp_theme_on_sign_in")
def carry_theme(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    theme.remember(request.session, theme.stored_theme(user))


@receiver(auth_signals.user_logged_out, dispatch_uid="webapp_clear_on_sign_out")
def clear_device_on_sign_out(sender, request, user, **kwargs):
    if request is not None:
        setattr(request, SIGNED_OUT, True)
