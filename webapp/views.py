"""The installable app: its manifest, its service worker and its offline page, the same
for everyone and with nobody's data; and, for the offline queue, whether this device is
signed in.
"""

import json

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import owner, shell

THEME_COLOUR = "#0f5e63"
BACKGROUND_COLOUR = "#f6f8f8"


def _revalidated(response):
    """Always asked again (a new release shows at once), but never for anyone's data."""
    patch_cache_control(response, no_cache=True, public=True)
    return response


def manifest_data() -> dict:
    icon = {"type": "image/png", "purpose": "any"}
    return {
        "id": "/",
        "name": "TwitchLog",
        "short_name": "TwitchLog",
        "description": "A private journal for muscle twitches, related symptoms and habits.",
        "lang": "en",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {**icon, "src": static("img/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("img/icon-512.png"), "sizes": "512x512"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {
                "name": "Log a twitch",
                "short_name": "Log",
                "description": "Tap the place on the body map and save.",
                "url": reverse("log"),
            },
            {
                "name": "Again",
                "short_name": "Again",
                "description": "Log your last twitch once more, now.",
                "url": reverse("home") + "#again",
            },
            {
                "name": "Check-in",
                "short_name": "Check-in",
                "description": "Today's sleep, caffeine, stress and exercise.",
                "url": reverse("checkin"),
            },
        ],
    }


@require_GET
def manifest(request):
    """/manifest.webmanifest: what a phone needs to install the app on its home screen."""
    body = json.dumps(manifest_data(), indent=2)
    return _revalidated(HttpResponse(body, content_type="application/manifest+json"))


@require_GET
def service_worker(request):
    """/sw.js, at the root so that its scope is the whole app."""
    current = shell.current()
    settings_line = json.dumps(
        {
            "version": current.version,
            "urls": current.urls,
            "offline": current.offline_url,
            "queue": current.queue_url,
        }
    )
    body = f"const SHELL = {settings_line};\n{shell.worker_source()}"
    return _revalidated(HttpResponse(body, content_type="text/javascript; charset=utf-8"))


@require_GET
def offline(request):
    """The page shown when a page cannot load without a connection."""
    return _revalidated(HttpResponse(shell.offline_page()))


@never_cache
@require_GET
def session(request):
    """Whether this device is signed in, the token its queue sends with, and the marks of
    the person signed in (js/queue.js): a twitch logged offline waits until the person who
    logged it is signed in, and is sent by nobody else (webapp.owner)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "csrf": "", "owners": []})
    return JsonResponse(
        {"signed_in": True, "csrf": get_token(request), "owners": owner.marks(request.user)}
    )
