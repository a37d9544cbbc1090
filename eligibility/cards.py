"""The results page's result cards, each rendered once for all residents it fits.

A card (`eligibility/_result.html`; its line in the summary, `_summary_item.html`; folded away in
`_result_collapsed.html`) shows one programme's outcome: its texts as in force on the screening
date, the status, the reasons' outcomes, the amount, the deadlines, the conflicts and the
questions that would decide it, in the page's language. Residents who answered differently still
share most cards (every inactive programme's, most "not for you" ones), so a card is kept under a
key made of exactly those inputs and rendered only when a new combination comes along. Whole
answer sets are never the key: a new resident still gets a screening of their own. The page
around the cards (`results_page`) is kept the same way: it shows only the texts, the date and
how many results each group has.

The card templates read nothing else from the page's context (no request, CSRF token or
preference): tests/eligibility/test_result_cards.py checks each memoized card against the same
templates included in the full page context.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from benefits.snapshot import get_catalogue
from eligibility.formatting import active_lang
from eligibility.sheet_page import results_context
from rules import engine
from rules.catalogue import Catalogue, Programme, Text

CARD_TEMPLATE = "eligibility/_result.html"
SUMMARY_TEMPLATE = "eligibility/_summary_item.html"
COLLAPSED_TEMPLATE = "eligibility/_result_collapsed.html"
MAX_CARDS = 2048  # ~4 KB each, summary line included (most are short "not for you" cards):
# at most ~8 MB per worker
REASON_TEMPLATE = "eligibility/_reason.html"
HOW_TO_APPLY_TEMPLATE = "eligibility/_how_to_apply.html"
MAX_HOW_TO_APPLY = 256  # programmes x deadline dates x languages; ~2 KB each
MAX_REASONS = 4096  # requirements x outcomes x languages: ~1,000 in the gazette; ~0.5 KB each
PAGE_TEMPLATE = "eligibility/results.html"
MAX_FRAMES = 512  # languages x text sizes x addresses x counts per group; ~5 KB each
# Where a group's cards go in a kept frame: with "<", which escaping turns into "&lt;" in any
# text that reached the page from outside (the address, in the language switch's `next`).
_PLACE = re.compile(r"<results-place (\w+)>")


APPLYING = ("eligible", "unknown")  # cards with "How to apply" and a line in the summary


@dataclass(frozen=True, slots=True)
class Card:
    """A result's card; its line in the page's summary (eligible and unknown results); the card
    folded away under the programme's name (the others)."""

    card: SafeString
    summary: SafeString
    collapsed: SafeString


