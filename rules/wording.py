"""Questions worded for someone else: the catalogue asks "您…" / "you…"; a daughter screening
her father, or a community worker a resident, reads "他/她…" / "they…".

A systematic rewrite rather than a second wording per fact, so a question staff add is worded
for both at once; tests/rules/test_wording.py reads every question of the catalogue through it.
Questions put to an employer (贵单位, "your organisation") are never about a family member and
are left as they are.
"""

from __future__ import annotations

import re

from rules.catalogue import Text

_EMPLOYER = ("贵单位", "organisation")

_ZH = (("您们", "他们"), ("您", "他/她"), ("你", "他/她"))

# "you" after a word that asks ("do you", "are you") or as the subject before a verb is "they";
# after a verb or a preposition, or at the end of a clause, it is "them".
_AUXILIARIES = r"(?:do|does|did|are|were|have|has|can|will|would|should|may)"
_EN = (
    (re.compile(r"\byourself\b"), "themselves"),
    (re.compile(r"\bYour\b"), "Their"),
    (re.compile(r"\byour\b"), "their"),
    (re.compile(r"\b(" + _AUXILIARIES + r") you\b", re.IGNORECASE), r"\1 they"),
    (re.compile(r"\b(if|when|that|whether|unless|because|once|until) you\b", re.I), r"\1 they"),
    (re.compile(r"\bYou\b"), "They"),
    (
        re.compile(
            r"\byou(?= (?:" + _AUXILIARIES + r"|now|left|live|work|want|pay|spend|hold|"
            r"graduated|retired|receive)\b)"
        ),
        "they",
    ),
    (re.compile(r"\byou\b"), "them"),
)


def about_them(question: Text) -> Text:
    """`question` asked about another person, in both languages."""
    if any(word in question.zh or word in question.en for word in _EMPLOYER):
        return question
    return Text(third_person_zh(question.zh), third_person_en(question.en))


def third_person_zh(text: str) -> str:
    for you, them in _ZH:
        text = text.replace(you, them)
    return text


def third_person_en(text: str) -> str:
    for pattern, replacement in _EN:
        text = pattern.sub(replacement, text)
    return text
