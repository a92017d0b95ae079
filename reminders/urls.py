from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
