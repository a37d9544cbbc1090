"""Figures in programme texts agree with the figures the engine uses.

A summary, note or step that names an amount ("1,395 yuan", "800元") must name a figure the
catalogue holds (a dated parameter, an amount rule, a table value) or, for figures the engine
does not compute with (a market reference price, another programme's tier), one printed in the
programme's own gazette documents. A text left behind when a standard changes fails here.
Reading notes (`decisions`) quote the gazette about figures not encoded, and are left out.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings

from benefits.files import read_directory
from rules import schema

FIGURE = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(?:元|yuan)")
SKIPPED = {"decisions", "cases", "tables", "facts", "parameters"}


def texts_of(model: object, path: str):
    """Every bilingual text in a programme, with where it is (decisions and cases left out)."""
    if isinstance(model, schema.Text):
        yield path, model.zh
        yield path, model.en
    elif isinstance(model, schema.Model):
        for name in type(model).model_fields:
            if name not in SKIPPED:
                yield from texts_of(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for index, item in enumerate(model):
            yield from texts_of(item, f"{path}[{index}]")


def figures(text: str) -> list[Decimal]:
    return [Decimal(m.group(1).replace(",", "").replace("，", "")) for m in FIGURE.finditer(text)]


def printed_figures(text: str) -> set[Decimal]:
    return {Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@pytest.fixture(scope="module")
def catalogue() -> schema.Catalogue:
    return read_directory(settings.CATALOGUE_DIR)


def encoded_figures(catalogue: schema.Catalogue) -> set[Decimal]:
    values = {v.value for p in catalogue.all_parameters() for v in p.values}
    for programme in catalogue.programmes:
        for amount in programme.amounts:
            values |= {x for x in (amount.value, amount.cap) if x is not None}
    for table in catalogue.all_tables():
        values |= {row.value for row in table.rows if isinstance(row.value, Decimal)}
    return values


def test_every_figure_in_a_programme_text_is_encoded_or_printed_in_its_documents(catalogue):
    encoded = encoded_figures(catalogue)
    documents = {document.number: document for document in catalogue.documents}
    stray = []
    for programme in catalogue.programmes:
        sources = [programme.document, *programme.cites]
        printed = set().union(*(printed_figures(documents[n].full_text) for n in sources))
        for path, text in texts_of(programme, programme.slug):
            stray += [
                f"{path}: {figure}" for figure in figures(text) if figure not in encoded | printed
            ]
    assert stray == []


def test_the_check_finds_figures_in_texts(catalogue):
    found = [f for p in catalogue.programmes for _, text in texts_of(p, "") for f in figures(text)]
    assert len(found) > 100
    assert Decimal(1395) in found and Decimal(800) in found
