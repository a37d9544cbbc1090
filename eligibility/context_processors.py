from django.http import HttpRequest

from eligibility.views import ELDERLY_COOKIE


def preferences(request: HttpRequest) -> dict:
    """Whether the elderly-friendly mode (适老化) is on, for every page's <html> class."""
    return {"elderly_mode": request.COOKIES.get(ELDERLY_COOKIE) == "1"}
