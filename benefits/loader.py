"""Load the catalogue YAML (benefits/catalogue/) into the database, all or nothing.

Every file is read and checked first; any error anywhere refuses the whole load with a list of
what is wrong and where, so a fresh database never holds half a catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from benefits import models
from benefits.validation import amount_fields_errors, condition_errors, expression_errors


class CatalogueError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class _FactRow:
    type: str
    values: list[Any]


@dataclass
class CatalogueFiles:
    """The parsed YAML, before it is written."""

    documents: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    programmes: list[tuple[str, dict[str, Any]]]
    texts: dict[str, str] = field(default_factory=dict)


def read_catalogue(directory: Path) -> CatalogueFiles:
    errors: list[str] = []

    def load(path: Path) -> Any:
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            errors.append(f"{path.name}: {exc}")
            return None

    documents = load(directory / "documents.yaml") or []
    facts = load(directory / "facts.yaml") or []
    programmes = []
    for path in sorted((directory / "programmes").glob("*.yaml")):
        data = load(path)
        if isinstance(data, dict):
            programmes.append((path.name, data))
        elif data is not None:
            errors.append(f"{path.name}: expected a mapping at the top level.")
    texts = {}
    for document in documents:
        name = document.get("text_file")
        if name:
            try:
                texts[name] = (directory / "texts" / name).read_text(encoding="utf-8")
            except OSError as exc:
                errors.append(f"documents.yaml {document.get('number')}: {exc}")
    if errors:
        raise CatalogueError(errors)
    return CatalogueFiles(documents, facts, programmes, texts)


def _text(value: Any, where: str, errors: list[str], required: bool = True) -> tuple[str, str]:
    if value is None and not required:
        return "", ""
    if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
        errors.append(f"{where}: needs both zh and en text.")
        return "", ""
    return str(value["zh"]).strip(), str(value["en"]).strip()


def _json_value(value: Any) -> Any:
    """Dates become ISO text so they can be stored in JSON fields."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _row_number(row: dict[str, Any]) -> Any:
    # YAML 1.1 reads a bare `no:` key as the boolean false; accept both spellings.
    return row.get("no", row.get(False))


def validate(files: CatalogueFiles) -> list[str]:
    errors: list[str] = []
    numbers = [d.get("number") for d in files.documents]
    known_documents = set(numbers)
    if len(known_documents) != len(numbers):
        errors.append("documents.yaml: a document number is listed twice.")
    for document in files.documents:
        where = f"documents.yaml {document.get('number')}"
        _text(document.get("title"), f"{where} title", errors)
        for key in ("issue_date", "effective_date", "end_date"):
            if document.get(key) is not None and not isinstance(document[key], dt.date):
                errors.append(f"{where}: {key} must be a date.")

    fact_rows = list(files.facts)
    for name, data in files.programmes:
        fact_rows += [dict(f, _file=name) for f in data.get("facts") or []]
    facts: dict[str, _FactRow] = {}
    for row in fact_rows:
        key = row.get("key")
        where = f"{row.get('_file', 'facts.yaml')} fact {key}"
        if not key:
            errors.append(f"{where}: needs a key.")
            continue
        if key in facts:
            errors.append(f"{where}: the key is defined twice.")
        if row.get("type") not in models.Fact.Type.values:
            errors.append(f"{where}: unknown type {row.get('type')!r}.")
        _text(row.get("question"), f"{where} question", errors)
        facts[key] = _FactRow(row.get("type", ""), list(row.get("values") or []))

    parameters = {p.get("key") for _, d in files.programmes for p in d.get("parameters") or []}
    names = set(facts) | parameters
    for row in fact_rows:
        where = f"{row.get('_file', 'facts.yaml')} fact {row.get('key')}"
        for field_name in ("ask_if", "derived"):
            errors += expression_errors(row.get(field_name) or "", names, f"{where} {field_name}")

    tables: dict[str, int] = {}
    for name, data in files.programmes:
        for table in data.get("tables") or []:
            slug = table.get("slug")
            if slug in tables:
                errors.append(f"{name}: table {slug} is defined twice.")
            tables[slug] = len(table.get("keys") or [])
            seen_numbers = set()
            for row in table.get("rows") or []:
                number = _row_number(row)
                if not isinstance(number, int) or number in seen_numbers:
                    errors.append(f"{name}: table {slug} has a missing or repeated row number.")
                seen_numbers.add(number)
                if len(row.get("keys") or []) != tables[slug]:
                    errors.append(f"{name}: table {slug} row {number} has the wrong keys.")

    slugs = [data.get("slug") for _, data in files.programmes]
    if len(set(slugs)) != len(slugs):
        errors.append("programmes: a slug is used twice.")
    for name, data in files.programmes:
        errors += _programme_errors(name, data, known_documents, facts, names, tables, set(slugs))
    return errors


