"""The installable app's addresses, at the root: a service worker's scope is its folder."""

from django.urls import path

from . import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("offline/session/", views.session, name="offline_session"),
]
