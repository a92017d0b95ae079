"""The Settings page's "Apps and shortcuts" section, drawn by its own tag so that the
page's view needs to know nothing about tokens."""

from django import template

from ..models import ApiToken

register = template.Library()


@register.inclusion_tag("api/_apps_and_shortcuts.html", takes_context=True)
def apps_and_shortcuts(context):
    """The person's tokens, newest first, each with its last use and a Revoke button.

    One query: the person's tokens.
    """
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "tokens": list(ApiToken.objects.filter(user=request.user)),
    }
