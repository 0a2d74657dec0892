"""Helpers for the dashboard tests: read cells and sections out of rendered markup."""

from __future__ import annotations

from html.parser import HTMLParser


class _Cells(HTMLParser):
    def __init__(self, tag: str, css_class: str) -> None:
        super().__init__()
        self.tag, self.css_class = tag, css_class
        self.states: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == self.tag and (not self.css_class or self.css_class in classes):
            day, state = values.get("data-date"), values.get("data-state")
            if day is not None and state is not None:
                self.states[day] = state


def cell_states(markup: str, tag: str = "a", css_class: str = "cell") -> dict[str, str]:
    """``data-date`` -> ``data-state`` of every calendar cell (``<a class="cell">``)."""
    parser = _Cells(tag, css_class)
    parser.feed(markup)
    return parser.states


def svg_cell_states(svg: str) -> dict[str, str]:
    return cell_states(svg, tag="rect", css_class="")
