"""The pitch screen and the room's phones: what the phones are shown (the projection) and the
facilitator's inbox of feedback cards (accepted into a note, or set aside; saved at once).

A mixin of :class:`atelier.tui.screens.pitch.PitchScreen` (plain methods only: Textual's
``@on`` handlers stay on the screen class)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atelier.domain import cards as room_cards
from atelier.domain.follow import CategoryView, Projection, StageStatus, StageView, TimerView
from atelier.domain.session import PitchStatus, Project
from atelier.tui import labels
from atelier.tui.screens.pitch_widgets import NoteArea
from atelier.tui.widgets.inbox import InboxView

if TYPE_CHECKING:
    from atelier.tui.screens.pitch import PitchScreen

    _Base = PitchScreen
else:
    _Base = object

INBOX_REFRESH_S = 0.3
"""Cards from the phones appear in the inbox at most this long after they are saved."""


class RoomMixin(_Base):
    def _render_inbox(self) -> None:
        project = self.round.current
        cards = room_cards.pending(project) if project is not None else []
        shown = (project.id if project else None, tuple(c.id for c in cards))
        if shown == self._shown_inbox:
            return
        self._shown_inbox = shown
        box = self.query_one(InboxView)
        box.display = bool(cards)
        # While cards wait, the inbox takes the preparation's room (one layout, not per card).
        self.query_one("#pitch-side").set_class(bool(cards), "-cards")
        if not cards:
            return
        names = {c.id: c.label for c in self.round.rules.feedback_categories}
        box.show(cards, names)

    def room_cards_changed(self, project_ids: list[str]) -> None:
        """Cards arrived from the phones (already saved): the inbox is drawn again within
        :data:`INBOX_REFRESH_S`, once for all the cards of a busy moment (each drawing costs
        the projector a frame)."""
        if self.is_mounted and self._inbox_timer is None:
            self._inbox_timer = self.set_timer(INBOX_REFRESH_S, self._inbox_due)

    def _inbox_due(self) -> None:
        self._inbox_timer = None
        before = self.query_one("#pitch-inbox").display
        self._render_inbox()
        if self.query_one("#pitch-inbox").display != before:
            self.refresh_bindings()  # ctrl+o and ctrl+r work only with cards waiting

    def projection(self) -> Projection:
        if not self.flow.in_core:  # the intro or closing pages
            return self.page_projection(self.section_pages(), self.page_index)
        pitch_round = self.round
        project = pitch_round.current
        if project is None or project.pitch.status not in (
            PitchStatus.PITCHING,
            PitchStatus.EXCHANGE,
        ):
            return self.projected()
        rules = pitch_round.rules
        pitching = project.pitch.status is PitchStatus.PITCHING
        queue = pitch_round.queue
        stage = StageView(
            project_id=project.id,
            name=project.name,
            status=StageStatus.PITCH if pitching else StageStatus.EXCHANGE,
            position=queue.index(project) + 1 if project in queue else 1,
            count=len(queue),
            prompts=rules.pitch_prompts
            if pitching
            else tuple(c.label for c in rules.feedback_categories),
            categories=tuple(CategoryView(c.id, c.label) for c in rules.feedback_categories),
        )
        countdown = pitch_round.active_countdown
        timer = None
        if countdown is not None:
            title = labels.FOLLOW_PITCH if pitching else labels.FOLLOW_EXCHANGE
            timer = TimerView.of(title, countdown, self.atelier.clock.monotonic())
        return self.projected(stage=stage, timer=timer)

    async def action_accept_card(self) -> None:
        """The oldest card of the inbox goes to the end of its category's note (saved now)."""
        project = self.round.current
        cards = room_cards.pending(project) if project is not None else []
        if project is None or not cards:
            return
        card = cards[0]
        note = room_cards.accept(project, card.id)
        if note is not None:
            for area in self.query(NoteArea):
                if area.field == card.category and area.project_id == project.id:
                    missing = note[len(area.text) :] if note.startswith(area.text) else None
                    if missing is None:
                        area.load_text(note)
                    else:
                        area.insert(missing, area.document.end)
        await self._card_done(project)

    async def action_set_card_aside(self) -> None:
        """The oldest card of the inbox is kept in the session, in no note (saved now)."""
        project = self.round.current
        cards = room_cards.pending(project) if project is not None else []
        if project is None or not cards:
            return
        room_cards.set_aside(project, cards[0].id)
        await self._card_done(project)

    async def _card_done(self, project: Project) -> None:
        self._render_inbox()
        self.refresh_bindings()
        self.round.touched.add(project.id)
        await self._save()
