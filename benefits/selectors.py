"""Reads that build data for the policy library (documents are not needed for screening, so
they are read from the database rather than the engine's snapshot)."""

from django.db.models import Q, QuerySet

from benefits.models import Document


def search_documents(query: str = "") -> QuerySet[Document]:
    """Documents whose number, title, issuer, summary or full text contain `query`."""
    documents = Document.objects.prefetch_related("programmes", "cited_by")
    query = query.strip()
    if query:
        documents = documents.filter(
            Q(number__icontains=query)
            | Q(title_zh__icontains=query)
            | Q(title_en__icontains=query)
            | Q(issuers__icontains=query)
            | Q(summary_zh__icontains=query)
            | Q(summary_en__icontains=query)
            | Q(full_text__icontains=query)
        )
    return documents


def document_by_number(number: str) -> Document | None:
    return Document.objects.prefetch_related("programmes", "cited_by").filter(number=number).first()
