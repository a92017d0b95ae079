from django.apps import AppConfig
from django.conf import settings


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the checks, connects hooks)
        from .dbfile import make_private

        make_private(settings.DATABASES["default"], testing=settings.TESTING)
