"""URLs of the journal. The paths are part of the product's contract: keep them stable."""

from django.urls import path, register_converter

from .converters import IsoDateConverter
from .views import accounts, data, entries, flags, report, trends

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", entries.home, name="home"),
    path("healthz", accounts.healthz, name="healthz"),
    path("settings/", accounts.SettingsView.as_view(), name="settings"),
    path("log/", entries.TwitchCreateView.as_view(), name="log"),
    path("again/", entries.twitch_again, name="twitch_again"),
    path("twitches/<int:pk>/edit/", entries.TwitchUpdateView.as_view(), name="twitch_edit"),
    path("twitches/<int:pk>/delete/", entries.TwitchDeleteView.as_view(), name="twitch_delete"),
    path("twitches/<int:pk>/undo/", entries.twitch_undo, name="twitch_undo"),
    path("symptoms/new/", entries.SymptomCreateView.as_view(), name="symptom_new"),
    path("symptoms/<int:pk>/edit/", entries.SymptomUpdateView.as_view(), name="symptom_edit"),
    path("symptoms/<int:pk>/delete/", entries.SymptomDeleteView.as_view(), name="symptom_delete"),
    path("symptoms/<int:pk>/undo/", entries.symptom_undo, name="symptom_undo"),
    path("checkin/", entries.CheckInCreateView.as_view(), name="checkin"),
    path("checkin/<isodate:day>/", entries.CheckInUpdateView.as_view(), name="checkin_day"),
    path(
        "checkin/<isodate:day>/delete/",
        entries.CheckInDeleteView.as_view(),
        name="checkin_delete",
    ),
    path("checkin/<isodate:day>/undo/", entries.checkin_undo, name="checkin_undo"),
    path("journal/", entries.journal, name="journal"),
    path("trends/", trends.trends, name="trends"),
    path("flags/", flags.flags, name="flags"),
    path("report/", report.report, name="report"),
    path("report.pdf", report.report_pdf, name="report_pdf"),
    path("export/", data.export_page, name="export"),
    path("export/journal.csv", data.export_csv, name="export_csv"),
    path("export/journal.json", data.export_json, name="export_json"),
    path("export/import/", data.import_journal, name="import"),
    path("export/import/confirm/", data.import_confirm, name="import_confirm"),
    path("export/import/cancel/", data.import_cancel, name="import_cancel"),
    path("account/delete/", data.account_delete, name="account_delete"),
]
