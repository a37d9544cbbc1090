"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

Never downloads a browser: `executable_path` is /usr/bin/chromium (installed by scripts/test).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Page, sync_playwright

from benefits import snapshot
from benefits.models import Programme

# Playwright's sync API runs an event loop in this thread; Django's ORM is still used
# synchronously from the test thread, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright's event loop runs, asgiref keeps this thread's database connections
        # apart from those it has without the loop: closed here, or PostgreSQL refuses to drop
        # the test database that connection still uses.
        connections.close_all()


@pytest.fixture(scope="module", autouse=True)
def _catalogue_back_for_later_tests(django_db_setup, django_db_blocker):
    """Each browser test ends by emptying its worker's database; with work stealing the worker
    may go on to tests that expect the loaded catalogue, so it is loaded back after the module."""
    yield
    with django_db_blocker.unblock():
        if not Programme.objects.exists():
            call_command("load_catalogue", verbosity=0)
    snapshot.invalidate()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the catalogue (transactional tests start from an empty database)."""
    if not Programme.objects.exists():
        call_command("load_catalogue", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser, site) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser, site):
    contexts = []

    def make(**options) -> Page:
        context = browser.new_context(base_url=site, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def answer_questions(page: Page, persona: dict, continue_label: str, limit: int = 40) -> list:
    """Answer each question page from `persona`, skipping questions it does not cover.

    Called on (or on the way to) a question page: `locator.all()` does not wait, so right after
    a click on "Start" it could still see the home page and return having answered nothing.
    """
    page.locator("input[name=page]").first.wait_for(state="attached")
    seen = []
    for _ in range(limit):
        keys = [el.get_attribute("value") for el in page.locator("input[name=page]").all()]
        if not keys:
            return seen
        seen.append(keys)
        for key in keys:
            if key not in persona:
                page.check(f"#skip_{key}")
                continue
            value = persona[key]
            if isinstance(value, list):
                for item in value:
                    page.check(f"input[name={key}][value={item}]")
            elif isinstance(value, bool):
                page.check(f"input[name={key}][value={'true' if value else 'false'}]")
            elif page.locator(f"input[type=radio][name={key}]").count():
                page.check(f"input[name={key}][value='{value}']")
            elif page.locator(f"select[name={key}]").count():
                page.select_option(f"select[name={key}]", str(value))
            else:
                page.fill(f"[name={key}]", str(value))
        page.get_by_role("button", name=continue_label, exact=True).click()
        # The next page (swapped in by htmx, or loaded without JavaScript) asks other questions.
        page.wait_for_function(
            "previous => [...document.querySelectorAll('input[name=page]')]"
            ".map(e => e.value).join() !== previous",
            arg=",".join(keys),
        )
    raise AssertionError(f"questionnaire did not end after {limit} pages: {seen}")
