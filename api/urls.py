"""The API's addresses, under /api/. Version 1 lives under /api/v1/; the paths are a
contract with every shortcut and automation that uses them: keep them stable."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from . import reads, views
from .docs import api_docs

app_name = "api"

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    path("docs/", api_docs, name="docs"),
    path("v1/twitches/", views.TwitchViewSet.as_view(LIST), name="twitch-list"),
    path("v1/twitches/again/", views.TwitchAgainView.as_view(), name="twitch-again"),
    path("v1/twitches/<str:pk>/", views.TwitchViewSet.as_view(DETAIL), name="twitch-detail"),
    path("v1/symptoms/", views.SymptomViewSet.as_view(LIST), name="symptom-list"),
    path("v1/symptoms/<str:pk>/", views.SymptomViewSet.as_view(DETAIL), name="symptom-detail"),
    path("v1/checkins/", views.CheckInViewSet.as_view(LIST), name="checkin-list"),
    path("v1/checkins/<str:day>/", views.CheckInViewSet.as_view(DETAIL), name="checkin-detail"),
    path("v1/vocabulary/", views.VocabularyView.as_view(), name="vocabulary"),
    path("v1/flags/", reads.FlagsView.as_view(), name="flags"),
    path("v1/summary/", reads.SummaryView.as_view(), name="summary"),
    path("v1/export/", reads.ExportView.as_view(), name="export"),
    path("v1/report.pdf", reads.ReportPdfView.as_view(), name="report-pdf"),
]
