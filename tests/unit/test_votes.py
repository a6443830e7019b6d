"""The ballot box: one vote per device and statement, changeable until the reveal, capped per
address, and turned into the session's tally marked as votes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.domain.content import Workshop
from atelier.domain.content_quiz import Quiz
from atelier.domain.session import SessionRecord, TallySource
from atelier.domain.votes import BallotBox, Refusal, VoteRefused


@pytest.fixture
def quiz(atis: Workshop) -> Quiz:
    assert atis.quiz is not None
    return atis.quiz


@pytest.fixture
def box(quiz: Quiz) -> BallotBox:
    box = BallotBox(quiz)
    box.show(quiz.items[0].id)
    return box


def _record() -> SessionRecord:
    from datetime import datetime

    now = datetime(2020, 5, 19, 9, 40).astimezone()
    return SessionRecord(
        name="t", workshop_id="atis", content_hash="x", created_at=now, updated_at=now
    )


def _refused(box: BallotBox, *args: str) -> Refusal:
    version = box.version
    with pytest.raises(VoteRefused) as caught:
        box.cast(*args)
    assert box.version == version, "a refused vote changes nothing"
    return caught.value.reason


def test_one_vote_per_device_which_can_change(box: BallotBox, quiz: Quiz) -> None:
    item = quiz.items[0].id
    first = box.cast(item, "vrai", "phone-a", "10.0.0.2")
    assert first.first and first.changed
    box.cast(item, "faux", "phone-b", "10.0.0.3")
    assert box.counts(item) == {"vrai": 1, "faux": 1, "pas-forcement": 0}
    again = box.cast(item, "vrai", "phone-a", "10.0.0.2")
    assert not again.changed and not again.first
    changed = box.cast(item, "pas-forcement", "phone-a", "10.0.0.2")
    assert changed.changed and not changed.first
    assert box.counts(item) == {"vrai": 0, "faux": 1, "pas-forcement": 1}
    assert box.total(item) == 2
    assert box.vote_of(item, "phone-a") == "pas-forcement"
    assert box.vote_of(item, "nobody") is None


def test_unknown_statement_or_answer_is_refused(box: BallotBox, quiz: Quiz) -> None:
    item = quiz.items[0].id
    assert _refused(box, "no-such-item", "vrai", "d", "a") is Refusal.UNKNOWN_STATEMENT
    assert _refused(box, item, "peut-etre", "d", "a") is Refusal.UNKNOWN_ANSWER
    assert box.total(item) == 0


def test_only_the_statement_on_screen_is_open(box: BallotBox, quiz: Quiz) -> None:
    assert _refused(box, quiz.items[1].id, "vrai", "d", "a") is Refusal.NOT_OPEN
    box.show(None)
    assert _refused(box, quiz.items[0].id, "vrai", "d", "a") is Refusal.NOT_OPEN
    box.show(quiz.items[1].id)
    box.cast(quiz.items[1].id, "vrai", "d", "a")
    assert box.total(quiz.items[1].id) == 1


def test_closed_after_the_reveal_for_good(box: BallotBox, quiz: Quiz) -> None:
    item = quiz.items[0].id
    box.cast(item, "vrai", "d", "a")
    box.close(item)
    assert _refused(box, item, "faux", "d", "a") is Refusal.CLOSED
    assert _refused(box, item, "faux", "other", "b") is Refusal.CLOSED
    box.show(quiz.items[1].id)
    box.show(item)  # back to it: still closed
    assert _refused(box, item, "faux", "d", "a") is Refusal.CLOSED
    assert box.counts(item)["vrai"] == 1
    assert box.public_state().revealed


def test_a_statement_revealed_earlier_opens_closed(quiz: Quiz) -> None:
    box = BallotBox(quiz)
    box.show(quiz.items[2].id, revealed=True)
    assert box.is_closed(quiz.items[2].id)
    assert _refused(box, quiz.items[2].id, "vrai", "d", "a") is Refusal.CLOSED


def test_cap_per_address(quiz: Quiz) -> None:
    box = BallotBox(quiz, devices_per_address=3)
    item = quiz.items[0].id
    box.show(item)
    for device in ("d1", "d2", "d3"):
        box.cast(item, "vrai", device, "10.0.0.9")
    assert _refused(box, item, "faux", "d4", "10.0.0.9") is Refusal.ADDRESS_CAP
    box.cast(item, "faux", "d1", "10.0.0.9")  # a device already counted may still change
    box.cast(item, "faux", "d4", "10.0.0.10")  # another address is not affected
    assert box.counts(item) == {"vrai": 2, "faux": 2, "pas-forcement": 0}
    box.show(quiz.items[1].id)  # the cap is per statement
    box.cast(quiz.items[1].id, "vrai", "d4", "10.0.0.9")
    with pytest.raises(ValueError):
        BallotBox(quiz, devices_per_address=0)


def test_unknown_statement_in_show_or_close(box: BallotBox) -> None:
    with pytest.raises(KeyError):
        box.show("nope")
    with pytest.raises(KeyError):
        box.close("nope")


def test_public_state_key_changes_with_statement_and_reveal(box: BallotBox, quiz: Quiz) -> None:
    first = box.public_state()
    assert first.item_id == quiz.items[0].id and not first.revealed
    box.cast(quiz.items[0].id, "vrai", "d", "a")
    assert box.public_state().key == first.key  # a vote does not reload the phones
    box.close(quiz.items[0].id)
    assert box.public_state().key != first.key
    box.show(None)
    assert box.public_state().key == "-"


def test_votes_become_the_tally_marked_as_votes(box: BallotBox, quiz: Quiz) -> None:
    record = _record()
    item, other = quiz.items[0].id, quiz.items[1].id
    hands = record.quiz_result(other)
    hands.tally = {"vrai": 5}
    assert box.record_into(record, item) is None  # nobody voted: nothing written
    assert item not in record.quiz
    box.cast(item, "vrai", "d1", "a")
    box.cast(item, "faux", "d2", "b")
    result = box.record_into(record, item)
    assert result is not None
    assert result.tally == {"vrai": 1, "faux": 1, "pas-forcement": 0}
    assert result.source is TallySource.VOTES
    assert box.record_into(record, other) is None
    assert record.quiz[other].tally == {"vrai": 5}
    assert record.quiz[other].source is TallySource.HANDS


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["d1", "d2", "d3", "d4", "d5", "d6"]),
            st.sampled_from(["10.0.0.1", "10.0.0.2"]),
            st.sampled_from(["vrai", "faux", "pas-forcement", "bogus"]),
        ),
        max_size=40,
    )
)
def test_counts_always_match_each_devices_last_accepted_vote(
    atis: Workshop, casts: list[tuple[str, str, str]]
) -> None:
    assert atis.quiz is not None
    box = BallotBox(atis.quiz, devices_per_address=2)
    item = atis.quiz.items[0].id
    box.show(item)
    last: dict[str, str] = {}
    for device, address, answer in casts:
        try:
            box.cast(item, answer, device, address)
        except VoteRefused:
            continue
        last[device] = answer
    counts = box.counts(item)
    assert sum(counts.values()) == box.total(item) == len(last)
    for answer_id, count in counts.items():
        assert count == sum(1 for a in last.values() if a == answer_id)


# -- start-up cost: the network and QR libraries load only when voting starts ----------------


@pytest.mark.parametrize(
    "module", ["atelier.cli", "atelier.tui.app", "atelier.tui.screens.quiz", "atelier.tui.vote"]
)
def test_voting_libraries_are_imported_lazily(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "print(','.join(sorted(m for m in ('aiohttp', 'segno') if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def test_ballot_box_is_pure() -> None:
    code = (
        "import sys, atelier.domain.votes\n"
        "print(any(m.split('.')[0] in ('textual', 'aiohttp', 'yaml') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
