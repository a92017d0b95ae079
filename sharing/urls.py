"""/share/ for the person (signed in), /s/<token>/ for their clinician (no sign-in)."""

from django.urls import path

from . import views

urlpatterns = [
    path("share/", views.share, name="share"),
    path("share/<int:pk>/revoke/", views.revoke, name="share_revoke"),
    path("s/<str:token>/", views.shared, name="shared"),
    path("s/<str:token>/report.pdf", views.shared_pdf, name="shared_pdf"),
]
