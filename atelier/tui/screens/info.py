"""Info steps: the step's slides one page at a time (→ or ^L next page, ← or ^K previous)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from atelier.domain.content import Step, StepKind, Workshop
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
        yield Static(self._page_counter(), id="page-counter")

    def _page_counter(self) -> str:
        return f"{self.page_index + 1} / {len(self.pages)}" if len(self.pages) > 1 else ""

    async def show_page(self, index: int) -> None:
        self.page_index = index
        await self.query_one("#page", Page).show(self.pages[index])
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
        if self.page_index + 1 < len(self.pages):
            await self.show_page(self.page_index + 1)
        else:
            await self.atelier.next_step()

    async def action_page_previous(self) -> None:
        if self.page_index > 0:
            await self.show_page(self.page_index - 1)
        else:
            await self.atelier.previous_step()


class InfoScreen(PagedScreen):
    def compose_body(self) -> ComposeResult:
        self.pages = step_pages(self.atelier.workshop, self.step)
        yield from self.compose_page()
