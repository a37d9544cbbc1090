from django.http import HttpRequest

from eligibility.views import elderly_mode


def preferences(request: HttpRequest) -> dict:
    """Whether the elderly-friendly mode (适老化) is on, for every page's <html> class."""
    return {"elderly_mode": elderly_mode(request)}
