"""Clause references and the anchors of a document's text: one scheme for both.

A citation such as "京人社能发〔2026〕2号 一(一)" links to the line of the gazette text that the
clause starts on, and a clause staff type must be found in its document's text. Both ask this
module: `text_lines` gives each line of a document its anchors, `clause_anchor` turns a clause
into the anchor it links to, and `unresolved_parts` says which parts of a clause reference name
nothing in the text.

The scheme: `c-` followed by the clause with brackets made half-width and spaces removed, and
article numbers in Arabic figures, so "第十条", "第10条" and "第 10 条" are all `c-第10条`:

- `一` (a heading 一、), `一(一)` (a point （一）under it), `一(一)1` (an item 1. under that);
- `第10条` (an article 第十条), `第10条(一)`, `第13条10`;
- an item numbered through the whole document (1. … 11. across the headings, with no articles)
  is also the article of its number: `c-第7条` as well as `c-三7`;
- `附件1` (an annex heading 附件 1).

A reference may name several places ("一、五", "二(五)、(六)", "二(一)(二)(三)"), places
without a number (序言, 落款, 附件 and 附表, which are checked only for being in the text), or
another instrument ("《社会救助暂行办法》第九条", not in the catalogue and never checked).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# Markdown in the stored texts: headings (###), list marks (- ) and bold (**) before a clause.
_MARKUP = r"^\s*(?:#+\s*)?(?:[-*]\s+)?(?:\*\*)?\s*"
_TOP = re.compile(_MARKUP + r"([一二三四五六七八九十]+)、")
_SUB = re.compile(_MARKUP + r"[（(]([一二三四五六七八九十]+)[）)]")
_ARTICLE = re.compile(_MARKUP + r"(第[〇零一二三四五六七八九十百\d]+条)")
_ITEM = re.compile(_MARKUP + r"(\d+)[.．、]")
_ANNEX = re.compile(_MARKUP + r"(附件\s*\d*)\s*$")

_DIGITS = dict(zip("〇零一二三四五六七八九", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_ARTICLE_NUMBER = re.compile(r"第([〇零一二三四五六七八九十百\d]+)条")
_PLACE = re.compile(
    r"^(?P<top>第\d+条|[一二三四五六七八九十]+)?(?P<subs>(?:\([一二三四五六七八九十]+\))*)(?P<item>\d+)?$"
)
_SUBS = re.compile(r"\([一二三四五六七八九十]+\)")
NAMED_PLACES = frozenset({"序言", "落款", "通知落款", "正文"})
_ANNEX_REFERENCE = re.compile(r"^(附件\d*|附表\d*)(.*)$")


def chinese_number(text: str) -> int:
    """ "十三" → 13, "二十四" → 24, "一百零五" → 105; Arabic figures pass through."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _DIGITS[char]
    return total + digit


def normalise(clause: str) -> str:
    """The clause as anchors spell it: half-width brackets, no spaces, articles in figures."""
    text = re.sub(r"\s+", "", clause.replace("（", "(").replace("）", ")"))
    return _ARTICLE_NUMBER.sub(lambda match: f"第{chinese_number(match.group(1))}条", text)


def anchor_of(place: str) -> str:
    """The HTML id of one place in a document: "一(一)" → "c-一(一)", "第十条" → "c-第10条"."""
    return f"c-{normalise(place)}"


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of a document's full text and the anchors a citation may link to it by."""

    text: str
    anchor: str = ""
    aliases: tuple[str, ...] = ()


def text_lines(full_text: str) -> list[TextLine]:
    """The document's non-empty lines, each clause heading with its anchor (the first line to
    claim an anchor keeps it)."""
    lines = [line.rstrip() for line in full_text.splitlines() if line.strip()]
    places = _places(lines)
    through = _numbered_through(lines, places)
    seen: set[str] = set()
    result = []
    for line, (place, item) in zip(lines, places, strict=True):
        anchor = anchor_of(place) if place else ""
        aliases: tuple[str, ...] = (anchor_of(f"第{item}条"),) if through and item else ()
        anchor = "" if anchor in seen else anchor
        aliases = tuple(alias for alias in aliases if alias not in seen and alias != anchor)
        seen.update((anchor, *aliases))
        result.append(TextLine(line, anchor, aliases))
    return result


