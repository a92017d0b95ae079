"""URLs of the journal. The paths are part of the product's contract: keep them stable."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/signup/", views.SignUpView.as_view(), name="signup"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
]
