"""Money figures in programme texts are rendered from the figures the engine uses.

A summary, note or step names an amount by placeholder (`{di_bao_standard}`, a table row
`{skills-level-standard:5,B}`), never by typing it (rules.figures), so it always shows the figure
in force on the screening date. A figure typed into a text fails here; a placeholder that names
nothing is refused by the validator. Reading notes (`decisions`) quote the gazette and test
personas (`cases`) describe their own answers, so both are left out.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings

from benefits.files import read_directory
from rules import schema
from rules.catalogue import Programme
from rules.compile import compile_catalogue
from rules.validation import catalogue_problems

FIGURE = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(?:元|yuan)")
UNRENDERED = re.compile(r"[{}]|\?\s*(?:元|yuan)")
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


@pytest.fixture(scope="module")
def catalogue() -> schema.Catalogue:
    return read_directory(settings.CATALOGUE_DIR)


def test_no_money_figure_is_typed_into_a_programme_text(catalogue):
    typed = [
        f"{path}: {figure}"
        for programme in catalogue.programmes
        for path, text in texts_of(programme, programme.slug)
        for figure in figures(text)
    ]
    assert typed == []


def compiled_texts(programme: Programme) -> list[str]:
    texts = [programme.summary, *programme.steps, *programme.materials, programme.payment]
    texts += [amount.note for amount in programme.amounts]
    texts += [text for r in programme.requirements for text in (r.description, r.note)]
    return [language for text in texts for language in (text.zh, text.en)]


def test_texts_name_their_figures_and_render_them_on_every_date_they_change(catalogue):
    assert catalogue_problems(catalogue) == []
    compiled = compile_catalogue(catalogue)
    texts = [
        text
        for _, programmes in compiled.eras
        for programme in programmes
        for text in compiled_texts(programme)
    ]
    rendered = [figure for text in texts for figure in figures(text)]
    assert len(rendered) > 100  # the check above would see them, had they been typed
    assert {Decimal(1245), Decimal(1395), Decimal(800), Decimal(28221)} <= set(rendered)
    assert [text for text in texts if UNRENDERED.search(text)] == []
