"""Signed-in answers are never stored anywhere, and signing out wipes this device."""

from django.utils.cache import add_never_cache_headers

SIGNED_OUT = "_webapp_signed_out"
# The browser's cache and the site's storage: the service worker's caches and its
# registration, and the offline queue (IndexedDB). Pages register the worker again.
CLEAR_SITE_DATA = '"cache", "storage"'


class PrivateAnswersMiddleware:
    """Answers to a signed-in person are `no-store` unless their view says otherwise, so
    no page with their data is kept by the browser, a proxy or the service worker; the
    answer to signing out tells the browser to clear what this site stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        if getattr(request, SIGNED_OUT, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
