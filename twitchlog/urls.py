"""Top-level URLs: the admin, the account pages (django-allauth under /accounts/), and
the journal app."""

from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views

# The admin signs in through the same page as everyone, with its throttles and two-step
# sign-in, rather than through a login form of its own.
admin.site.login = secure_admin_login(admin.site.login)

# The account pages under the names the journal's templates use; allauth's own names
# (account_login, account_signup...) resolve to the same addresses.
account_urlpatterns = [
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("signup/", accounts_views.SignUpView.as_view(), name="signup"),
    path("password/change/", account_views.password_change, name="password_change"),
    path("password/reset/", account_views.password_reset, name="password_reset"),
    path("email/", accounts_views.email_address, name="account_email"),
    path("sessions/", accounts_views.sign_out_others, name="sign_out_others"),
    path(
        "2fa/webauthn/keys/<int:pk>/remove/",
        accounts_views.RemovePasskeyView.as_view(),
        name="remove_passkey",
    ),
    path("", include("allauth.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urlpatterns)),
    path("api/", include("api.urls")),
    path("settings/apps/", include("api.page_urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("webapp.urls")),
    path("", include("sharing.urls")),
    path("", include("journal.urls")),
]

handler429 = "accounts.views.too_many_requests"
handler500 = "journal.views.errors.server_error"
