"""The questionnaire in Chromium as residents with a screen reader, a keyboard or a small phone
in large-text mode use it: focus lands on each new page's heading, Back and Forward show the
pages again with their answers, labels sit beside their controls and targets are big enough."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

FIRST_PAGE = "/check/?q=birth_date&q=hukou"


def keys(page: Page) -> list[str]:
    return [el.get_attribute("value") or "" for el in page.locator("input[name=page]").all()]


def wait_for_page_after(page: Page, previous: list[str]) -> None:
    expect(page.locator("input[name=page]").first).not_to_have_value(previous[0])
    expect(page.locator("#question-heading")).to_be_visible()


def answer_first_page(page: Page) -> None:
    page.fill("#id_birth_date", "1944-03-02")
    page.check("input[name=hukou][value=beijing]")
    page.get_by_role("button", name="继续", exact=True).click()
    wait_for_page_after(page, ["birth_date"])


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_focus_moves_to_the_new_pages_heading_and_errors_take_it_first(page):
    page.goto("/check/")
    expect(page).to_have_url(re.compile(re.escape(FIRST_PAGE) + "$"))  # the page's own address
    page.get_by_role("button", name="继续", exact=True).click()  # nothing answered
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a").first).to_have_text(re.compile("您的出生日期是？"))
    page.locator("#error-summary a").first.click()
    expect(page.locator("#id_birth_date")).to_be_focused()
    answer_first_page(page)
    expect(page.locator("#question-heading")).to_be_focused()
    expect(page.locator("#question-heading")).to_contain_text("第 2 步，最多")
    assert page.locator("h1").count() == 1


def test_back_and_forward_show_each_page_again_with_its_answers(page):
    page.goto("/check/")
    answer_first_page(page)
    second = keys(page)
    second_url = page.url
    for key in second:  # skip the second page: Back must show it skipped, not blank
        page.check(f"#skip_{key}")
    page.get_by_role("button", name="继续", exact=True).click()
    wait_for_page_after(page, second)
    expect(page.locator("#question-heading")).to_contain_text("第 3 步")

    page.go_back()
    expect(page).to_have_url(second_url)
    expect(page.locator("input[name=page]").first).to_have_value(second[0])
    for key in second:
        expect(page.locator(f"#skip_{key}")).to_be_checked()
    expect(page.locator("#question-heading")).to_contain_text("第 2 步")
    expect(page.locator("#question-heading")).to_be_focused()

    page.go_back()
    expect(page.locator("input[name=page]").first).to_have_value("birth_date")
    expect(page.locator("#id_birth_date")).to_have_value("1944-03-02")
    expect(page.locator("input[name=hukou][value=beijing]")).to_be_checked()
    expect(page.locator("#question-heading")).to_contain_text("第 1 步")

    page.go_forward()
    expect(page).to_have_url(second_url)
    expect(page.locator(f"#skip_{second[0]}")).to_be_checked()


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus: reachable by keyboard alone."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with Tab")


def test_keyboard_alone_goes_from_the_first_question_to_the_results_and_back(new_page):
    page = new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.goto("/")
    tab_to(page, "a.btn-primary")  # 开始
    page.keyboard.press("Enter")
    expect(page.locator("#id_birth_date")).to_be_visible()
    tab_to(page, "#id_birth_date")
    page.keyboard.type("03021944")  # mm, dd, yyyy as the date field of an en-US browser takes them
    expect(page.locator("#id_birth_date")).to_have_value("1944-03-02")
    tab_to(page, "input[name=hukou]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=hukou][value=beijing]")).to_be_checked()
    tab_to(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    wait_for_page_after(page, ["birth_date"])
    expect(page.locator("#question-heading")).to_be_focused()
    second = keys(page)

    tab_to(page, "a.back-link")  # the page's own Back link
    page.keyboard.press("Enter")
    expect(page.locator("#id_birth_date")).to_have_value("1944-03-02")
    tab_to(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=page]").first).to_have_value(second[0])

    for _ in range(40):  # skip everything else, by keyboard
        if not page.locator("input[name=page]").count():
            break
        current = keys(page)
        for key in current:
            tab_to(page, f"#skip_{key}")
            page.keyboard.press("Space")
        tab_to(page, "button[type=submit].btn-primary")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "k => !document.querySelector('input[name=page]') || "
            "document.querySelector('input[name=page]').value !== k",
            arg=current[0],
        )
    expect(page).to_have_url(re.compile(r"/check/answers/$"))
    tab_to(page, "main a.btn-primary")  # 查看结果
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("查询结果")


def test_a_screen_reader_meets_heading_question_controls_and_button_in_that_order(page):
    page.goto("/check/")
    tree = page.locator("#questionnaire-panel").aria_snapshot()
    order = [
        'heading "第 1 步',
        "您的出生日期是？",
        "textbox",
        'group "您的户籍在哪里？"',
        'radio "北京市户籍"',
        'radio "外省市户籍"',
        'button "继续"',
    ]
    positions = [tree.find(item) for item in order]
    assert -1 not in positions, (tree, positions)
    assert positions == sorted(positions), tree
    assert tree.splitlines()[0].endswith("[level=1]")


def boxes(page: Page, selector: str) -> list[dict]:
    return [el.bounding_box() for el in page.locator(selector).all() if el.is_visible()]


def test_large_text_at_320_px_keeps_labels_beside_controls_and_targets_60_px(new_page):
    page = new_page(viewport={"width": 320, "height": 800})
    page.goto("/")
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html.elderly")).to_have_count(1)
    for path in (FIRST_PAGE, "/check/?q=receives", "/check/?q=care_setting"):
        page.goto(path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 320, path
        checks = page.locator(".form-check").all()
        assert checks, path
        for check in checks:
            control = check.locator("input").bounding_box()
            label = check.locator("label").bounding_box()
            assert control and label
            assert label["x"] >= control["x"] + control["width"], (path, label, control)
            assert label["y"] < control["y"] + control["height"], (path, label, control)  # beside
            assert label["height"] >= 60, (path, label)
        for box in boxes(page, "main .btn, main .form-control, main .form-select, header .btn"):
            assert box["height"] >= 60, (path, box)
        screenshot(page, f"question-320-large-{path.split('q=')[1].split('&')[0]}")


def test_normal_text_at_320_px_has_44_px_targets(new_page):
    page = new_page(viewport={"width": 320, "height": 800})
    page.goto(FIRST_PAGE)
    for box in boxes(page, ".form-check-label, main .btn, main .form-control, header .btn"):
        assert box["height"] >= 44, box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
