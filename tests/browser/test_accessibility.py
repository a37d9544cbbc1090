"""axe-core finds no serious or critical WCAG violation on any page type (start, question,
results, saved sheet, programme, library document, not found, error), in Chinese and English,
in normal and large-text mode, at 320 px and 1280 px, in real Chromium; nor is any link's or
button's label squeezed into a narrow column.

One browser context per language and text size visits every page at both widths (a resize,
not a new page), so the 64 checks stay quick."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE = Axe()
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
WIDTHS = (320, 1280)
LABELS = {
    "zh": {"continue": "继续", "save": "保存并打印结果单", "large": "大字模式"},
    "en": {"continue": "Continue", "save": "Save and print a result sheet", "large": "Large text"},
}


def serious_violations(page):
    results = AXE.run(page, options=WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        f"{[(n['target'], n.get('failureSummary')) for n in v['nodes']][:2]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# Links and buttons whose label is squeezed into a column a character or two wide (a row of
# actions that does not wrap on a phone): no WCAG rule catches it, a resident cannot read it.
SQUEEZED = """() => [...document.querySelectorAll('a, button')].filter(e => {
    const box = e.getBoundingClientRect();
    const label = e.innerText.trim();
    return box.width > 0 && [...label].length > 3
        && box.width < 3 * parseFloat(getComputedStyle(e).fontSize);
}).map(e => e.innerText.trim())"""


def check_at_both_widths(page, name: str, found: dict) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = serious_violations(page)
        if violations:
            found[f"{name} @{width}"] = violations
        squeezed = page.evaluate(SQUEEZED)
        if squeezed:
            found[f"{name} @{width}: labels squeezed"] = squeezed


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_every_page_type_has_no_serious_accessibility_violations(page, lang, large):
    labels = LABELS[lang]
    page.goto("/")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")  # the switch has landed
    if large:
        page.get_by_role("button", name=labels["large"]).click()
        expect(page.locator("html.elderly")).to_have_count(1)  # waits for the new page
    found: dict = {}
    for name, path in (
        ("start", "/"),
        ("programme", "/programmes/elderly-care-consumption-subsidy/"),
        ("library", "/library/"),
        ("document", "/library/京民发〔2026〕6号/"),
        ("not found", "/no-such-page/"),
        ("error", "/library/?q=%ff"),
        ("question", "/check/"),
    ):
        page.goto(path)
        check_at_both_widths(page, name, found)
    page.get_by_role("button", name=labels["continue"], exact=True).click()  # nothing answered
    page.locator("#error-summary").wait_for()
    check_at_both_widths(page, "question with errors", found)
    page.fill("#id_birth_date", "1944-03-02")
    page.check("input[name=hukou][value=beijing]")
    page.get_by_role("button", name=labels["continue"], exact=True).click()
    page.wait_for_url("**/check/?q=hukou_nature*")
    page.goto("/results/")
    check_at_both_widths(page, "results", found)
    page.get_by_role("button", name=labels["save"]).click()
    page.wait_for_url("**/r/**")
    check_at_both_widths(page, "saved sheet", found)
    page.goto(page.url + "?clauses=1")
    check_at_both_widths(page, "saved sheet with clauses", found)
    assert found == {}
