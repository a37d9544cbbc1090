"""Lift a stored catalogue snapshot from an older schema version to the current one.

Publications are never rewritten, so one stored under an older version must still be read:
`upgrade(data, version)` applies each step from `version` up to `schema.SCHEMA_VERSION`.

Version 1 (publications before the schema existed) stored the draft's database rows as plain
JSON: one list per table, linked by ids, without document details, persona cases, table names or
parameter clauses. Its upgrade keeps everything a screening reads, so a resident screened on an
old publication gets the same outcomes; what version 1 never stored stays empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from rules import schema

Rows = dict[str, list[dict[str, Any]]]
_PROGRAMME_PARTS = (
    "requirements",
    "amounts",
    "conflicts",
    "deadlines",
    "channels",
    "materials",
    "steps",
    "cites",
)


class UpgradeError(ValueError):
    """A snapshot of a version this code cannot read."""


def upgrade(data: Any, version: int) -> schema.Catalogue:
    """The current schema's catalogue for `data` stored under schema `version`."""
    if version > schema.SCHEMA_VERSION or (
        version not in _STEPS and version != schema.SCHEMA_VERSION
    ):
        raise UpgradeError(f"No upgrade from catalogue schema version {version}.")
    while version < schema.SCHEMA_VERSION:
        data, version = _STEPS[version](data), version + 1
    return schema.Catalogue.model_validate(data)


def _text(zh: str | None, en: str | None) -> dict[str, str] | None:
    return {"zh": zh or en or "", "en": en or zh or ""} if (zh or en) else None


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.get("order", 0), r.get("id", 0))):
        grouped[row[key]].append(row)
    return grouped


def _v1_to_v2(rows: Rows) -> dict[str, Any]:
    documents = {row["id"]: row["number"] for row in rows["documents"]}
    first = min((p["id"] for p in rows["programmes"]), default=None)
    tables = _v1_tables(rows, first)
    parameters = {first: [_v1_parameter(row, rows) for row in rows["parameters"]]}
    related = {name: _by(rows[name], "programme_id") for name in _PROGRAMME_PARTS}
    conditions = _by(rows["conditions"], "requirement_id")
    slugs = {row["id"]: row["slug"] for row in rows["programmes"]}
    table_slugs = {row["id"]: row["slug"] for row in rows["tables"]}
    programmes = []
    for row in rows["programmes"]:
        pid = row["id"]
        requirements = related["requirements"][pid]
        programmes.append(
            {
                **_v1_programme_fields(row, documents),
                "cites": [documents[c["document_id"]] for c in related["cites"][pid]],
                "requirements": [
                    _v1_requirement(r, conditions[r["id"]])
                    for r in requirements
                    if r["kind"] == "requirement"
                ],
                "exclusions": [
                    _v1_exclusion(r, conditions[r["id"]])
                    for r in requirements
                    if r["kind"] == "exclusion"
                ],
                "conflicts": [
                    {
                        "programme": slugs[c["other_id"]],
                        "clause": c["clause"],
                        "note": _text(c["note_zh"], c["note_en"]),
                    }
                    for c in related["conflicts"][pid]
                ],
                "tables": tables.get(pid, []),
                "parameters": parameters.get(pid, []),
                "amounts": [_v1_amount(a, table_slugs) for a in related["amounts"][pid]],
                "apply": _v1_apply(row, related, pid),
            }
        )
    return {
        "schema_version": 2,
        "documents": [
            {"number": d["number"], "title": _text(d["title_zh"], d["title_en"])}
            for d in rows["documents"]
        ],
        "facts": [_v1_fact(row) for row in sorted(rows["facts"], key=lambda r: r.get("id", 0))],
        "programmes": programmes,
    }


def _v1_programme_fields(row: dict[str, Any], documents: dict[int, str]) -> dict[str, Any]:
    return {
        "schema_version": 2,
        "slug": row["slug"],
        "name": _text(row["name_zh"], row["name_en"]),
        "summary": _text(row["summary_zh"], row["summary_en"]),
        "category": row["category"],
        "audience": row["audience"],
        "document": documents[row["document_id"]],
        "period": {"start": row["period_start"], "end": row["period_end"]},
        "period_clause": row["period_clause"] or "",
        "office": _text(row["office_zh"], row["office_en"]),
        "decisions": row["decisions"] or [],
        "order": row["order"],
    }


