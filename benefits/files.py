"""The catalogue as files: `documents.yaml`, `facts.yaml`, `programmes/<slug>.yaml`, `texts/`.

`read_directory` parses such a folder into the catalogue schema (every file checked, every
problem reported with its file); `write_directory` writes a catalogue back in the same layout,
deterministically, so exporting what was loaded gives the same bytes every time.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import yaml

from rules import schema


class CatalogueError(Exception):
    """The files cannot be loaded; `errors` says what is wrong and where, one line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _load_yaml(path: Path, errors: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{path.name}: {exc}")
        return None


def _row_numbers_as_text(data: dict[str, Any]) -> dict[str, Any]:
    """YAML 1.1 reads a bare `no:` key as the boolean false; give table rows their `no` back."""
    for table in data.get("tables") or []:
        for row in table.get("rows") or [] if isinstance(table, dict) else []:
            if isinstance(row, dict) and False in row:
                row["no"] = row.pop(False)
    return data


def _field_errors(error: pydantic.ValidationError, where: str) -> list[str]:
    return [
        f"{where} {'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
        for item in error.errors()
    ]


def read_directory(directory: Path) -> schema.Catalogue:
    """The catalogue in `directory`; raises CatalogueError listing every problem found."""
    errors: list[str] = []
    documents = _load_yaml(directory / "documents.yaml", errors) or []
    facts = _load_yaml(directory / "facts.yaml", errors) or []
    programmes = []
    for path in sorted((directory / "programmes").glob("*.yaml")):
        data = _load_yaml(path, errors)
        if not isinstance(data, dict):
            errors.append(f"{path.name}: expected a mapping at the top level.")
            continue
        try:
            programme = schema.Programme.model_validate(_row_numbers_as_text(data))
        except pydantic.ValidationError as exc:
            errors += _field_errors(exc, path.name)
            continue
        if path.stem != programme.slug:
            errors.append(f"{path.name}: the file name must be the slug ({programme.slug}).")
        programmes.append(programme)
    for document in documents if isinstance(documents, list) else []:
        name = document.get("text_file") if isinstance(document, dict) else None
        if name:
            try:
                document["full_text"] = (directory / "texts" / name).read_text(encoding="utf-8")
            except OSError as exc:
                errors.append(f"documents.yaml {document.get('number')}: {exc}")
    try:
        catalogue = schema.Catalogue(documents=documents, facts=facts, programmes=programmes)
    except pydantic.ValidationError as exc:
        errors += _field_errors(exc, "catalogue")
    if errors:
        raise CatalogueError(errors)
    return catalogue


# --- writing ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, but small mappings of plain values ({zh: …, en: …}) on one line."""

    def represent_mapping(self, tag: str, mapping: Any, flow_style: bool | None = None) -> Any:
        flat = all(not isinstance(v, dict | list) for v in mapping.values())
        short = sum(len(str(k)) + len(str(v)) for k, v in mapping.items()) <= 80
        return super().represent_mapping(tag, mapping, flow_style=flat and short)


def _plain(value: Any) -> Any:
    """Decimals as YAML numbers (1245, 0.5); dates stay dates, so they print unquoted."""
    if isinstance(value, Decimal):
        return schema.json_number(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _dump(data: Any) -> str:
    return yaml.dump(
        _plain(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,  # one line per text: diffs of an edit stay one line
        default_flow_style=False,
    )


def _model(model: pydantic.BaseModel, **options: Any) -> Any:
    return model.model_dump(mode="python", by_alias=True, exclude_defaults=True, **options)


def text_file_name(document: schema.Document) -> str:
    """The file a document's text is kept in: its own name, or one made from its number."""
    if document.text_file:
        return document.text_file
    return f"doc-{hashlib.sha256(document.number.encode()).hexdigest()[:12]}.txt"


def write_directory(catalogue: schema.Catalogue, directory: Path) -> None:
    """Write `catalogue` in the layout of `benefits/catalogue/`, replacing what was there."""
    programmes_dir, texts_dir = directory / "programmes", directory / "texts"
    programmes_dir.mkdir(parents=True, exist_ok=True)
    texts_dir.mkdir(parents=True, exist_ok=True)
    documents, texts = [], {}
    for document in catalogue.documents:
        data = _model(document, exclude={"full_text"})
        if document.full_text:
            data["text_file"] = text_file_name(document)
            texts[data["text_file"]] = document.full_text
        documents.append(data)
    _write(directory / "documents.yaml", _dump(documents))
    _write(directory / "facts.yaml", _dump([_model(fact) for fact in catalogue.facts]))
    for programme in catalogue.programmes:
        _write(programmes_dir / f"{programme.slug}.yaml", _dump(_model(programme)))
    for name, text in texts.items():
        _write(texts_dir / name, text)
    _remove_others(programmes_dir, "*.yaml", {f"{p.slug}.yaml" for p in catalogue.programmes})
    _remove_others(texts_dir, "*.txt", set(texts))


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _remove_others(directory: Path, pattern: str, keep: set[str]) -> None:
    for path in directory.glob(pattern):
        if path.name not in keep:
            path.unlink()
