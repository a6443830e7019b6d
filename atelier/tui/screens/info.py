"""Info steps: the step's slides one page at a time (→ or ^L next page, ← or ^K previous),
and :class:`PagedScreen`, the paged flow (intro pages → activity → closing pages) that the
quiz, assessment and pitch screens share with them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import DOMQuery
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from atelier.domain.content import Workshop
from atelier.domain.content_programme import Step, StepKind
from atelier.domain.follow import Projection
from atelier.domain.page_flow import Move, PageFlow, Section
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
    """A step that moves through a :class:`PageFlow`: its intro pages, its activity (the
    « core », when it has one), then its closing pages.

    The flow's section is the screen's state: :meth:`show_position` shows where the flow is —
    the pages' view or the core's (``PAGES_VIEW`` / ``CORE_VIEW`` in a ``ContentSwitcher``) —
    and refreshes the footer's keys, which each screen's ``check_action`` gives per section.
    → and ← turn a page's parts, then its pages; in the core the screen moves first
    (:meth:`core_forward`), and the flow takes over once the core has nowhere further to go."""

    BINDINGS = [
        Binding("space", "page_next", show=False),
        Binding("down,j", "scroll_page(1)", show=False),
        Binding("up,k", "scroll_page(-1)", show=False),
    ]

    SECTION_NAMES: ClassVar[Mapping[Section, str]] = {
        Section.BEFORE: "before",
        Section.CORE: "core",
        Section.AFTER: "after",
    }
    """What ``section`` says in each section (the screens' own words, used by their tests)."""
    PAGES_VIEW: ClassVar[str] = ""
    """Id of the pages' view in the screen's ContentSwitcher ("" without a core)."""
    CORE_VIEW: ClassVar[str] = ""

    def __init__(self, step: Step) -> None:
        super().__init__(step)
        self.before: list[str] = []
        self.after: list[str] = []
        self.flow = PageFlow.start(1, 0, has_core=False)  # the real one: in compose_body

    @property
    def section(self) -> str:
        return self.SECTION_NAMES[self.flow.section]

    @property
    def page_index(self) -> int:
        return self.flow.index

    def section_pages(self) -> list[str]:
        """The pages of the section shown (none in the core)."""
        if self.flow.section == Section.BEFORE:
            return self.before
        return self.after if self.flow.section == Section.AFTER else []

    def compose_page(self) -> ComposeResult:
        yield Page(self.section_pages()[self.page_index], id="page")
        yield Static(self._page_counter(), id="page-counter", markup=False)

    def _page_counter(self, page: DOMQuery[Widget] | Page | None = None) -> str:
        shown = page if page is not None else self.query("#page")
        return page_counter(self.page_index, len(self.section_pages()), shown)

    def on_page_paginated(self, event: Page.Paginated) -> None:
        if not self.flow.in_core:
            self.query_one("#page-counter", Static).update(self._page_counter(event.page))

    # -- where the flow is -------------------------------------------------------------------

    async def show_position(self, *, at_end: bool = False) -> None:
        """Show the flow's position (a page opens on its last part with ``at_end``: coming
        back to it): switch to the section's view, fill it, refresh the footer's keys."""
        in_core = self.flow.in_core
        if in_core:
            await self.prepare_core()
        view = self.CORE_VIEW if in_core else self.PAGES_VIEW
        if view:
            self.show_view(view)
        if in_core:
            await self.show_core()
        else:
            page = self.query_one("#page", Page)
            await page.show(self.section_pages()[self.page_index], at_end=at_end)
            self.query_one("#page-counter", Static).update(self._page_counter(page))
            self.page_shown()
        self.refresh_bindings()

    def show_view(self, view: str) -> None:
        """Show the view ``view`` (``PAGES_VIEW`` or ``CORE_VIEW``), hide the other."""
        self.query_one(ContentSwitcher).current = view

    async def show_page(self, index: int, *, at_end: bool = False) -> None:
        """Show page ``index`` of the section shown."""
        self.flow.go_to(self.flow.section, index)
        await self.show_position(at_end=at_end)

    async def _show_pages(self, section: str, index: int, *, at_end: bool = False) -> None:
        """Show page ``index`` of the section the screen calls ``section``."""
        names = {name: key for key, name in self.SECTION_NAMES.items()}
        self.flow.go_to(names[section], index)
        await self.show_position(at_end=at_end)

    async def follow(self, move: Move, *, backward: bool = False) -> None:
        """Do what a move of the flow says: show the new position, or change step."""
        if move is Move.NEXT_STEP:
            await self.atelier.next_step()
        elif move is Move.PREVIOUS_STEP:
            await self.atelier.previous_step()
        else:
            await self.show_position(at_end=backward)

    # -- what each screen adds ---------------------------------------------------------------

    async def prepare_core(self) -> None:
        """Before the core's view shows (build it, begin the activity)."""

    async def show_core(self) -> None:
        """Bring the core's view up to date (it is the one shown)."""

    def page_shown(self) -> None:
        """A page of the intro or the closing is up."""

    async def core_forward(self) -> bool:
        """→ in the core: True when the core moved by itself (the flow stays there)."""
        return False

    async def core_backward(self) -> bool:
        return False

    # -- keys --------------------------------------------------------------------------------

    def page_projection(self, pages: list[str], index: int) -> Projection:
        if not pages:
            return self.projected()
        index = min(index, len(pages) - 1)
        position = (index + 1, len(pages)) if len(pages) > 1 else None
        return self.projected(page_markdown=pages[index], page_position=position)

    def projection(self) -> Projection:
        return self.page_projection(self.section_pages(), self.page_index)

    def action_scroll_page(self, direction: int) -> None:
        page = self.query_one("#page", Page)
        if direction > 0:
            page.scroll_down(animate=False)
        else:
            page.scroll_up(animate=False)

    async def action_page_next(self) -> None:
        if self.flow.in_core:
            if await self.core_forward():
                return
        elif self.query_one("#page", Page).next_part():
            return
        await self.follow(self.flow.forward())

    async def action_page_previous(self) -> None:
        if self.flow.in_core:
            if await self.core_backward():
                return
        elif self.query_one("#page", Page).previous_part():
            return
        await self.follow(self.flow.backward(), backward=True)


class InfoScreen(PagedScreen):
    """Pages only: the step's intro and closing pages read as one list."""

    def compose_body(self) -> ComposeResult:
        self.before = step_pages(self.atelier.workshop, self.step)
        self.flow = PageFlow.start(len(self.before), 0, has_core=False)
        yield from self.compose_page()
