"""Every UI and admin string has a Simplified Chinese translation in the .po file, nothing is
fuzzy, and the committed .mo is that .po compiled. (README.md, "Translations".)"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
PO, MO = MESSAGES / "django.po", MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO))


def _key(entry: polib._BaseEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _translations(entry: polib._BaseEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_every_message_is_translated(po):
    assert [e.msgid for e in po if not all(_translations(e))] == []


def test_no_message_is_fuzzy(po):
    """makemessages marks a changed string fuzzy with a guessed translation, which the
    compiled catalogue leaves out: the page would show English."""
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []


def test_no_obsolete_messages(po):
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_translations_keep_the_placeholders(po):
    wrong = []
    for entry in po:
        if "python-format" not in entry.flags:
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        wrong += [
            entry.msgid for text in _translations(entry) if set(PLACEHOLDER.findall(text)) != wanted
        ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(po):
    """The .mo Django reads is committed: it must hold exactly the .po's translations."""
    expected = {_key(e): _translations(e) for e in po if not e.obsolete}
    compiled = {_key(e): _translations(e) for e in polib.mofile(str(MO)) if e.msgid}
    assert compiled == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_every_string_in_the_code_is_in_the_po_file(tmp_path, po):
    """makemessages on a copy of the sources finds no message the .po lacks."""
    for name in ("benefits", "config", "eligibility", "rules", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert sorted({_key(e) for e in extracted} - {_key(e) for e in po}, key=str) == []
    assert sorted({_key(e) for e in po} - {_key(e) for e in extracted}, key=str) == []


def test_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Continue") == "继续"
        assert translation.gettext("Publish the draft to residents") == "向居民发布草稿"
    with translation.override("en"):
        assert translation.gettext("Continue") == "Continue"
