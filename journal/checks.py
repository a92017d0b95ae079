"""System checks for a deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Warn when the cache lives in each process: the sign-in throttles, the API's rate
    limits and the per-person limits count there, so N workers would allow N times more."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The cache is kept in each process (REDIS_URL is not set): with more than one "
            "worker, the sign-in throttles and the per-person limits count separately in "
            "each, allowing that many times the tries.",
            hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0, or run a single process.",
            id="twitchlog.W001",
        )
    ]
