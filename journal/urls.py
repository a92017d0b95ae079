"""URLs of the journal. The paths are part of the product's contract: keep them stable."""

from django.urls import path

from .views import accounts

urlpatterns = [
    path("", accounts.home, name="home"),
    path("healthz", accounts.healthz, name="healthz"),
    path("accounts/signup/", accounts.SignUpView.as_view(), name="signup"),
    path("settings/", accounts.SettingsView.as_view(), name="settings"),
]
