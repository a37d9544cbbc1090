"""The site's URLs plus one that fails, where saved sheets are, for the error-report test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as site


def broken(request: HttpRequest, code: str) -> HttpResponse:
    raise RuntimeError("the sheet could not be read")


urlpatterns = [path("r/<str:code>/", broken), *site.urlpatterns]
handler500 = site.handler500