def _programme_errors(
    name: str,
    data: dict[str, Any],
    documents: set[str],
    facts: dict[str, _FactRow],
    names: set[str],
    tables: dict[str, int],
    slugs: set[str],
) -> list[str]:
    errors: list[str] = []
    if f"{data.get('slug')}.yaml" != name:
        errors.append(f"{name}: the file name must be the slug.")
    for key in ("name", "summary"):
        _text(data.get(key), f"{name} {key}", errors)
    if data.get("category") not in models.Programme.Category.values:
        errors.append(f"{name}: unknown category {data.get('category')!r}.")
    if data.get("audience", "resident") not in models.Programme.Audience.values:
        errors.append(f"{name}: unknown audience {data.get('audience')!r}.")
    for number in [data.get("document"), *(data.get("cites") or [])]:
        if number not in documents:
            errors.append(f"{name}: document {number} is not in documents.yaml.")
    period = data.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if start and end and end < start:
        errors.append(f"{name}: the period ends before it starts.")
    for index, requirement in enumerate(data.get("requirements") or [], 1):
        where = f"{name} requirement {index} ({requirement.get('clause')})"
        if not requirement.get("clause"):
            errors.append(f"{where}: needs a clause.")
        _text(requirement.get("description"), where, errors)
        alternatives = requirement.get("alternatives") or []
        if not alternatives:
            errors.append(f"{where}: needs at least one alternative.")
        for alternative in alternatives:
            for condition in alternative or []:
                for message in condition_errors(
                    condition.get("fact"), condition.get("op"), condition.get("value"), facts
                ):
                    errors.append(f"{where}: {message}")
    for index, exclusion in enumerate(data.get("exclusions") or [], 1):
        where = f"{name} exclusion {index}"
        _text(exclusion.get("description"), where, errors)
        for message in condition_errors("receives", "excludes", exclusion.get("receives"), facts):
            errors.append(f"{where}: {message}")
    for conflict in data.get("conflicts") or []:
        if conflict.get("programme") not in slugs:
            # a programme not yet encoded: ignored until it exists
            continue
        _text(conflict.get("note"), f"{name} conflict", errors)
    for index, amount in enumerate(data.get("amounts") or [], 1):
        where = f"{name} amount {index}"
        errors += [
            f"{where}: {m}"
            for m in amount_fields_errors(
                amount.get("kind", ""),
                amount.get("period", "once"),
                value=amount.get("value"),
                rate=amount.get("rate"),
                cap=amount.get("cap"),
                base=amount.get("base") or "",
                table=amount.get("table") if amount.get("table") in tables else None,
                table_keys=list(amount.get("keys") or []),
                formula=amount.get("formula") or "",
                when=amount.get("when") or "",
                known_names=names,
                table_key_count=tables.get(amount.get("table")),
            )
        ]
        if not amount.get("clause"):
            errors.append(f"{where}: needs a clause.")
    apply = data.get("apply") or {}
    for deadline in apply.get("deadlines") or []:
        if deadline.get("relative_to") and deadline["relative_to"] not in facts:
            errors.append(f"{name} deadline: unknown fact {deadline['relative_to']!r}.")
        if not deadline.get("relative_to") and not deadline.get("date"):
            errors.append(f"{name} deadline: needs a date or relative_to and months.")
    for case in data.get("cases") or []:
        expect = case.get("expect") or {}
        if expect.get("status") not in ("eligible", "ineligible", "unknown", "inactive"):
            errors.append(f"{name} case {case.get('name')}: unknown expected status.")
    return errors


