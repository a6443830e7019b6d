"""Info pages as Markdown: a slide, the title page and the closing page.

Content authors write Markdown in their text fields (``**gras**``); these functions only
arrange the fields of a page in a fixed order so every workshop looks the same."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from atelier.domain.content import Slide, Workshop
from atelier.tui import labels
from atelier.tui.widgets.big_text import BigText
from atelier.tui.widgets.markdown_text import MarkdownText


def slide_markdown(slide: Slide) -> str:
    parts: list[str] = []
    if slide.subtitle:
        parts.append(f"*{slide.subtitle}*")
    parts.append(f"# {slide.title}")
    if slide.text:
        parts.append(slide.text.strip())
    if slide.bullets:
        parts.append("\n".join(f"- {item}" for item in slide.bullets))
    if slide.numbered:
        parts.append("\n".join(f"{n}. {item}" for n, item in enumerate(slide.numbered, 1)))
    for definition in slide.definitions:
        block = []
        if definition.intro:
            block.append(definition.intro.strip())
        block.append("\n".join(f"> {line}" for line in definition.text.strip().splitlines()))
        source = definition.source + (f", {definition.year}" if definition.year else "")
        block.append(f"— *{source}*")
        parts.append("\n\n".join(block))
    for card in slide.cards:
        parts.append(f"## {card.title}\n\n{card.text.strip()}" if card.text else f"## {card.title}")
    if slide.people:
        parts.append("\n".join(f"- **{person}**" for person in slide.people))
    if slide.conclusion:
        parts.append(f"➔ **{slide.conclusion.strip()}**")
    if slide.source:
        parts.append(f"*— {slide.source.strip()}*")
    return "\n\n".join(parts) + "\n"


def title_markdown(workshop: Workshop) -> str:
    parts = [f"# {workshop.title}"]
    if workshop.subtitle:
        parts.append(f"**{workshop.subtitle}**")
    line = workshop.organiser
    if workshop.date:
        line += f" · {workshop.date:%d/%m/%Y}"
    parts.append(line)
    return "\n\n".join(parts) + "\n"


def closing_markdown(workshop: Workshop) -> str:
    parts = [f"# {workshop.title}"]
    if workshop.contact:
        contact = workshop.contact
        who = contact.name + (f" – {contact.organisation}" if contact.organisation else "")
        lines = [f"## {labels.CONTACT}", f"**{who}**"]
        if contact.email:
            lines.append(contact.email)
        parts.append("\n\n".join(lines))
    if workshop.resources:
        items = []
        for resource in workshop.resources:
            item = f"- {resource.title}"
            if resource.note:
                item += f", {resource.note}"
            if resource.url:
                item += f"  \n  {resource.url}"
            items.append(item)
        parts.append(f"## {labels.RESOURCES}\n\n" + "\n".join(items))
    if workshop.licence:
        licence = workshop.licence
        text = f"## {labels.LICENCE}\n\n{licence.attribution}\n\n{licence.name}"
        if licence.url:
            text += f"  \n{licence.url}"
        parts.append(text)
    return "\n\n".join(parts) + "\n"


HEADLINE_MAX_BODY = 240
"""A page whose text (besides its title) is at most this long gets its title in block letters:
the title page, the sequence dividers, the pause — the pages read from the back of the room."""


def split_headline(markdown: str) -> tuple[str | None, str]:
    """``(title, rest)`` when the page is short enough for a block-letter title, else
    ``(None, markdown)``."""
    lines = markdown.strip("\n").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            rest = "\n".join(lines[:index] + lines[index + 1 :]).strip()
            if len(rest) <= HEADLINE_MAX_BODY:
                return line[2:].strip(), rest + "\n"
            break
    return None, markdown


class Page(VerticalScroll):
    """One info page: scrolls when it is longer than the screen (nothing is cut off); a short
    page shows its title in block letters as large as the screen allows."""

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        headline, rest = split_headline(self._markdown)
        big = BigText(headline or "", wrap=True, classes="page-headline")
        big.display = headline is not None
        self.set_class(headline is not None, "-headline")
        yield big
        yield MarkdownText(rest, classes="page-text")

    async def show(self, markdown: str) -> None:
        self._markdown = markdown
        headline, rest = split_headline(markdown)
        big = self.query_one(".page-headline", BigText)
        big.display = headline is not None
        big.text = headline or ""
        self.set_class(headline is not None, "-headline")
        await self.query_one(".page-text", MarkdownText).update(rest)
        self.scroll_home(animate=False)