class _Kept[T]:
    """A thread-safe LRU map, bounded to `size` items."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            card = self._items.get(key)
            if card is not None:
                self._items.move_to_end(key)
            return card

    def put(self, key: Hashable, item: T) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cards: _Kept[Card] = _Kept(MAX_CARDS)
_reasons: _Kept[SafeString] = _Kept(MAX_REASONS)
_applying: _Kept[tuple[Programme, SafeString]] = _Kept(MAX_HOW_TO_APPLY)
_frames: _Kept[tuple[str, ...]] = _Kept(MAX_FRAMES)


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
    applying = result.status in APPLYING  # only these cards show deadlines (how to apply)
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
        result.deadlines if applying else None,
        result.conflicts,
        tuple(deciding) if deciding else None,
    )


def result_cards(catalogue: Catalogue, context: dict[str, Any]) -> dict[str, Card]:
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


def page_cards(catalogue: Catalogue, context: dict[str, Any]) -> dict[str, SafeString]:
    """Each group's cards for results.html, joined as the page shows them (joined here, not by
    loops in the template, which cost more than the rest of the page)."""
    kept = result_cards(catalogue, context)
    groups = context["groups"]

    def joined(results: list[engine.Result], part: str, around: str = "") -> SafeString:
        return SafeString(
            "".join(around + getattr(kept[r.programme.slug], part) + around for r in results)
        )

    return {
        "eligible_summaries": joined(groups.eligible, "summary"),
        "unknown_summaries": joined(groups.unknown, "summary"),
        "eligible_cards": joined(groups.eligible, "card"),
        "unknown_cards": joined(groups.unknown, "card"),
        "ineligible_folded": joined(groups.ineligible, "collapsed", "\n  "),
        "inactive_folded": joined(groups.inactive, "collapsed", "\n  "),
    }


def results_page(
    request: HttpRequest,
    catalogue: Catalogue,
    screening: engine.Screening,
    csrf_token: str,
    elderly: bool,
) -> str:
    """results.html for `screening`: its frame (all but the cards) kept for every page with
    the same texts and the same number of results in each group, the groups' cards
    (`page_cards`) put in their places. `elderly`: large text is on (the page's context
    processor says the same)."""
    context = results_context(catalogue, screening)
    parts = page_cards(catalogue, context)
    groups = context["groups"]
    key = (
        catalogue.version,
        screening.as_of,
        get_language(),
        get_script_prefix(),
        request.get_full_path(),
        elderly,
        csrf_token,
        tuple(len(results) for results in (groups.eligible, groups.unknown, groups.ineligible)),
        len(groups.inactive),
    )
    frame = _frames.get(key)
    if frame is None:
        places = {name: SafeString(f"<results-place {name}>") for name in parts}
        context.update(places, csrf_token=csrf_token)
        frame = tuple(_PLACE.split(render_to_string(PAGE_TEMPLATE, context, request)))
        _frames.put(key, frame)
    # split() leaves the frame's text at even places and the names of the groups between
    return "".join(parts[piece] if n % 2 else piece for n, piece in enumerate(frame))


def render_card(result: engine.Result, deciding: list[Text] | None, names: dict[str, Text]) -> Card:
    """The card and its line in the summary, as `{% include %}` renders them in the page."""
    context = {"result": result, "deciding": deciding, "names": names}
    card = SafeString(get_template(CARD_TEMPLATE).render(context))
    if result.status in APPLYING:
        return Card(card, SafeString(get_template(SUMMARY_TEMPLATE).render(context)), SafeString())
    collapsed = get_template(COLLAPSED_TEMPLATE).render({"result": result, "card": card})
    # the file's last newline is not the entry's (the page's loop puts each on its own line)
    return Card(card, SafeString(), SafeString(collapsed.removesuffix("\n")))


def reason_item(reason: engine.Reason) -> SafeString:
    """One reason's line in a card's "Why" list (`_reason.html`), kept: it shows only the
    requirement's description and citation, the outcome, whether it was assessed, and (for the
    citation's link) whether the latest publication's library holds the cited document."""
    requirement = reason.requirement
    key = (
        get_catalogue().version,  # the library residents see comes with it
        active_lang(),
        get_script_prefix(),
        requirement.description,
        requirement.clause,
        reason.outcome,
        reason.assessed,
    )
    item = _reasons.get(key)
    if item is None:
        rendered = get_template(REASON_TEMPLATE).render({"reason": reason})
        item = SafeString(rendered.removesuffix("\n"))  # the file's last newline is not the line's
        _reasons.put(key, item)
    return item


def how_to_apply(programme: Programme, deadlines: tuple[Any, ...]) -> SafeString:
    """A card's "How to apply" (`_how_to_apply.html`), kept: it shows only the programme's texts,
    these deadlines and (for the citations' links) what the latest publication's library holds.
    Kept under the programme object's identity (checked on every hit: an id may be reused once
    the object is gone), as a catalogue's programmes never change."""
    key = (id(programme), get_catalogue().version, active_lang(), get_script_prefix(), deadlines)
    kept = _applying.get(key)
    if kept is not None and kept[0] is programme:
        return kept[1]
    context = {"programme": programme, "deadlines": deadlines}
    section = SafeString(get_template(HOW_TO_APPLY_TEMPLATE).render(context))
    _applying.put(key, (programme, section))
    return section


def forget_cards() -> None:
    """Drop every kept card, reason line, "How to apply" and page frame (tests)."""
    _cards.clear()
    _reasons.clear()
    _applying.clear()
    _frames.clear()
