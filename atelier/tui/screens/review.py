"""``atelier review``: a saved session, page by page, read-only; ``/`` searches every note.

The pages are the report's own sections (``atelier.report``): the overview is the room-wide
Markdown of the report, a project page is its profile chart and the Markdown of its texts. The
screen holds a built :class:`~atelier.report.model.Report` and never the store, so it cannot
write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from atelier.report import model as m
from atelier.report.markdown import overview_markdown, project_details_markdown
from atelier.report.search import NoteIndex, NoteMatch
from atelier.tui import labels
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.profile_chart import ProfileChart

if TYPE_CHECKING:
    from markdown_it.token import Token

OVERVIEW_PAGE = "page-overview"


def page_id(project: m.ProjectReport | None, report: m.Report) -> str:
    """The page showing ``project`` (the overview for None)."""
    if project is None:
        return OVERVIEW_PAGE
    return f"page-{report.projects.index(project) + 1}"


# -- Markdown as the reports write it ---------------------------------------------------------


def _line_breaks(state: StateCore) -> None:
    """The reports write a line break inside a table cell as ``<br>``; Textual's Markdown drops
    raw HTML, so turn exactly that tag into a line break (any other tag stays dropped)."""
    for token in state.tokens:
        children: list[Token] = token.children or []
        for child in children:
            if child.type == "html_inline" and child.content.strip().lower() in {
                "<br>",
                "<br/>",
                "<br />",
            }:
                child.type = "softbreak"
                child.content = ""


def report_parser() -> MarkdownIt:
    """GitHub-like Markdown without turning addresses typed in a note into links: the page
    shows what was typed, and nothing in a note opens a browser."""
    parser = MarkdownIt("gfm-like").disable("linkify")
    parser.core.ruler.push("atelier_line_breaks", _line_breaks)
    return parser


class ReportMarkdown(Markdown):
    """A section of the report, rendered as Markdown (the same text ``atelier export`` writes)."""

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(markdown, parser_factory=report_parser, **kwargs)  # type: ignore[arg-type]


# -- pages --------------------------------------------------------------------------------------


class ReviewPage(VerticalScroll):
    """One page; it scrolls when longer than the screen (Tab to give it the keys)."""


def overview_page(report: m.Report) -> ReviewPage:
    return ReviewPage(ReportMarkdown(overview_markdown(report)), id=OVERVIEW_PAGE)


def project_page(report: m.Report, project: m.ProjectReport) -> ReviewPage:
    parts: list[Static | Label | Markdown | ProfileChart] = [
        Static(Content(project.project.name), classes="review-project-name")
    ]
    if project.project.carriers.strip():
        parts.append(
            Static(
                Content.assemble((f"{m.LABEL_CARRIERS} : ", "bold"), project.project.carriers),
                classes="review-carriers",
            )
        )
    if project.profile is not None:
        parts.append(Label(m.HEADING_PROFILE, classes="review-heading"))
        parts.append(ProfileChart(project.profile, project.progress_label))
    parts.append(ReportMarkdown(project_details_markdown(project)))
    cards = room_cards_content(project)
    if cards is not None:
        parts.append(Label(labels.REVIEW_ROOM_CARDS, classes="review-heading"))
        parts.append(Static(cards, classes="review-room-cards"))
    return ReviewPage(*parts, id=page_id(project, report))


def room_cards_content(project: m.ProjectReport) -> Content | None:
    """Every card the room sent to the project, with what the facilitator did with it (the
    accepted ones are in the notes above, and in the exports); None when there are none."""
    cards = project.project.pitch.room_cards
    if not cards:
        return None
    names = {note.category_id: note.label for note in project.pitch.notes}
    parts: list[Content | str | tuple[str, str]] = []
    for card in cards:
        if parts:
            parts.append("\n")
        status = labels.REVIEW_CARD_STATUS[card.status.value]
        parts.append((f"• {names.get(card.category, card.category)} ({status}) : ", "bold"))
        parts.append(card.text)
        if card.signature:
            parts.append((f" — {card.signature}", "italic"))
    return Content.assemble(*parts)


# -- the screen ---------------------------------------------------------------------------------


class ReviewScreen(Screen[None]):
    """Pages on the left (overview, then one per project), the page on the right."""

    CSS_PATH = "review.tcss"

    BINDINGS = [
        Binding("right", "next_page", labels.KEY_PAGE_NEXT, key_display="→", priority=True),
        Binding("left", "previous_page", labels.KEY_PAGE_PREVIOUS, key_display="←", priority=True),
        Binding("slash", "search", labels.KEY_SEARCH, key_display="/"),
    ]

    def __init__(self, report: m.Report) -> None:
        super().__init__()
        self.report = report
        self.index = NoteIndex.of_report(report)
        self._page_ids = [OVERVIEW_PAGE] + [page_id(p, report) for p in report.projects]

    def compose(self) -> ComposeResult:
        record = self.report.record
        yield Static(
            Content(
                labels.REVIEW_TITLE.format(workshop=self.report.workshop.title, session=record.name)
            ),
            id="review-top",
        )
        with Horizontal(id="review-body"):
            options = [Option(labels.REVIEW_OVERVIEW, id=OVERVIEW_PAGE)]
            options += [
                Option(Content(f"{n}. {p.project.name}"), id=page_id(p, self.report))
                for n, p in enumerate(self.report.projects, start=1)
            ]
            yield OptionList(*options, id="review-pages")
            with ContentSwitcher(id="review-switcher", initial=OVERVIEW_PAGE):
                yield overview_page(self.report)
        yield KeyFooter()

    def on_mount(self) -> None:
        pages = self.query_one("#review-pages", OptionList)
        pages.highlighted = 0
        pages.focus()

    # -- pages ---------------------------------------------------------------------------------

    @property
    def current_page(self) -> str:
        return self.query_one(ContentSwitcher).current or OVERVIEW_PAGE

    @on(OptionList.OptionHighlighted, "#review-pages")
    async def _page_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            await self.show_page(event.option.id)

    @on(OptionList.OptionSelected, "#review-pages")
    def _page_selected(self) -> None:
        self.query_one("#review-switcher").query_one(f"#{self.current_page}").focus()

    async def show_page(self, page: str) -> None:
        """Show ``page`` (built the first time it is asked for) and keep the list in step."""
        switcher = self.query_one(ContentSwitcher)
        if switcher.current != page:
            if not switcher.query(f"#{page}"):
                position = self._page_ids.index(page)
                project = self.report.projects[position - 1]
                await switcher.add_content(project_page(self.report, project))
            switcher.current = page
        pages = self.query_one("#review-pages", OptionList)
        position = self._page_ids.index(page)
        if pages.highlighted != position:
            pages.highlighted = position

    async def _step(self, delta: int) -> None:
        position = self._page_ids.index(self.current_page) + delta
        if 0 <= position < len(self._page_ids):
            await self.show_page(self._page_ids[position])

    async def action_next_page(self) -> None:
        await self._step(+1)

    async def action_previous_page(self) -> None:
        await self._step(-1)

    def action_search(self) -> None:
        async def jump(page: str | None) -> None:
            if page is not None:
                await self.show_page(page)

        self.app.push_screen(SearchDialog(self.report, self.index), jump)


# -- search ---------------------------------------------------------------------------------


def match_prompt(report: m.Report, match: NoteMatch) -> Content:
    """« Projet · champ (n×) » then the words around the first occurrence, highlighted."""
    project = match.field.project
    where = project.project.name if project is not None else labels.REVIEW_FACILITATOR
    before, hit, after = match.snippet()
    count = len(match.spans)
    return Content.assemble(
        (where, "bold"),
        f" · {match.field.label}",
        f" ({labels.SEARCH_OCCURRENCES.format(count=count)})" if count > 1 else "",
        "\n› ",
        before,
        (hit, "reverse bold"),
        after,
    )


class SearchDialog(ModalScreen[str | None]):
    """Type a word: every field that contains it, with its project; Enter opens that page."""

    BINDINGS = [
        Binding("escape", "cancel", labels.KEY_CLOSE),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, report: m.Report, index: NoteIndex) -> None:
        super().__init__()
        self.report = report
        self.index = index
        self.matches: list[NoteMatch] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="search-dialog"):
            yield Static(labels.SEARCH_TITLE, classes="dialog-title")
            yield Input(placeholder=labels.SEARCH_PLACEHOLDER, id="search-input")
            yield Static(labels.SEARCH_EMPTY, id="search-count")
            yield OptionList(id="search-results")
            yield Static(labels.SEARCH_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).can_focus = False
        self.query_one("#search-input", Input).focus()

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        self.matches = self.index.search(event.value)
        results = self.query_one("#search-results", OptionList)
        results.set_options(
            Option(match_prompt(self.report, match), id=str(n))
            for n, match in enumerate(self.matches)
        )
        if self.matches:
            results.highlighted = 0
        count = self.query_one("#search-count", Static)
        if not event.value.strip():
            count.update(labels.SEARCH_EMPTY)
        elif not self.matches:
            count.update(labels.SEARCH_NONE)
        else:
            count.update(labels.SEARCH_COUNT.format(count=len(self.matches)))

    def action_move(self, delta: int) -> None:
        results = self.query_one("#search-results", OptionList)
        if delta > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    def _open(self, position: int | None) -> None:
        if position is None or not 0 <= position < len(self.matches):
            return
        self.dismiss(page_id(self.matches[position].field.project, self.report))

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        self._open(self.query_one("#search-results", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#search-results")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