@transaction.atomic
def write_catalogue(files: CatalogueFiles) -> None:
    """Replace the whole catalogue with `files` (already validated)."""
    for model in (
        models.PersonaCase,
        models.Amount,  # amounts protect their tables, so they go first
        models.Programme,
        models.AmountTable,
        models.Parameter,
        models.Fact,
        models.Document,
    ):
        model.objects.all().delete()

    documents = {}
    for document in files.documents:
        title = document.get("title") or {}
        summary = document.get("summary") or {}
        documents[document["number"]] = models.Document.objects.create(
            number=document["number"],
            title_zh=title.get("zh", ""),
            title_en=title.get("en", ""),
            issuers="、".join(document.get("issuers") or []),
            issue_date=document.get("issue_date"),
            effective_date=document.get("effective_date"),
            end_date=document.get("end_date"),
            repeals=document.get("repeals") or [],
            gazette=document.get("gazette") or "",
            summary_zh=summary.get("zh", ""),
            summary_en=summary.get("en", ""),
            full_text=files.texts.get(document.get("text_file") or "", ""),
        )

    fact_rows = list(files.facts) + [f for _, d in files.programmes for f in d.get("facts") or []]
    bulk_create_with_history(
        [
            models.Fact(
                key=row["key"],
                type=row["type"],
                values=_json_value(row.get("values") or []),
                labels={str(k): v for k, v in (row.get("labels") or {}).items()},
                min_value=row.get("min"),
                max_value=row.get("max"),
                question_zh=row["question"]["zh"],
                question_en=row["question"]["en"],
                help_zh=(row.get("help") or {}).get("zh", ""),
                help_en=(row.get("help") or {}).get("en", ""),
                ask_if=row.get("ask_if") or "",
                derived=row.get("derived") or "",
                group=row.get("group") or "",
                order=row.get("order") or 0,
            )
            for row in fact_rows
        ],
        models.Fact,
    )

    programmes = {}
    for _, data in files.programmes:
        programmes[data["slug"]] = _write_programme(data, documents)
    tables = {}
    for _, data in files.programmes:
        for table in data.get("tables") or []:
            tables[table["slug"]] = _write_table(table, programmes[data["slug"]])
        for parameter in data.get("parameters") or []:
            _write_parameter(parameter, programmes[data["slug"]])
    for _, data in files.programmes:
        programme = programmes[data["slug"]]
        for order, amount in enumerate(data.get("amounts") or []):
            note = amount.get("note") or {}
            models.Amount.objects.create(
                programme=programme,
                order=order,
                when=amount.get("when") or "",
                kind=amount["kind"],
                period=amount.get("period", "once"),
                value=amount.get("value"),
                rate=amount.get("rate"),
                base=amount.get("base") or "",
                cap=amount.get("cap"),
                table=tables.get(amount.get("table")),
                table_keys=amount.get("keys") or [],
                formula=amount.get("formula") or "",
                clause=amount["clause"],
                note_zh=note.get("zh", ""),
                note_en=note.get("en", ""),
            )
        for conflict in data.get("conflicts") or []:
            other = programmes.get(conflict["programme"])
            if other is not None:
                models.Conflict.objects.create(
                    programme=programme,
                    other=other,
                    clause=conflict.get("clause", ""),
                    note_zh=conflict["note"]["zh"],
                    note_en=conflict["note"]["en"],
                )


