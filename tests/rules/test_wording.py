"""Questions about someone else: every question of the catalogue read through `about_them`."""

import re

import pytest

from rules.catalogue import Text
from rules.wording import about_them


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            Text("您的出生日期是？", "What is your date of birth?"),
            Text("他/她的出生日期是？", "What is their date of birth?"),
        ),
        (
            Text("您现在的工作状况是？", "What is your work situation now?"),
            Text("他/她现在的工作状况是？", "What is their work situation now?"),
        ),
        (
            Text("毕业以后您有没有就业过？", "Have you held a job since you left school?"),
            Text("毕业以后他/她有没有就业过？", "Have they held a job since they left school?"),
        ),
        (
            Text("以下哪些情况适用于您？", "Which of these apply to you?"),
            Text("以下哪些情况适用于他/她？", "Which of these apply to them?"),
        ),
        (
            Text("如果您先受雇", "If you first worked for an employer, answer no."),
            Text("如果他/她先受雇", "If they first worked for an employer, answer no."),
        ),
        (
            Text("贵单位是否按规定为该人员缴纳社会保险费？", "Does your organisation pay?"),
            Text("贵单位是否按规定为该人员缴纳社会保险费？", "Does your organisation pay?"),
        ),
    ],
)
def test_questions_are_worded_for_the_person_screened(question, expected):
    assert about_them(question) == expected


def test_no_question_of_the_catalogue_still_speaks_to_you(catalogue):
    for spec in catalogue.facts.values():
        worded = about_them(spec.question)
        if worded == spec.question and "贵单位" in spec.question.zh:
            continue  # put to an employer, never about a family member
        if spec.key == "screening_as_employer":
            continue  # asked of whoever is screening
        assert not re.search(r"[您你]", worded.zh), (spec.key, worded.zh)
        assert not re.search(r"\byou(r|rself)?\b", worded.en, re.IGNORECASE), (
            spec.key,
            worded.en,
        )
        assert worded.zh.count("他/她") <= 3 and "他/她她" not in worded.zh
