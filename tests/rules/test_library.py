"""The policy library of a publication: what residents find when they search the gazette, in which
order, and which programmes each document leads to."""

import datetime as dt

from rules import schema
from rules.catalogue import EMPTY, Text
from rules.library import build_library

CARE = "京民发〔2026〕6号"
SKILLS = "京人社能发〔2026〕2号"
WATER = "京水务发〔2026〕29号"
UNDATED = "京政办发〔2026〕1号"


def document(number, title_en, issued=None, **extra):
    return schema.Document(
        number=number,
        title=schema.Text(zh=f"{number}标题", en=title_en),
        issue_date=issued,
        **extra,
    )


def programme(slug, source, cites=(), order=100):
    return schema.Programme(
        schema_version=2,
        slug=slug,
        name=schema.Text(zh="名", en="name"),
        summary=schema.Text(zh="摘要", en="summary"),
        category="employment",
        document=source,
        cites=list(cites),
        order=order,
    )


LIBRARY = build_library(
    schema.Catalogue(
        documents=[
            document(UNDATED, "Undated notice"),
            document(
                CARE,
                "Elderly Care Consumption Subsidy",
                dt.date(2026, 2, 1),
                issuers=["北京市民政局", "北京市财政局"],
                summary=schema.Text(zh="养老服务消费补贴", en="Vouchers for elderly care"),
                full_text="一、补贴对象\n本市户籍老年人",
            ),
            document(SKILLS, "Skills subsidy catalogue", dt.date(2026, 3, 1)),
            document(WATER, "Water works", dt.date(2026, 2, 1)),
        ],
        facts=[],
        programmes=[
            programme("skills-b", SKILLS, order=2),
            programme("skills-a", SKILLS, cites=[CARE], order=2),
            programme("care", CARE, order=1),
        ],
    )
)


def numbers(documents):
    return [d.number for d in documents]


def test_newest_first_then_by_number_and_undated_last():
    assert numbers(LIBRARY.documents) == [SKILLS, CARE, WATER, UNDATED]


def test_an_empty_query_lists_everything():
    assert LIBRARY.search("  ") == LIBRARY.documents


def test_search_finds_words_in_any_field_in_any_letter_case():
    assert numbers(LIBRARY.search("elderly CARE")) == [CARE]  # title
    assert numbers(LIBRARY.search("财政局")) == [CARE]  # issuers
    assert numbers(LIBRARY.search("vouchers")) == [CARE]  # summary
    assert numbers(LIBRARY.search("本市户籍")) == [CARE]  # full text
    assert numbers(LIBRARY.search("人社能发")) == [SKILLS]  # number
    assert LIBRARY.search("no such words") == ()


def test_a_query_never_matches_across_two_fields():
    assert LIBRARY.search("Vouchers for elderly care一、补贴对象") == ()


def test_a_document_leads_to_the_programmes_based_on_it_and_those_citing_it():
    assert LIBRARY.document(SKILLS).programmes == ("skills-a", "skills-b")
    assert LIBRARY.document(CARE).programmes == ("care",)
    assert LIBRARY.document(CARE).cited_by == ("skills-a",)
    assert LIBRARY.document(WATER).programmes == () and LIBRARY.document(WATER).cited_by == ()


def test_a_document_reads_as_the_gazette_prints_it():
    care = LIBRARY.document(CARE)
    assert care.issuers == "北京市民政局、北京市财政局"
    assert care.title == Text(f"{CARE}标题", "Elderly Care Consumption Subsidy")
    assert LIBRARY.document(WATER).summary == EMPTY
    assert LIBRARY.document("京X〔0〕0号") is None
