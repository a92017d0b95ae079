"""Signing out wipes what the site stored on the device."""

SIGNED_OUT = "_webapp_signed_out"
# The browser's cache and the site's storage: the service worker's caches and its
# registration, and the offline queue (IndexedDB). Pages register the worker again.
CLEAR_SITE_DATA = '"cache", "storage"'


class ClearOnSignOutMiddleware:
    """The answer to signing out tells the browser to clear what this site stored, so no
    twitch waiting to be sent and no cached file outlives the person's session here.
    (Signed-in pages are never stored to begin with: journal.middleware.PrivatePagesMiddleware.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, SIGNED_OUT, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
