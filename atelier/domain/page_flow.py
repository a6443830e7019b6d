"""The paged flow of a step: its intro pages, then its activity (the « core »), then its closing
pages. Quiz, pitch round, assessment and info steps all move through it the same way.

The flow knows only counts and positions; the screen owns what a page shows and what the core
does. Moving returns a :class:`Move` that tells the screen what to do next, so the rules (where
→ goes after the last intro page, where ← goes from the first closing page…) are written once
and tested without Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Section(StrEnum):
    BEFORE = "before"
    CORE = "core"
    AFTER = "after"


class Move(StrEnum):
    """What a forward or backward press did."""

    PAGE = "page"  # another page of the same section: show ``flow.index``
    ENTER_CORE = "enter_core"  # into the activity (from the intro, or back from the closing)
    ENTER_AFTER = "enter_after"  # from the activity onto the first closing page
    ENTER_BEFORE = "enter_before"  # from the activity back onto the last intro page
    NEXT_STEP = "next_step"  # past the last page: the programme's next step
    PREVIOUS_STEP = "previous_step"  # before the first page: the programme's previous step


@dataclass(slots=True)
class PageFlow:
    """Position in « intro pages → core → closing pages ».

    ``has_core`` is False for steps that are only pages (info, closing): the intro and closing
    pages then read as one list.
    """

    before: int
    after: int
    has_core: bool = True
    section: Section = Section.BEFORE
    index: int = 0

    def __post_init__(self) -> None:
        if self.before < 0 or self.after < 0:
            raise ValueError("page counts cannot be negative")
        if not self.has_core and self.before + self.after == 0:
            raise ValueError("a step without an activity needs at least one page")
        if self.section == Section.BEFORE and self.before == 0:
            self.section = Section.CORE if self.has_core else Section.AFTER
        self._check()

    @classmethod
    def start(
        cls, before: int, after: int, *, has_core: bool = True, resume_in_core: bool = False
    ) -> PageFlow:
        """A flow at its first page; ``resume_in_core`` opens on the activity (a resumed step)."""
        flow = cls(before, after, has_core)
        if resume_in_core and has_core:
            flow.section, flow.index = Section.CORE, 0
        return flow

    @property
    def in_core(self) -> bool:
        return self.section == Section.CORE

    @property
    def page_count(self) -> int:
        """Pages in the current section (0 in the core)."""
        return {Section.BEFORE: self.before, Section.AFTER: self.after}.get(self.section, 0)

    def counter(self) -> str:
        """« 2 / 5 » for the page shown; empty in the core or when a section has one page."""
        if self.in_core:
            return ""
        if not self.has_core:  # one list: number the pages across both sections
            total = self.before + self.after
            position = self.index + (self.before if self.section == Section.AFTER else 0)
            return f"{position + 1} / {total}" if total > 1 else ""
        return f"{self.index + 1} / {self.page_count}" if self.page_count > 1 else ""

    def forward(self, *, core_finished: bool = True) -> Move:
        """→ on a page, or in the core once the core itself has nowhere further to go."""
        if self.section == Section.CORE:
            if not core_finished:
                raise ValueError("the core moves on by itself until it is finished")
            return self._enter_after_or_leave()
        if self.index + 1 < self.page_count:
            self.index += 1
            return Move.PAGE
        if self.section == Section.BEFORE:
            if self.has_core:
                self.section, self.index = Section.CORE, 0
                return Move.ENTER_CORE
            return self._enter_after_or_leave()
        return Move.NEXT_STEP

    def backward(self) -> Move:
        """← on a page, or in the core once the core is at its first position."""
        if self.section == Section.CORE:
            return self._enter_before_or_leave()
        if self.index > 0:
            self.index -= 1
            return Move.PAGE
        if self.section == Section.AFTER:
            if self.has_core:
                self.section, self.index = Section.CORE, 0
                return Move.ENTER_CORE
            return self._enter_before_or_leave()
        return Move.PREVIOUS_STEP

    def go_to(self, section: Section, index: int = 0) -> None:
        """Straight to a page of a section, or into the core (``index`` ignored there);
        ValueError for a section or page the step does not have."""
        if section == Section.CORE:
            index = 0
        if section == Section.CORE and not self.has_core:
            raise ValueError("this step has no activity")
        count = {Section.BEFORE: self.before, Section.AFTER: self.after}.get(section, 1)
        if not 0 <= index < count:
            raise ValueError(f"page {index} out of range in {section}")
        self.section, self.index = section, index

    def jump_to_after(self) -> Move:
        """Straight to the first closing page (a summary key), when there is one."""
        if self.after == 0:
            return Move.NEXT_STEP
        self.section, self.index = Section.AFTER, 0
        return Move.ENTER_AFTER

    def _enter_after_or_leave(self) -> Move:
        if self.after == 0:
            return Move.NEXT_STEP
        self.section, self.index = Section.AFTER, 0
        return Move.ENTER_AFTER if self.has_core else Move.PAGE

    def _enter_before_or_leave(self) -> Move:
        if self.before == 0:
            return Move.PREVIOUS_STEP
        self.section, self.index = Section.BEFORE, self.before - 1
        return Move.ENTER_BEFORE if self.has_core else Move.PAGE

    def _check(self) -> None:
        if self.section == Section.CORE and not self.has_core:
            raise ValueError("this step has no activity")
        if self.section != Section.CORE and not 0 <= self.index < max(self.page_count, 1):
            raise ValueError(f"page {self.index} out of range in {self.section}")