def _places(lines: list[str]) -> list[tuple[str, str]]:
    """For each line: the place it starts (or ""), and its item number when it is an item."""
    places = []
    top = sub = ""
    for line in lines:
        place = item = ""
        if match := _TOP.match(line):
            top, sub = match.group(1), ""
            place = top
        elif match := _SUB.match(line):
            sub = f"({match.group(1)})"
            place = f"{top}{sub}"
        elif match := _ARTICLE.match(line):
            top, sub = match.group(1), ""
            place = top
        elif match := _ANNEX.match(line):
            place = match.group(1)
        elif (match := _ITEM.match(line)) and top:
            item = match.group(1)
            place = f"{top}{sub}{item}"
        places.append((place, item))
    return places


def _numbered_through(lines: list[str], places: list[tuple[str, str]]) -> bool:
    """Whether items are numbered through the document (no articles, no number used twice)."""
    if any(_ARTICLE.match(line) for line in lines):
        return False
    counts = Counter(item for _, item in places if item)
    return bool(counts) and max(counts.values()) == 1


@lru_cache(maxsize=64)
def anchors(full_text: str) -> frozenset[str]:
    """Every anchor of a document's text (kept for the few texts a save checks clauses in)."""
    found: set[str] = set()
    for line in text_lines(full_text):
        found.update(anchor for anchor in (line.anchor, *line.aliases) if anchor)
    return frozenset(found)


def places(clause: str) -> list[str]:
    """The places a clause reference names in its own document, normalised: "二(五)、(六)" →
    ["二(五)", "二(六)"]; another instrument's clauses (after 《…》) are left out."""
    found: list[str] = []
    for segment in re.split(r"[；;]", clause):
        if "《" in segment:
            continue
        top = ""
        for part in re.split(r"[、，,]", segment):
            place = normalise(part)
            if not place:
                continue
            if place.startswith("(") and top:
                place = top + place
            match = _PLACE.match(place)
            if match and match.group("top"):
                top = match.group("top")
            found += _one_per_point(place)
    return found


def _one_per_point(place: str) -> list[str]:
    """ "二(一)(二)(三)" names three points of 二; anything else is one place."""
    match = _PLACE.match(place)
    points = _SUBS.findall(match.group("subs")) if match else []
    if len(points) > 1 and match and not match.group("item"):
        return [f"{match.group('top') or ''}{point}" for point in points]
    return [place]


def clause_anchor(clause: str) -> str:
    """The anchor a citation of `clause` links to: its first numbered place, else "" (the top
    of the document, for 序言 or 落款)."""
    for place in places(clause):
        annex = _ANNEX_REFERENCE.match(place)
        if annex and not annex.group(2):
            return anchor_of(place) if annex.group(1).startswith("附件") else ""
        if _PLACE.match(place):
            return anchor_of(place)
    return ""


def unresolved_parts(clause: str, full_text: str) -> list[str]:
    """The places of `clause` that its document's text does not have (none when the document
    has no text to check against)."""
    if not full_text.strip():
        return []
    known = anchors(full_text)
    return [place for place in places(clause) if not _resolves(place, known, full_text)]


def _resolves(place: str, known: frozenset[str], full_text: str) -> bool:
    if place in NAMED_PLACES:
        return True
    annex = _ANNEX_REFERENCE.match(place)
    if annex:  # an annex's own clauses are not anchored (few annexes have a heading)
        return annex.group(1)[:2] in full_text
    return anchor_of(place) in known


_NUMBERED = re.compile(r"^\s*(?P<number>[^\s〔]+〔\d{4}〕\d+号)\s*(?P<clause>.*)$")


def split_citation(citation: str) -> tuple[str, str]:
    """("京民社救发〔2023〕240号", "一、三") for "京民社救发〔2023〕240号 一、三"; ("", text) when
    the text names no document (a clause of the programme's own document)."""
    match = _NUMBERED.match(citation)
    if match is None:
        return "", citation.strip()
    return match.group("number"), match.group("clause").strip()
