"""Top-level URLs: the JSON API v1, the admin, language switching and the resident pages."""

from django.contrib import admin
from django.urls import include, path

from benefits.handbook import handbook
from config.observability import alive, health
from eligibility.api import api
from eligibility.views import dashboard

urlpatterns = [
    path("healthz", health, name="health"),
    path("livez", alive, name="alive"),
    path("api/v1/", api.urls),
    path("admin/dashboard/", dashboard, name="dashboard"),
    path("admin/handbook/", admin.site.admin_view(handbook), name="staff_handbook"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("eligibility.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
