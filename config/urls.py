"""Top-level URLs: the JSON API v1, the admin, and the resident pages."""

from django.contrib import admin
from django.urls import path

from eligibility.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
