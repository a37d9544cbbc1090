"""Every UI and admin string has a Simplified Chinese translation, compiled for Django."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated():
    text = PO.read_text(encoding="utf-8")
    empty = re.findall(r'\nmsgid "(.+)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? ""\n\n', text)
    assert empty == []


def test_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Continue") == "继续"
        assert translation.gettext("Publish the draft to residents") == "向居民发布草稿"
    with translation.override("en"):
        assert translation.gettext("Continue") == "Continue"
