"""``{% one_time_key %}``: the hidden key that makes an entry form save once (journal.once)."""

from django import template
from django.utils.html import format_html

from .. import once

register = template.Library()


@register.simple_tag(takes_context=True)
def one_time_key(context):
    """A new key for a form being shown; the key it was sent with when it comes back
    with a problem to fix (nothing was saved with it, so the fixed form may use it)."""
    request = context.get("request")
    posted = request is not None and request.method == "POST"
    sent = request.POST.get(once.FIELD) if posted else None
    key = sent if once.is_key(sent) else once.new_key()
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, key)