def _write_programme(
    data: dict[str, Any], documents: dict[str, models.Document]
) -> models.Programme:
    period = data.get("period") or {}
    office = data.get("office") or {}
    apply = data.get("apply") or {}
    agent = apply.get("agent") or {}
    processing = apply.get("processing") or {}
    payment = apply.get("payment") or {}
    programme = models.Programme.objects.create(
        slug=data["slug"],
        name_zh=data["name"]["zh"],
        name_en=data["name"]["en"],
        summary_zh=data["summary"]["zh"],
        summary_en=data["summary"]["en"],
        category=data["category"],
        audience=data.get("audience", "resident"),
        document=documents[data["document"]],
        period_start=period.get("start"),
        period_end=period.get("end"),
        period_clause=data.get("period_clause") or "",
        office_zh=office.get("zh", ""),
        office_en=office.get("en", ""),
        decisions=data.get("decisions") or [],
        apply_clause=apply.get("clause") or "",
        agent_zh=agent.get("zh", ""),
        agent_en=agent.get("en", ""),
        processing_zh=processing.get("zh", ""),
        processing_en=processing.get("en", ""),
        payment_zh=payment.get("zh", ""),
        payment_en=payment.get("en", ""),
        order=data.get("order") or 100,
    )
    programme.cites.set([documents[number] for number in data.get("cites") or []])
    order = 0
    for requirement in data.get("requirements") or []:
        row = _write_requirement(programme, order, requirement, "requirement")
        for alternative_number, alternative in enumerate(requirement["alternatives"], 1):
            for condition in alternative:
                models.Condition.objects.create(
                    requirement=row,
                    alternative=alternative_number,
                    fact=condition["fact"],
                    operator=condition["op"],
                    value=_json_value(condition["value"]),
                )
        order += 1
    for exclusion in data.get("exclusions") or []:
        row = _write_requirement(programme, order, exclusion, "exclusion")
        models.Condition.objects.create(
            requirement=row,
            alternative=1,
            fact="receives",
            operator="excludes",
            value=exclusion["receives"],
        )
        order += 1
    for index, channel in enumerate(apply.get("channels") or []):
        models.Channel.objects.create(
            programme=programme,
            order=index,
            kind=channel["kind"],
            name_zh=channel["name"]["zh"],
            name_en=channel["name"]["en"],
            url=channel.get("url", ""),
        )
    for index, material in enumerate(apply.get("materials") or []):
        models.Material.objects.create(
            programme=programme, order=index, text_zh=material["zh"], text_en=material["en"]
        )
    for index, step in enumerate(apply.get("steps") or []):
        models.Step.objects.create(
            programme=programme, order=index, text_zh=step["zh"], text_en=step["en"]
        )
    for index, deadline in enumerate(apply.get("deadlines") or []):
        models.Deadline.objects.create(
            programme=programme,
            order=index,
            description_zh=deadline["description"]["zh"],
            description_en=deadline["description"]["en"],
            clause=deadline.get("clause", ""),
            relative_to=deadline.get("relative_to") or "",
            months=deadline.get("months"),
            date=deadline.get("date"),
        )
    for case in data.get("cases") or []:
        expect = case["expect"]
        models.PersonaCase.objects.create(
            programme=programme,
            name_zh=case["name"]["zh"],
            name_en=case["name"]["en"],
            clause=case.get("clause") or "",
            as_of=case["as_of"],
            answers=_json_value(case.get("answers") or {}),
            expected_status=expect["status"],
            check_amount="amount" in expect,
            expected_amount=expect.get("amount"),
        )
    return programme


def _write_requirement(
    programme: models.Programme, order: int, data: dict[str, Any], kind: str
) -> models.Requirement:
    note = data.get("note") or {}
    return models.Requirement.objects.create(
        programme=programme,
        order=order,
        kind=kind,
        clause=data["clause"],
        text=data.get("text") or "",
        description_zh=data["description"]["zh"],
        description_en=data["description"]["en"],
        note_zh=note.get("zh", ""),
        note_en=note.get("en", ""),
    )


def _write_table(data: dict[str, Any], programme: models.Programme) -> models.AmountTable:
    table = models.AmountTable.objects.create(
        slug=data["slug"],
        name_zh=data["name"]["zh"],
        name_en=data["name"]["en"],
        programme=programme,
        clause=data.get("clause", ""),
        keys=data.get("keys") or [],
    )
    bulk_create_with_history(
        [
            models.TableRow(
                table=table,
                no=_row_number(row),
                keys=[str(k) for k in row["keys"]],
                value=_json_value(row.get("value")),
                label_zh=(row.get("label") or {}).get("zh", ""),
                label_en=(row.get("label") or {}).get("en", ""),
                extra=_json_value(row.get("extra") or {}),
            )
            for row in data.get("rows") or []
        ],
        models.TableRow,
    )
    return table


def _write_parameter(data: dict[str, Any], programme: models.Programme) -> None:
    parameter = models.Parameter.objects.create(
        key=data["key"],
        name_zh=data["name"]["zh"],
        name_en=data["name"]["en"],
        unit=data.get("unit") or "",
        programme=programme,
    )
    for value in data.get("values") or []:
        models.ParameterValue.objects.create(
            parameter=parameter,
            effective_from=value["from"],
            value=Decimal(str(value["value"])),
            clause=value.get("clause", ""),
        )


def load_catalogue(directory: Path, *, replace: bool = False) -> bool:
    """Load the YAML catalogue; returns False when one is present and `replace` is not set."""
    files = read_catalogue(directory)
    errors = validate(files)
    if errors:
        raise CatalogueError(errors)
    if models.Programme.objects.exists() and not replace:
        return False
    with transaction.atomic():
        write_catalogue(files)
        publish_rows(note="Loaded from the gazette catalogue files")
    return True


def publish_rows(note: str, user: Any = None) -> models.Publication:
    """Freeze the draft as a new publication (callers check persona cases first)."""
    from benefits.snapshot import catalogue_rows

    return models.Publication.objects.create(rows=catalogue_rows(), note=note, published_by=user)
