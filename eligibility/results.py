"""Selectors that shape a screening for the results page, the print sheet and the library."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import quote

from rules import engine
from rules.catalogue import Catalogue, Programme, Text
from rules.clauses import clause_anchor
from rules.library import LibraryDocument


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


@functools.lru_cache(maxsize=4096)  # a results page links ~90 citations, from a few hundred
def clause_url(citation: str) -> str:
    """Library URL for a citation such as "京民发〔2026〕6号 一(一)": the document's page, at the
    clause's anchor (`rules.clauses`, which also gives the page's lines their anchors)."""
    number, _, clause = citation.partition(" ")
    url = f"/library/{quote(number)}/"
    anchor = clause_anchor(clause)
    return f"{url}#{quote(anchor)}" if anchor else url
