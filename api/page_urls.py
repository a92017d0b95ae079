"""The Settings pages for personal access tokens (under /settings/apps/)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("tokens/new/", pages.token_new, name="token_new"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
