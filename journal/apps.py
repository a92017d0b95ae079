from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self):
        from . import signals  # noqa: F401  (connects the Profile creation hook)
