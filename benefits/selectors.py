"""Reads for the public policy library (pages and API): the latest publication's documents.

Never the draft tables: a title or text staff are still editing, or a document they have not
published, must not reach residents. The library is held in memory with the published snapshot,
so these read no database.
"""

from benefits.snapshot import published_library
from rules.library import LibraryDocument


def search_documents(query: str = "") -> tuple[LibraryDocument, ...]:
    """Published documents whose number, title, issuers, summary or full text contain `query`."""
    return published_library().search(query)


def document_by_number(number: str) -> LibraryDocument | None:
    """The published document with this number (None if it is not in the publication)."""
    return published_library().document(number)


def in_library(number: str) -> bool:
    """Whether a public link to this document's page would find it."""
    return document_by_number(number) is not None
