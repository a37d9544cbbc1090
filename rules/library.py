"""The policy library of one catalogue: its gazette documents, searchable, with the programmes
based on each.

`benefits.snapshot` builds it from the latest publication, never from the draft, so a document or
programme staff have not published yet is neither listed nor linked on a public page. Like the
compiled catalogue it is frozen and touches no database: the library is searched in memory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rules import schema
from rules.catalogue import EMPTY, Text

ISSUER_SEPARATOR = "、"  # issuers in one line, as the gazette prints them
_FIELD_SEPARATOR = "\x00"  # between searched fields: a query never matches across two


@dataclass(frozen=True, slots=True)
class LibraryDocument:
    number: str
    title: Text
    issuers: str
    issue_date: dt.date | None
    effective_date: dt.date | None
    end_date: dt.date | None
    repeals: tuple[str, ...]
    gazette: str
    summary: Text
    full_text: str
    programmes: tuple[str, ...]  # slugs of the programmes it sets out, in catalogue order
    cited_by: tuple[str, ...]  # slugs of the programmes that also cite it
    searchable: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Library:
    documents: tuple[LibraryDocument, ...]  # newest first, then by number
    by_number: dict[str, LibraryDocument]

    def document(self, number: str) -> LibraryDocument | None:
        return self.by_number.get(number)

    def search(self, query: str = "") -> tuple[LibraryDocument, ...]:
        """Documents whose number, title, issuers, summary or full text contain `query`, in any
        letter case (every document for an empty query)."""
        needle = query.strip().casefold()
        if not needle:
            return self.documents
        return tuple(d for d in self.documents if needle in d.searchable)


def build_library(source: schema.Catalogue) -> Library:
    """The library of a catalogue in the schema: its documents and who is based on them."""
    programmes = sorted(source.programmes, key=lambda p: (p.order, p.slug))
    documents = sorted(
        (_document(d, programmes) for d in source.documents),
        key=lambda d: (d.issue_date is None, -(d.issue_date or dt.date.min).toordinal(), d.number),
    )
    return Library(tuple(documents), {d.number: d for d in documents})


def _document(document: schema.Document, programmes: list[schema.Programme]) -> LibraryDocument:
    title = Text(document.title.zh, document.title.en)
    summary = Text(document.summary.zh, document.summary.en) if document.summary else EMPTY
    issuers = ISSUER_SEPARATOR.join(document.issuers)
    searched = (document.number, title.zh, title.en, issuers, summary.zh, summary.en)
    return LibraryDocument(
        number=document.number,
        title=title,
        issuers=issuers,
        issue_date=document.issue_date,
        effective_date=document.effective_date,
        end_date=document.end_date,
        repeals=tuple(document.repeals),
        gazette=document.gazette,
        summary=summary,
        full_text=document.full_text,
        programmes=tuple(p.slug for p in programmes if p.document == document.number),
        cited_by=tuple(p.slug for p in programmes if document.number in p.cites),
        searchable=_FIELD_SEPARATOR.join((*searched, document.full_text)).casefold(),
    )
