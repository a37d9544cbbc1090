"""The adaptive questionnaire: which questions to ask next, kept in the resident's session.

Only answers are kept (no name, no ID number). Each page asks the engine's best next question,
together with up to three related questions of the same group, so a 23-year-old graduate is never
asked about elderly care and a retiree never about certificates.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from rules import engine
from rules.catalogue import Catalogue, FactSpec
from rules.expressions import EvaluationError
from rules.facts import parse_answers
from rules.shapes import Shape, shape_of

SESSION_KEY = "questionnaire"
PAGE_SIZE = 5
ALL_QUESTIONS = 200
FIRST_GROUP = "about_you"
# Answers are kept server-side in the session table; bound what one resident can store there.
MAX_STATE_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class Progress:
    """ "Step n of at most m": n is the page's place among the pages the resident has seen, so
    it never goes down as they go on; m adds one page (a page asks at least one question) for
    each question that any undecided programme could still need, so it is a true bound that
    never grows as answers come in, rather than a guess that could run backwards."""

    step: int
    at_most: int


@functools.lru_cache(maxsize=1024)  # a screening holds ~18 KB: at most ~18 MB per worker
def _screen(catalogue: Catalogue, as_of: dt.date, answers_json: str) -> engine.Screening:
    """Screenings are pure functions of (catalogue, date, answers): residents who answered
    alike share one; a new publication is a new catalogue, so a new key."""
    return engine.screen(
        catalogue, _typed(catalogue, as_of, answers_json), as_of, question_limit=ALL_QUESTIONS
    )


@functools.lru_cache(maxsize=1024)  # a shape is a few hundred bytes
def _shape(catalogue: Catalogue, as_of: dt.date, answers_json: str) -> Shape:
    """The answers' anonymous shape, kept like `_screen` and for the same reason: a resident
    who reloads their results (or another who answered alike) costs a lookup, not a
    coarsening of every answer."""
    return shape_of(catalogue, _typed(catalogue, as_of, answers_json), as_of)


@functools.lru_cache(maxsize=16)
def _typed(catalogue: Catalogue, as_of: dt.date, answers_json: str) -> dict[str, Any]:
    """Typed answers, checked once for the screening and the shape of the same request (the
    engine and the shape only read them)."""
    answers, _errors = parse_answers(catalogue.facts, json.loads(answers_json), as_of=as_of)
    return answers


class Questionnaire:
    """The resident's answers in the session: raw JSON values, skipped keys and pages seen."""

    def __init__(self, session: MutableMapping[str, Any], catalogue: Catalogue) -> None:
        self.session = session
        self.catalogue = catalogue
        state = session.get(SESSION_KEY) or {}
        self.raw: dict[str, Any] = {
            key: value
            for key, value in (state.get("answers") or {}).items()
            if key in catalogue.facts
        }
        self.skipped: set[str] = set(state.get("skipped") or [])
        self.history: list[list[str]] = list(state.get("history") or [])
        self._answers_key: str | None = None  # worked out on first use, dropped by `save`

    def save(self) -> None:
        """Store the state, dropping the oldest pages seen (only Back uses them) to stay within
        `MAX_STATE_BYTES`."""
        history = self.history[-100:]
        while history and _size(self.raw, self.skipped, history) > MAX_STATE_BYTES:
            history = history[len(history) // 2 + 1 :]
        self.history = history
        self._answers_key = None
        self.session[SESSION_KEY] = {
            "answers": self.raw,
            "skipped": sorted(self.skipped),
            "history": history,
        }

    def reset(self) -> None:
        self.raw, self.skipped, self.history = {}, set(), []
        self.save()

    def start_from(self, raw: Mapping[str, Any]) -> None:
        """Begin again with these answers (a saved sheet's), nothing skipped or seen yet."""
        self.raw = {key: value for key, value in raw.items() if key in self.catalogue.facts}
        self.skipped, self.history = set(), []
        self.save()

    def answers(self, as_of: dt.date) -> dict[str, Any]:
        """Typed answers; anything no longer valid (the catalogue changed) is left out."""
        answers, _errors = parse_answers(self.catalogue.facts, self.raw, as_of=as_of)
        return answers

    def record(self, page: list[str], values: Mapping[str, Any], skipped: set[str]) -> bool:
        """Store a page's answers (raw JSON values) and the questions the resident skipped.

        False, and nothing stored, when the answers would not fit in `MAX_STATE_BYTES`.
        """
        raw, skipped_keys = dict(self.raw), set(self.skipped)
        for key in page:
            if key in skipped:
                raw.pop(key, None)
                skipped_keys.add(key)
            elif key in values:
                raw[key] = values[key]
                skipped_keys.discard(key)
        if _size(raw, skipped_keys, []) > MAX_STATE_BYTES:
            return False
        self.raw, self.skipped = raw, skipped_keys
        if not self.history or self.history[-1] != page:
            self.history.append(page)
        self.save()
        return True

    @property
    def answers_key(self) -> str:
        """The answers as canonical JSON: equal for residents who answered alike. (A page keys
        its screening, shape and cached HTML on it: worked out once per request.)"""
        if self._answers_key is None:
            self._answers_key = json.dumps(self.raw, sort_keys=True, ensure_ascii=False)
        return self._answers_key

    def screen(self, as_of: dt.date) -> engine.Screening:
        return _screen(self.catalogue, as_of, self.answers_key)

    def shape(self, as_of: dt.date) -> Shape:
        """The answers' anonymous shape as `benefits.shapes.record_known_shape` counts it."""
        return _shape(self.catalogue, as_of, self.answers_key)

    def open_questions(self, screening: engine.Screening) -> list[str]:
        return [key for key in screening.next_questions if key not in self.skipped]

    def next_page(self, screening: engine.Screening) -> list[str]:
        """The best next question and up to three open questions of the same group."""
        questions = self.open_questions(screening)
        if not questions:
            return []
        about_you = [key for key in questions if self.catalogue.facts[key].group == FIRST_GROUP]
        if about_you:  # age and hukou decide most programmes: ask them together, first
            questions = about_you
        first = questions[0]
        group = self.catalogue.facts[first].group
        related = [
            key for key in questions[1:] if group and self.catalogue.facts[key].group == group
        ]
        page = [first, *related[: PAGE_SIZE - 1]]
        order = {key: spec.order for key, spec in self.catalogue.facts.items()}
        return sorted(page, key=lambda key: order[key])

    def previous_page(self, current: list[str]) -> list[str] | None:
        """The page before `current` in the order the resident saw them."""
        if current in self.history:
            index = self.history.index(current)
            return self.history[index - 1] if index > 0 else None
        return self.history[-1] if self.history else None

    def progress(self, screening: engine.Screening, current: list[str]) -> Progress:
        seen: list[list[str]] = []
        for page in self.history:
            if page not in seen:
                seen.append(page)
        step = seen.index(current) + 1 if current in seen else len(seen) + 1
        later = self.questions_left(screening) - set(current)
        return Progress(step, step + len(later))

    def questions_left(self, screening: engine.Screening) -> set[str]:
        """Every question an undecided programme reads, directly or through the facts derived
        from it and the facts its questions depend on, not yet answered or skipped, and not
        ruled out: all that could ever be asked from here (usually more than will be)."""
        scope = engine.FactScope(self.catalogue, self.answers(screening.as_of), screening.as_of)
        undecided = [
            result.programme.slug
            for result in screening.results
            if result.status == "unknown" or (result.status == "eligible" and result.missing)
        ]
        keys = set().union(*(_reads(self.catalogue, slug) for slug in undecided))
        keys -= set(self.raw) | self.skipped
        return {key for key in keys if not _ruled_out(self.catalogue.facts[key], scope)}


@functools.lru_cache(maxsize=512)
def _reads(catalogue: Catalogue, slug: str) -> frozenset[str]:
    """The questions a programme's conditions and amounts read, with the facts derived values
    and questions' `ask_if` read in turn (derived facts themselves are never asked)."""
    programme = next(p for p in catalogue.programmes if p.slug == slug)
    pending: set[str] = {
        condition.fact
        for requirement in programme.requirements
        for alternative in requirement.alternatives
        for condition in alternative
    }
    for rule in programme.amounts:
        pending |= {rule.base, *rule.table_keys} - {""}
        for expression in (rule.when, rule.formula):
            pending |= set(expression.names) if expression else set()
    found: set[str] = set()
    while pending:
        spec = catalogue.facts.get(pending.pop())
        if spec is None or spec.key in found:
            continue
        found.add(spec.key)
        for expression in (spec.derived, spec.ask_if):
            pending |= set(expression.names) if expression else set()
    return frozenset(key for key in found if catalogue.facts[key].derived is None)


def _ruled_out(spec: FactSpec, scope: engine.FactScope) -> bool:
    """A question whose `ask_if` is already false is never asked."""
    if spec.ask_if is None:
        return False
    try:
        return spec.ask_if.evaluate(scope) is False
    except EvaluationError:
        return False


def _size(raw: Mapping[str, Any], skipped: set[str], history: list[list[str]]) -> int:
    """Bytes the questionnaire state takes in the session, as JSON."""
    state = {"answers": raw, "skipped": sorted(skipped), "history": history}
    return len(json.dumps(state, ensure_ascii=False, default=str).encode())
