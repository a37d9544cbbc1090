"""Selectors that shape a screening for the results page, the print sheet and the library."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from rules import engine
from rules.catalogue import Catalogue, Programme, Text
from rules.library import LibraryDocument

_TOP = re.compile(r"^\s*([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]")
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百]+条)")
_ITEM = re.compile(r"^\s*(\d+)[.．、]")
_ANNEX = re.compile(r"^\s*(附件\s*\d*)\s*$")


@dataclass
class ResultGroups:
    eligible: list[engine.Result] = field(default_factory=list)
    unknown: list[engine.Result] = field(default_factory=list)
    ineligible: list[engine.Result] = field(default_factory=list)
    inactive: list[engine.Result] = field(default_factory=list)

    @property
    def may_qualify(self) -> int:
        return len(self.eligible) + len(self.unknown)


def group_results(screening: engine.Screening) -> ResultGroups:
    groups = ResultGroups()
    for result in screening.results:
        getattr(groups, result.status).append(result)
    return groups


def deciding_questions(catalogue: Catalogue, result: engine.Result, limit: int = 2) -> list[Text]:
    """The one or two questions whose answers would decide an unknown result."""
    specs = [catalogue.facts[key] for key in result.missing if key in catalogue.facts]
    return [spec.question for spec in specs[:limit]]


def based_on(catalogue: Catalogue, document: LibraryDocument, day: dt.date) -> list[Programme]:
    """The published programmes a library document sets out, with their texts as on `day`."""
    found = (catalogue.programme(slug, day) for slug in document.programmes)
    return [programme for programme in found if programme is not None]


def clause_anchor(clause: str) -> str:
    """HTML id of a clause within its document: "一(一)" → "c-一(一)"."""
    return "c-" + re.sub(r"\s+", "", clause.replace("（", "(").replace("）", ")"))


def clause_url(citation: str) -> str:
    """Library URL for a citation such as "京民发〔2026〕6号 一(一)"."""
    number, _, clause = citation.partition(" ")
    url = f"/library/{quote(number)}/"
    return f"{url}#{quote(clause_anchor(clause))}" if clause else url


@dataclass(frozen=True)
class TextLine:
    text: str
    anchor: str = ""


def clause_lines(full_text: str) -> list[TextLine]:
    """The document's lines, each clause heading given an id so a citation can link to it."""
    lines: list[TextLine] = []
    top = sub = ""
    seen: set[str] = set()
    for raw in full_text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        anchor = ""
        if match := _TOP.match(line):
            top, sub = match.group(1), ""
            anchor = top
        elif match := _SUB.match(line):
            sub = f"({match.group(1)})"
            anchor = f"{top}{sub}"
        elif match := _ARTICLE.match(line):
            top, sub = match.group(1), ""
            anchor = top
        elif match := _ANNEX.match(line):
            anchor = re.sub(r"\s+", "", match.group(1))
        elif (match := _ITEM.match(line)) and top:
            anchor = f"{top}{sub}{match.group(1)}"
        anchor = clause_anchor(anchor) if anchor else ""
        if anchor in seen:
            anchor = ""
        seen.add(anchor)
        lines.append(TextLine(line, anchor))
    return lines
