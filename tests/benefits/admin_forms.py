"""A change form as a browser submits it: every field parsed from the page's HTML (inline
formsets and their management forms included), text areas with CRLF line breaks, text inputs
without line breaks, only the ticked boxes and the selected options."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode


class BrowserForm(HTMLParser):
    """The (name, value) pairs a browser submits for the page's form, in page order."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attr.get("id") == self.form_id
        if not self.inside or "disabled" in attr:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            self._input(name, attr)
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            self.pairs.append((self._select, attr.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def _input(self, name: str, attr: dict[str, str]) -> None:
        kind = attr.get("type", "text")
        if kind in ("submit", "button", "image", "reset", "file"):
            return
        if kind in ("checkbox", "radio") and "checked" not in attr:
            return
        value = attr.get("value", "on" if kind in ("checkbox", "radio") else "")
        if kind not in ("hidden", "checkbox", "radio"):
            value = value.replace("\r", "").replace("\n", "")  # value sanitisation
        self.pairs.append((name, value))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text).removeprefix("\n")  # the parser drops one newline
            self.pairs.append((self._textarea, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None


def submitted(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = BrowserForm(form_id)
    parser.feed(html)
    assert parser.pairs, f"no form #{form_id} on the page"
    return [*parser.pairs, ("_save", "save")]


def post_changed(client, url: str, form_id: str, changes: dict[str, str]):
    """Open the change form at `url`, change some fields as a staff member would, save it."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = [
        (name, changes.get(name, value))
        for name, value in submitted(page.content.decode(), form_id)
    ]
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
