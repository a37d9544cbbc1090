"""The catalogue as an immutable snapshot for the engine: the draft, and the published one.

Staff edit the catalogue tables (the draft). Publishing copies the draft's rows, as plain JSON,
into a `Publication`; residents and the API are screened against the latest publication only.
Both snapshots are built by one function from the same plain rows, so what staff test is exactly
what residents get. Each process keeps the published snapshot in memory and checks, once per
request, whether a newer publication exists (see `PublishedCatalogueMiddleware`): a publish
reaches every worker on its next request, while screening itself never queries the database.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from benefits import models
from rules import catalogue as cat
from rules.expressions import compile_expression

_lock = threading.Lock()
_published: cat.Catalogue | None = None
_published_id: tuple | None = None  # (id, published_at) of the publication in memory
# Counts snapshot changes, so tests can tell whether one happened during a test.
generation = 0

ROW_SOURCES: dict[str, Any] = {
    "documents": lambda: models.Document.objects.values("id", "number", "title_zh", "title_en"),
    "facts": lambda: models.Fact.objects.values(),
    "tables": lambda: models.AmountTable.objects.values("id", "slug", "programme_id", "keys"),
    "table_rows": lambda: models.TableRow.objects.values(
        "table_id", "no", "keys", "value", "label_zh", "label_en"
    ),
    "parameters": lambda: models.Parameter.objects.values("id", "key", "name_zh", "name_en"),
    "parameter_values": lambda: models.ParameterValue.objects.values(
        "parameter_id", "effective_from", "value"
    ),
    "programmes": lambda: models.Programme.objects.values(),
    "cites": lambda: models.Programme.cites.through.objects.values("programme_id", "document_id"),
    "requirements": lambda: models.Requirement.objects.values(),
    "conditions": lambda: models.Condition.objects.values(),
    "amounts": lambda: models.Amount.objects.values(),
    "conflicts": lambda: models.Conflict.objects.values(),
    "deadlines": lambda: models.Deadline.objects.values(),
    "channels": lambda: models.Channel.objects.values(),
    "materials": lambda: models.Material.objects.values(),
    "steps": lambda: models.Step.objects.values(),
}


def catalogue_rows() -> dict[str, list[dict[str, Any]]]:
    """The draft catalogue as plain JSON-ready rows (dates and decimals as text)."""
    rows = {name: list(source()) for name, source in ROW_SOURCES.items()}
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


def draft_catalogue() -> cat.Catalogue:
    """The catalogue as staff have edited it, not yet published (for persona tests)."""
    return build_catalogue(catalogue_rows())


def get_catalogue() -> cat.Catalogue:
    """The published snapshot residents are screened against (built once per publication)."""
    snapshot = _published
    if snapshot is None:
        with _lock:
            if _published is None:
                _load_latest()
            snapshot = _published
    return snapshot


def refresh() -> None:
    """Drop the in-memory snapshot if a newer publication exists (one small query)."""
    if _latest_publication() != _published_id:
        invalidate()


def _latest_publication() -> tuple | None:
    """(id, published_at) of the newest publication. This runs on every request, so it goes
    straight to the cursor: the ORM would spend longer compiling the query than running it."""
    table = connection.ops.quote_name(models.Publication._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, published_at FROM {table} ORDER BY id DESC LIMIT 1")
        return cursor.fetchone()


def invalidate() -> None:
    global _published, _published_id, generation
    _published = None
    _published_id = None
    generation += 1


def _load_latest() -> None:
    global _published, _published_id
    latest = _latest_publication()
    if latest is None:  # nothing published yet (a brand-new database): show the draft
        _published, _published_id = draft_catalogue(), None
    else:
        publication = models.Publication.objects.get(id=latest[0])
        version = f"{publication.id}@{publication.published_at.isoformat()}"
        _published = build_catalogue(publication.rows, version=version)
        _published_id = latest


# --- building the snapshot from rows ----------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _text(zh: str, en: str) -> cat.Text:
    return cat.Text(zh or "", en or "")


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.get("order", 0), r.get("id", 0))):
        grouped[row[key]].append(row)
    return grouped


def _coerce(fact: cat.FactSpec | None, value: Any) -> Any:
    """Condition values as stored (JSON) → the types answers have (dates, Decimals)."""
    if isinstance(value, list):
        return tuple(_coerce(fact, item) for item in value)
    if fact is None:
        return value
    if fact.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if fact.type in ("int", "number") and isinstance(value, int | float):
        return value if isinstance(value, bool) else Decimal(str(value))
    return value


def _condition(row: dict[str, Any], facts: dict[str, cat.FactSpec]) -> cat.Condition:
    fact = facts.get(row["fact"])
    value, operator = row["value"], row["operator"]
    if operator == "within":
        months = value.get("months", 0) + 12 * value.get("years", 0)
        value = {
            "months": months,
            "of": value.get("of", "as_of"),
            "direction": value.get("direction", "before"),
        }
    elif operator == "between":
        value = tuple(_coerce(fact, item) for item in value)
    elif operator in ("in", "not_in", "excludes"):
        value = frozenset(_coerce(fact, item) for item in value)
    else:
        value = _coerce(fact, value)
    return cat.Condition(row["fact"], operator, value)


def _fact(row: dict[str, Any]) -> cat.FactSpec:
    return cat.FactSpec(
        key=row["key"],
        type=row["type"],
        question=_text(row["question_zh"], row["question_en"]),
        help=_text(row["help_zh"], row["help_en"]),
        values=tuple(row["values"] or ()),
        labels={
            str(k): _text(v.get("zh", ""), v.get("en", ""))
            for k, v in (row["labels"] or {}).items()
        },
        min_value=_decimal(row["min_value"]),
        max_value=_decimal(row["max_value"]),
        ask_if=compile_expression(row["ask_if"]) if row["ask_if"] else None,
        derived=compile_expression(row["derived"]) if row["derived"] else None,
        group=row["group"],
        order=row["order"],
    )


def build_catalogue(rows: dict[str, list[dict[str, Any]]], version: str = "draft") -> cat.Catalogue:
    """Plain rows (from the draft tables or a publication) → the engine's frozen catalogue."""
    facts = {row["key"]: _fact(row) for row in sorted(rows["facts"], key=lambda r: r["order"])}
    documents = {
        row["id"]: cat.SourceDocument(row["number"], _text(row["title_zh"], row["title_en"]))
        for row in rows["documents"]
    }
    table_slugs = {row["id"]: row["slug"] for row in rows["tables"]}
    tables: dict[str, dict[tuple[str, ...], Any]] = {slug: {} for slug in table_slugs.values()}
    table_labels: dict[str, dict[tuple[str, ...], cat.Text]] = {s: {} for s in tables}
    for row in sorted(rows["table_rows"], key=lambda r: (r["table_id"], r["no"])):
        value = row["value"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = Decimal(str(value))
        keys = tuple(str(k) for k in row["keys"])
        slug = table_slugs[row["table_id"]]
        tables[slug][keys] = value
        table_labels[slug][keys] = _text(row["label_zh"], row["label_en"])
    values_by_parameter = _by(rows["parameter_values"], "parameter_id")
    parameters = {
        row["key"]: cat.Parameter(
            row["key"],
            _text(row["name_zh"], row["name_en"]),
            tuple(
                (_date(v["effective_from"]), _decimal(v["value"]))
                for v in sorted(values_by_parameter[row["id"]], key=lambda v: v["effective_from"])
            ),
        )
        for row in rows["parameters"]
    }
    related = {
        name: _by(rows[name], "programme_id")
        for name in (
            "requirements",
            "amounts",
            "conflicts",
            "deadlines",
            "channels",
            "materials",
            "steps",
            "cites",
            "tables",
        )
    }
    conditions = _by(rows["conditions"], "requirement_id")
    slugs = {row["id"]: row["slug"] for row in rows["programmes"]}
    programmes = tuple(
        _programme(row, facts, documents, related, conditions, slugs, table_slugs)
        for row in sorted(rows["programmes"], key=lambda r: (r["order"], r["slug"]))
    )
    return cat.Catalogue(
        programmes=programmes,
        facts=facts,
        parameters=parameters,
        tables=tables,
        table_labels=table_labels,
        version=version,
    )


def _programme(
    row: dict[str, Any],
    facts: dict[str, cat.FactSpec],
    documents: dict[int, cat.SourceDocument],
    related: dict[str, dict[Any, list[dict[str, Any]]]],
    conditions: dict[Any, list[dict[str, Any]]],
    slugs: dict[int, str],
    table_slugs: dict[int, str],
) -> cat.Programme:
    document = documents[row["document_id"]]
    pid = row["id"]

    def cite(clause: str) -> str:
        return f"{document.number} {clause}".strip() if clause else document.number

    requirements = []
    for requirement in related["requirements"][pid]:
        alternatives: dict[int, list[cat.Condition]] = defaultdict(list)
        for condition in sorted(conditions[requirement["id"]], key=lambda c: c["id"]):
            alternatives[condition["alternative"]].append(_condition(condition, facts))
        requirements.append(
            cat.Requirement(
                clause=cite(requirement["clause"]),
                description=_text(requirement["description_zh"], requirement["description_en"]),
                alternatives=tuple(tuple(conds) for _, conds in sorted(alternatives.items())),
                kind=requirement["kind"],
                text=requirement["text"],
                note=_text(requirement["note_zh"], requirement["note_en"]),
            )
        )
    amounts = tuple(
        cat.AmountRule(
            kind=amount["kind"],
            period=amount["period"],
            clause=cite(amount["clause"]),
            note=_text(amount["note_zh"], amount["note_en"]),
            when=compile_expression(amount["when"]) if amount["when"] else None,
            value=_decimal(amount["value"]),
            rate=_decimal(amount["rate"]),
            base=amount["base"],
            cap=_decimal(amount["cap"]),
            table=table_slugs.get(amount["table_id"], ""),
            table_keys=tuple(amount["table_keys"] or ()),
            formula=compile_expression(amount["formula"]) if amount["formula"] else None,
        )
        for amount in related["amounts"][pid]
    )
    return cat.Programme(
        slug=row["slug"],
        name=_text(row["name_zh"], row["name_en"]),
        summary=_text(row["summary_zh"], row["summary_en"]),
        category=row["category"],
        audience=row["audience"],
        document=document,
        requirements=tuple(requirements),
        amounts=amounts,
        period_start=_date(row["period_start"]),
        period_end=_date(row["period_end"]),
        period_clause=cite(row["period_clause"]) if row["period_clause"] else "",
        conflicts=tuple(
            cat.Conflict(slugs[c["other_id"]], cite(c["clause"]), _text(c["note_zh"], c["note_en"]))
            for c in related["conflicts"][pid]
        ),
        deadlines=tuple(
            cat.Deadline(
                _text(d["description_zh"], d["description_en"]),
                cite(d["clause"]),
                d["relative_to"],
                d["months"],
                _date(d["date"]),
            )
            for d in related["deadlines"][pid]
        ),
        channels=tuple(
            cat.Channel(c["kind"], _text(c["name_zh"], c["name_en"]), c["url"])
            for c in related["channels"][pid]
        ),
        materials=tuple(_text(m["text_zh"], m["text_en"]) for m in related["materials"][pid]),
        steps=tuple(_text(s["text_zh"], s["text_en"]) for s in related["steps"][pid]),
        agent=_text(row["agent_zh"], row["agent_en"]),
        processing=_text(row["processing_zh"], row["processing_en"]),
        payment=_text(row["payment_zh"], row["payment_en"]),
        office=_text(row["office_zh"], row["office_en"]),
        apply_clause=cite(row["apply_clause"]) if row["apply_clause"] else "",
        decisions=tuple(_text(d.get("zh", ""), d.get("en", "")) for d in row["decisions"] or []),
        cites=tuple(documents[c["document_id"]] for c in related["cites"][pid]),
        tables=tuple(table_slugs[t["id"]] for t in related["tables"][pid]),
    )
