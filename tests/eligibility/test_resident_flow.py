"""The questionnaire as a resident moves through it without JavaScript: one heading per page,
a step count that never goes down, an address per page so Back shows the page before with its
answers, and an error summary that names each question."""

import re

import pytest
import yaml
from django.conf import settings

from tests.personas import GRADUATE_2025
from tests.programmes.walk import PERSONA_35_UNEMPLOYED, PERSONA_80_MODERATE

pytestmark = pytest.mark.django_db
STEP = re.compile(r"第 (\d+) 步，最多 (\d+) 步")


def page_keys(html: str) -> list[str]:
    return re.findall(r'name="page" value="([a-z_0-9]+)"', html)


def walk(client, persona: dict) -> list[tuple[str, list[str], int, int]]:
    """Answer each page from `persona` (skipping what it does not say) until the answers page:
    (address, keys, step, at most) of each page seen."""
    seen = []
    url = "/check/"
    for _ in range(60):
        response = client.get(url)
        html = response.content.decode()
        keys = page_keys(html)
        step, at_most = (int(n) for n in STEP.search(html).groups())
        seen.append((url, keys, step, at_most))
        data: dict = {"page": keys, "skip": [k for k in keys if k not in persona]}
        for key in keys:
            if key in persona:
                value = persona[key]
                data[key] = (
                    {True: "true", False: "false"}.get(value, value)
                    if isinstance(value, bool)
                    else value
                )
        url = client.post("/check/", data).url
        if url == "/check/answers/":
            return seen
    raise AssertionError(seen)


@pytest.mark.parametrize(
    "persona", [PERSONA_80_MODERATE, PERSONA_35_UNEMPLOYED, GRADUATE_2025], ids=["80", "35", "grad"]
)
def test_the_step_number_goes_up_by_one_a_page_and_never_past_its_bound(client, persona):
    seen = walk(client, persona)
    steps = [step for _, _, step, _ in seen]
    assert steps == list(range(1, len(seen) + 1))
    bounds = [at_most for _, _, _, at_most in seen]
    assert all(step <= at_most for step, at_most in zip(steps, bounds, strict=True))
    assert bounds == sorted(bounds, reverse=True), bounds  # "at most" is never broken
    # Back to any page: its own step number again, not a new one
    url, keys, step, _ = seen[1]
    html = client.get(url).content.decode()
    assert page_keys(html) == keys and int(STEP.search(html).group(1)) == step


def test_each_page_has_its_own_address_and_back_shows_it_with_the_answers(client):
    first = client.post(
        "/check/", {"page": ["birth_date", "hukou"], "birth_date": "1944-03-02", "hukou": "beijing"}
    )
    assert first.status_code == 302 and first.url.startswith("/check/?q=")
    second_keys = page_keys(client.get(first.url).content.decode())
    assert second_keys and second_keys != ["birth_date", "hukou"]
    back = client.get("/check/?q=birth_date&q=hukou").content.decode()
    assert 'value="1944-03-02"' in back
    assert re.search(r'value="beijing"[^>]*checked', back)
    assert (
        f'data-page-url="{first.url.replace("&", "&amp;")}"'
        in client.get(first.url).content.decode()
    )


def test_a_question_page_has_one_h1_naming_the_step(client):
    html = client.get("/check/").content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert re.search(r'<h1 id="question-heading"[^>]*tabindex="-1"', html)
    assert "第 1 步，最多" in html and "请回答下面的问题" in html


def test_the_error_summary_names_each_question_and_links_to_its_field(client):
    html = client.post(
        "/check/", {"page": ["birth_date", "hukou"], "birth_date": "1950-02-30"}
    ).content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    items = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', summary, re.S)
    assert [anchor for anchor, _ in items] == ["id_birth_date", "id_hukou_0"]
    assert "您的出生日期是？" in items[0][1] and "请填写有效日期" in items[0][1]
    assert "您的户籍在哪里？" in items[1][1] and "请回答这个问题" in items[1][1]
    assert 'id="id_birth_date"' in html and 'id="id_hukou_0"' in html


def test_the_error_summary_names_the_question_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.post("/check/", {"page": ["birth_date", "hukou"]}).content.decode()
    assert re.search(
        r'href="#id_birth_date"><span class="error-question">What is your date of birth\?', html
    )


# Every question must be answered or skipped: no help text may tell the resident otherwise.
CONTRADICTING = [
    "请勿回答",
    "不要回答",
    "不用回答",
    "无需回答",
    "不必回答",
    "可不回答",
    "可以不回答",
    "可不填",
    "可以不填",
    "不用填",
    "无需填写此",
    "留空",
    "空着",
    "do not answer",
    "don't answer",
    "no need to answer",
    "leave it blank",
    "leave blank",
    "leave this blank",
    "leave empty",
]


def test_no_help_text_tells_the_resident_not_to_answer_a_question(catalogue):
    facts = yaml.safe_load((settings.BASE_DIR / "benefits/catalogue/facts.yaml").read_text())
    helps = [(fact["key"], fact.get("help") or {}) for fact in facts]
    helps += [(key, spec.help.zh + " " + spec.help.en) for key, spec in catalogue.facts.items()]
    found = [
        (key, phrase)
        for key, texts in helps
        for text in ([texts] if isinstance(texts, str) else texts.values())
        for phrase in CONTRADICTING
        if phrase in text.lower()
    ]
    assert found == []
    assert len(helps) > 50