def _v1_fact(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": row["key"],
        "type": row["type"],
        "values": row["values"] or [],
        "labels": row["labels"] or {},
        "min": row["min_value"],
        "max": row["max_value"],
        "question": _text(row["question_zh"], row["question_en"]),
        "help": _text(row["help_zh"], row["help_en"]),
        "ask_if": row["ask_if"] or None,
        "derived": row["derived"] or None,
        "group": row["group"],
        "order": row["order"],
    }


def _v1_tables(rows: Rows, first: Any) -> dict[Any, list[dict[str, Any]]]:
    """Tables under their programme (a table of no programme goes with the first one)."""
    table_rows = _by(rows["table_rows"], "table_id")
    tables: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for table in rows["tables"]:
        tables[table["programme_id"] or first].append(
            {
                "slug": table["slug"],
                "name": {"zh": table["slug"], "en": table["slug"]},
                "keys": table["keys"],
                "rows": [
                    {
                        "no": r["no"],
                        "keys": r["keys"],
                        "value": r["value"],
                        "label": _text(r["label_zh"], r["label_en"]),
                    }
                    for r in sorted(table_rows[table["id"]], key=lambda r: r["no"])
                ],
            }
        )
    return tables


def _v1_parameter(row: dict[str, Any], rows: Rows) -> dict[str, Any]:
    values = [v for v in rows["parameter_values"] if v["parameter_id"] == row["id"]]
    return {
        "key": row["key"],
        "name": _text(row["name_zh"], row["name_en"]),
        "values": [
            {"from": v["effective_from"], "value": v["value"]}
            for v in sorted(values, key=lambda v: v["effective_from"])
        ],
    }


def _v1_alternatives(conditions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    alternatives: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for condition in sorted(conditions, key=lambda c: c["id"]):
        alternatives[condition["alternative"]].append(
            {"fact": condition["fact"], "op": condition["operator"], "value": condition["value"]}
        )
    return [alternatives[number] for number in sorted(alternatives)]


def _v1_requirement(row: dict[str, Any], conditions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "clause": row["clause"],
        "text": row["text"],
        "description": _text(row["description_zh"], row["description_en"]),
        "note": _text(row["note_zh"], row["note_en"]),
        "alternatives": _v1_alternatives(conditions),
    }


def _v1_exclusion(row: dict[str, Any], conditions: list[dict[str, Any]]) -> dict[str, Any]:
    receives = [item for c in conditions if c["operator"] == "excludes" for item in c["value"]]
    requirement = _v1_requirement(row, conditions)
    del requirement["alternatives"]
    return {**requirement, "receives": receives}


def _v1_amount(row: dict[str, Any], table_slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "when": row["when"] or None,
        "kind": row["kind"],
        "period": row["period"],
        "value": row["value"],
        "rate": row["rate"],
        "base": row["base"] or None,
        "cap": row["cap"],
        "table": table_slugs.get(row["table_id"]),
        "keys": row["table_keys"] or [],
        "formula": row["formula"] or None,
        "clause": row["clause"],
        "note": _text(row["note_zh"], row["note_en"]),
    }


def _v1_apply(row: dict[str, Any], related: dict[str, Any], pid: Any) -> dict[str, Any]:
    return {
        "clause": row["apply_clause"] or "",
        "channels": [
            {"kind": c["kind"], "name": _text(c["name_zh"], c["name_en"]), "url": c["url"]}
            for c in related["channels"][pid]
        ],
        "agent": _text(row["agent_zh"], row["agent_en"]),
        "materials": [_text(m["text_zh"], m["text_en"]) for m in related["materials"][pid]],
        "steps": [_text(s["text_zh"], s["text_en"]) for s in related["steps"][pid]],
        "deadlines": [
            {
                "description": _text(d["description_zh"], d["description_en"]),
                "clause": d["clause"],
                "relative_to": d["relative_to"] or None,
                "months": d["months"],
                "date": d["date"],
            }
            for d in related["deadlines"][pid]
        ],
        "processing": _text(row["processing_zh"], row["processing_en"]),
        "payment": _text(row["payment_zh"], row["payment_en"]),
    }


_STEPS: dict[int, Callable[[Any], Any]] = {1: _v1_to_v2}
