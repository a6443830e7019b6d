"""The paged flow shared by the quiz, pitch, assessment and info steps."""

import pytest

from atelier.domain.page_flow import Move, PageFlow, Section


def walk_forward(flow: PageFlow) -> list[tuple[Move, Section, int]]:
    moves = []
    while True:
        move = flow.forward()
        moves.append((move, flow.section, flow.index))
        if move == Move.NEXT_STEP:
            return moves


def test_intro_core_closing_forward() -> None:
    flow = PageFlow.start(2, 2)
    assert (flow.section, flow.index) == (Section.BEFORE, 0)
    assert walk_forward(flow) == [
        (Move.PAGE, Section.BEFORE, 1),
        (Move.ENTER_CORE, Section.CORE, 0),
        (Move.ENTER_AFTER, Section.AFTER, 0),
        (Move.PAGE, Section.AFTER, 1),
        (Move.NEXT_STEP, Section.AFTER, 1),
    ]


def test_backward_mirrors_forward() -> None:
    flow = PageFlow(2, 2, section=Section.AFTER, index=1)
    moves = []
    while (move := flow.backward()) != Move.PREVIOUS_STEP:
        moves.append((move, flow.section, flow.index))
    assert moves == [
        (Move.PAGE, Section.AFTER, 0),
        (Move.ENTER_CORE, Section.CORE, 0),
        (Move.ENTER_BEFORE, Section.BEFORE, 1),
        (Move.PAGE, Section.BEFORE, 0),
    ]
    assert (flow.section, flow.index) == (Section.BEFORE, 0)


def test_no_intro_starts_in_core_and_back_leaves_the_step() -> None:
    flow = PageFlow.start(0, 1)
    assert flow.in_core
    assert flow.backward() == Move.PREVIOUS_STEP
    assert flow.in_core


def test_no_closing_pages_leaves_the_step_after_the_core() -> None:
    flow = PageFlow.start(1, 0, resume_in_core=True)
    assert flow.in_core
    assert flow.forward() == Move.NEXT_STEP


def test_the_core_decides_when_it_is_finished() -> None:
    flow = PageFlow.start(0, 1)
    with pytest.raises(ValueError):
        flow.forward(core_finished=False)


def test_pages_only_step_reads_as_one_list() -> None:
    flow = PageFlow.start(1, 2, has_core=False)
    assert flow.counter() == "1 / 3"
    assert flow.forward() == Move.PAGE
    assert (flow.section, flow.index, flow.counter()) == (Section.AFTER, 0, "2 / 3")
    assert flow.forward() == Move.PAGE
    assert flow.counter() == "3 / 3"
    assert flow.forward() == Move.NEXT_STEP
    assert flow.backward() == Move.PAGE
    assert flow.backward() == Move.PAGE
    assert (flow.section, flow.index) == (Section.BEFORE, 0)
    assert flow.backward() == Move.PREVIOUS_STEP


def test_pages_only_step_with_only_closing_pages() -> None:
    flow = PageFlow.start(0, 2, has_core=False)
    assert (flow.section, flow.index) == (Section.AFTER, 0)
    assert flow.backward() == Move.PREVIOUS_STEP


def test_counter_is_per_section_around_a_core() -> None:
    flow = PageFlow.start(3, 1)
    assert flow.counter() == "1 / 3"
    flow.jump_to_after()
    assert flow.counter() == ""  # one closing page: nothing to count
    flow.backward()
    assert flow.counter() == ""  # the core shows its own progress


def test_jump_to_after_without_closing_pages_leaves() -> None:
    assert PageFlow.start(1, 0).jump_to_after() == Move.NEXT_STEP


@pytest.mark.parametrize(
    "kwargs",
    [
        {"before": -1, "after": 0},
        {"before": 0, "after": 0, "has_core": False},
        {"before": 1, "after": 0, "section": Section.BEFORE, "index": 1},
        {"before": 1, "after": 1, "has_core": False, "section": Section.CORE},
    ],
)
def test_impossible_positions_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PageFlow(**kwargs)  # type: ignore[arg-type]


def test_go_to_a_page_or_the_core() -> None:
    flow = PageFlow.start(2, 3)
    flow.go_to(Section.AFTER, 2)
    assert (flow.section, flow.index) == (Section.AFTER, 2)
    assert flow.forward() == Move.NEXT_STEP
    flow.go_to(Section.CORE, 5)  # the core has no pages: its position is the screen's
    assert (flow.section, flow.index) == (Section.CORE, 0)
    assert flow.backward() == Move.ENTER_BEFORE
    assert (flow.section, flow.index) == (Section.BEFORE, 1)


@pytest.mark.parametrize(
    ("flow", "section", "index"),
    [
        (PageFlow.start(2, 1), Section.BEFORE, 2),
        (PageFlow.start(2, 1), Section.AFTER, -1),
        (PageFlow.start(1, 0), Section.AFTER, 0),
        (PageFlow.start(1, 1, has_core=False), Section.CORE, 0),
    ],
)
def test_go_to_refuses_a_page_the_step_does_not_have(
    flow: PageFlow, section: Section, index: int
) -> None:
    where = (flow.section, flow.index)
    with pytest.raises(ValueError):
        flow.go_to(section, index)
    assert (flow.section, flow.index) == where  # unchanged
