"""axe-core finds no serious or critical WCAG violation on the main pages, in Chinese, in
English and in the elderly-friendly mode."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "/",
    "/check/",
    "/results/",
    "/programmes/elderly-care-consumption-subsidy/",
    "/library/",
]
AXE = Axe()
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def serious_violations(page):
    results = AXE.run(page, options=WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        f"{[(n['target'], n.get('failureSummary')) for n in v['nodes']][:2]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("mode", ["zh", "en", "elderly"])
def test_main_pages_have_no_serious_accessibility_violations(page, mode):
    page.goto("/")
    if mode == "en":
        page.get_by_role("button", name="English").click()
    if mode == "elderly":
        page.get_by_role("button", name="大字模式").click()
        assert page.locator("html.elderly").count() == 1
    found = {}
    for path in PAGES:
        page.goto(path)
        if path == "/results/":  # expand everything so collapsed results are checked too
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
