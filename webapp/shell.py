"""The app shell: the files the service worker keeps for use without a connection.

Only files that are the same for everyone are listed: the style sheets, scripts and
icons, and the offline page. No page with anyone's data is ever kept (those are sent
`no-store`, and the service worker caches nothing but this list).

The shell's version is a hash of what it holds: the static files' hashed names when
collectstatic's manifest has them (ManifestStaticFilesStorage), their contents
otherwise (while developing), the offline page as rendered, and the worker's own code.
A release that changes any of them changes /sw.js, so browsers install the new worker,
which drops the old cache when it takes over.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

# Static files every page uses (templates/base.html), and the installed app's icons.
STATIC_FILES = (
    "vendor/bootstrap-5.3.8/bootstrap.min.css",
    "vendor/bootstrap-5.3.8/bootstrap.bundle.min.js",
    "css/app.css",
    "css/theme.css",
    "js/theme.js",
    "js/webapp.js",
    "js/queue.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "img/icon-maskable-512.png",
)
OFFLINE_TEMPLATE = "webapp/offline.html"
# The service worker's code; /sw.js is this with the shell in front.
WORKER = Path(__file__).with_name("sw.js")


@dataclass(frozen=True)
class Shell:
    version: str
    urls: tuple[str, ...]
    offline_url: str
    queue_url: str


def _fingerprint(name: str) -> str:
    stored_name = getattr(staticfiles_storage, "stored_name", None)
    if stored_name is not None:
        # The manifest's name carries the file's content hash: no need to read it.
        return stored_name(name)
    path = finders.find(name)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def offline_page() -> str:
    """The page shown for a page that cannot load offline, with the form that logs a
    twitch on the device: the same for everyone."""
    from .forms import OfflineTwitchForm

    return render_to_string(OFFLINE_TEMPLATE, {"form": OfflineTwitchForm()})


def worker_source() -> str:
    return WORKER.read_text(encoding="utf-8")


def current() -> Shell:
    """The shell of this release: what to cache, and the version that names the cache."""
    digest = hashlib.sha256()
    for name in STATIC_FILES:
        digest.update(f"{name}={_fingerprint(name)}\n".encode())
    digest.update(offline_page().encode())
    digest.update(worker_source().encode())
    offline_url = reverse("offline")
    urls = (offline_url, *(static(name) for name in STATIC_FILES))
    return Shell(
        version=digest.hexdigest()[:16],
        urls=urls,
        offline_url=offline_url,
        queue_url=static("js/queue.js"),
    )
