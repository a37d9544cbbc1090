"""The results page's result cards, each rendered once for all residents it fits.

A card (`eligibility/_result.html`) shows one programme's outcome: its texts as in force on the
screening date, the status, the reasons' outcomes, the amount, the deadlines, the conflicts and
the questions that would decide it, in the page's language. Residents who answered differently
still share most cards (every inactive programme's, most "not for you" ones), so a card is kept
under a key made of exactly those inputs and rendered only when a new combination comes along.
Whole answer sets are never the key: a new resident still gets a screening of their own.

The card template reads nothing else from the page's context (no request, CSRF token or
preference): tests/eligibility/test_result_cards.py checks each memoized card against the same
template included in the full page context.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from eligibility.formatting import active_lang
from rules import engine
from rules.catalogue import Catalogue, Text

CARD_TEMPLATE = "eligibility/_result.html"
MAX_CARDS = 2048  # ~4 KB each (most are short "not for you" cards): at most ~8 MB per worker


class _Cards:
    """A thread-safe LRU map of rendered cards, bounded to `MAX_CARDS`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SafeString | None:
        with self._lock:
            card = self._items.get(key)
            if card is not None:
                self._items.move_to_end(key)
            return card

    def put(self, key: Hashable, card: SafeString) -> None:
        with self._lock:
            self._items[key] = card
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cards = _Cards(MAX_CARDS)


def card_key(
    version: str, as_of: dt.date, result: engine.Result, deciding: list[Text] | None
) -> Hashable:
    """Everything a card shows follows from this. The publication's `version` and the date fix
    the programme's texts (and which cited documents the library holds, and the names of
    conflicting programmes); the rest is what the screening found for this resident."""
    reasons = tuple(
        (reason.requirement.description, reason.requirement.clause, reason.outcome, reason.assessed)
        for reason in result.reasons
    )
    entitlement = result.amount  # as shown: not the facts it still lacks
    amount = entitlement and (
        entitlement.value,
        entitlement.period,
        entitlement.up_to,
        entitlement.note,
        entitlement.clause,
    )
    return (
        version,
        as_of,
        active_lang(),
        get_script_prefix(),
        result.programme.slug,
        result.status,
        reasons,
        amount,
        result.deadlines,
        result.conflicts,
        tuple(deciding) if deciding else None,
    )


def result_cards(catalogue: Catalogue, context: dict[str, Any]) -> dict[str, SafeString]:
    """Each programme's card for the results page `context` (`results_context`), by slug."""
    screening: engine.Screening = context["screening"]
    deciding: dict[str, list[Text]] = context["deciding"]
    cards = {}
    for result in screening.results:
        slug = result.programme.slug
        questions = deciding.get(slug) if result.status == "unknown" else None
        key = card_key(catalogue.version, screening.as_of, result, questions)
        card = _cards.get(key)
        if card is None:
            card = render_card(result, questions, context["names"])
            _cards.put(key, card)
        cards[slug] = card
    return cards


def render_card(
    result: engine.Result, deciding: list[Text] | None, names: dict[str, Text]
) -> SafeString:
    """The card as `{% include "eligibility/_result.html" %}` renders it in the page."""
    context = {"result": result, "deciding": deciding, "names": names}
    return SafeString(get_template(CARD_TEMPLATE).render(context))


def forget_cards() -> None:
    """Drop every kept card (tests)."""
    _cards.clear()
