"""Info steps: the step's slides one page at a time (→ or ^L next page, ← or ^K previous)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import DOMQuery
from textual.widget import Widget
from textual.widgets import Static

from atelier.domain.content import Workshop
from atelier.domain.content_programme import Step, StepKind
from atelier.domain.follow import Projection
from atelier.tui.screens.base import StepScreen
from atelier.tui.widgets.slide_view import Page, closing_markdown, slide_markdown, title_markdown


def intro_pages(workshop: Workshop, step: Step) -> list[str]:
    """The pages before a step's activity: the title page on the first step, then ``intro``."""
    pages = [title_markdown(workshop)] if workshop.programme[0].id == step.id else []
    return pages + [slide_markdown(workshop.slide(slide_id)) for slide_id in step.intro]


def closing_pages(workshop: Workshop, step: Step) -> list[str]:
    """The pages after a step's activity: its ``slides``, and the closing page at the end."""
    pages = [slide_markdown(workshop.slide(slide_id)) for slide_id in step.slides]
    if step.kind == StepKind.CLOSING:
        pages.append(closing_markdown(workshop))
    return pages


def step_pages(workshop: Workshop, step: Step) -> list[str]:
    """Every page of an info or closing step, in order (never none)."""
    return intro_pages(workshop, step) + closing_pages(workshop, step) or [f"# {step.title}\n"]


def page_counter(index: int, count: int, page: DOMQuery[Widget] | Page | None = None) -> str:
    """« 2 / 5 », and where the page's parts are: « 2 / 5 · exemples 1–3 / 7 »."""
    if isinstance(page, DOMQuery):
        page = page.first(Page) if page else None
    caption = page.part_caption() if isinstance(page, Page) else ""
    counter = f"{index + 1} / {count}" if count > 1 else ""
    return " · ".join(text for text in (counter, caption) if text)


class PagedScreen(StepScreen):
    """A step that shows a list of pages before ``→`` leaves it."""

    BINDINGS = [
        Binding("space", "page_next", show=False),
        Binding("down,j", "scroll_page(1)", show=False),
        Binding("up,k", "scroll_page(-1)", show=False),
    ]

    pages: list[str]
    page_index: int = 0

    def compose_page(self) -> ComposeResult:
        yield Page(self.pages[self.page_index], id="page")
        yield Static(self._page_counter(), id="page-counter", markup=False)

    def _page_counter(self) -> str:
        return page_counter(self.page_index, len(self.pages), self.query("#page"))

    async def show_page(self, index: int, *, at_end: bool = False) -> None:
        self.page_index = index
        await self.query_one("#page", Page).show(self.pages[index], at_end=at_end)
        self.query_one("#page-counter", Static).update(self._page_counter())

    def on_page_paginated(self, event: Page.Paginated) -> None:
        self.query_one("#page-counter", Static).update(self._page_counter())

    def page_projection(self, pages: list[str], index: int) -> Projection:
        if not pages:
            return self.projected()
        index = min(index, len(pages) - 1)
        position = (index + 1, len(pages)) if len(pages) > 1 else None
        return self.projected(page_markdown=pages[index], page_position=position)

    def projection(self) -> Projection:
        return self.page_projection(self.pages, self.page_index)

    def action_scroll_page(self, direction: int) -> None:
        page = self.query_one("#page", Page)
        if direction > 0:
            page.scroll_down(animate=False)
        else:
            page.scroll_up(animate=False)

    async def action_page_next(self) -> None:
        if self.query_one("#page", Page).next_part():
            return
        if self.page_index + 1 < len(self.pages):
            await self.show_page(self.page_index + 1)
        else:
            await self.atelier.next_step()

    async def action_page_previous(self) -> None:
        if self.query_one("#page", Page).previous_part():
            return
        if self.page_index > 0:
            await self.show_page(self.page_index - 1, at_end=True)
        else:
            await self.atelier.previous_step()


class InfoScreen(PagedScreen):
    def compose_body(self) -> ComposeResult:
        self.pages = step_pages(self.atelier.workshop, self.step)
        yield from self.compose_page()
