"""The follow-along page, its event stream and the feedback cards, through aiohttp's test
client (127.0.0.1 only): every bad card gets a 4xx and files nothing; content is escaped."""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp.test_utils import TestClient, TestServer

from atelier.domain.cards import CardRefusal
from atelier.domain.content import Workshop
from atelier.domain.follow import (
    CategoryView,
    Projection,
    StageStatus,
    StageView,
    TimerView,
)
from atelier.domain.votes import BallotBox
from atelier.vote import page_assets, pages
from atelier.vote.requests import CardIn, VoteLimits, parse_card
from atelier.vote.server import VoteServer

TOKEN = "Tok3n-Secret_x"
BASE = f"/{TOKEN}/"
STAGE = StageView(
    project_id="epicerie",
    name="Épicerie <b>« solidaire »</b> & co",
    status=StageStatus.EXCHANGE,
    position=1,
    count=3,
    prompts=("Ce qui marche", "Ce qui manque"),
    categories=(CategoryView("forces", "Forces"), CategoryView("conseils", "Conseils")),
)


@dataclass
class Room:
    client: TestClient
    server: VoteServer
    projection: list[Projection]
    cards: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    answer: list[CardRefusal | None] = field(default_factory=lambda: [None])
    now: list[float] = field(default_factory=lambda: [1000.0])

    def stage(self, stage: StageView | None = STAGE, **parts: object) -> None:
        self.projection[0] = Projection(
            "Atelier <i>test</i>", step_id="pitch", step_number=4, step_title="Pitchs",
            stage=stage, **parts,  # type: ignore[arg-type]
        )  # fmt: skip


@pytest.fixture
async def room(atis: Workshop) -> AsyncIterator[Room]:
    assert atis.quiz is not None
    box = BallotBox(atis.quiz)
    projection = [Projection("Atelier")]
    holder: list[Room] = []

    async def on_card(*fields: str) -> CardRefusal | None:
        holder[0].cards.append(fields)  # type: ignore[arg-type]
        return holder[0].answer[0]

    server = VoteServer(
        box,
        token=TOKEN,
        limits=VoteLimits(burst=1000, ping_s=0.2),
        projection=lambda: projection[0],
        on_card=on_card,
        timer_clock=lambda: holder[0].now[0],
    )
    client = TestClient(TestServer(server.build_app()))
    await client.start_server()
    holder.append(Room(client, server, projection))
    holder[0].stage()
    yield holder[0]
    await client.close()


def _card(**fields: str) -> dict[str, str]:
    return {"project": "epicerie", "category": "forces", "text": "Bravo", **fields}


# -- the follow-along page -------------------------------------------------------------------


async def test_follow_page_shows_the_stage_and_escapes_everything(room: Room) -> None:
    response = await room.client.get(BASE)
    body = await response.text()
    assert response.status == 200
    assert body.count("<h1") == 1 and '<html lang="fr">' in body
    assert "<b>" not in body and "&lt;b&gt;" in body and "&amp; co" in body
    assert "&lt;i&gt;test&lt;/i&gt;" in body
    assert f'href="{BASE}retour"' in body
    assert "<main>" in body and "<header>" in body and "<footer>" in body
    assert 'role="status" aria-live="polite"' in body
    assert "<script>" not in body and f'<script src="{BASE}app.js"></script>' in body
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_no_stage_no_card_link(room: Room) -> None:
    room.stage(None)
    body = await (await room.client.get(BASE)).text()
    assert f'href="{BASE}retour"' not in body
    page = await (await room.client.get(f"{BASE}retour")).text()
    assert html.escape(pages.CARD_NO_STAGE) in page and "<form" not in page


async def test_timer_reads_from_the_apps_clock_and_is_not_live(room: Room) -> None:
    room.stage(None, timer=TimerView("Pause", 600, 590, True, 60, end_s=1590.0))
    room.now[0] = 1000.0
    body = await (await room.client.get(BASE)).text()
    assert '<span id="timer-digits">09:50</span>' in body
    assert 'data-running="1"' in body
    timer = body.split('id="timer"')[1].split("</p>")[0]
    assert "aria-live" not in timer  # not announced every second
    room.now[0] = 1591.5
    body = await (await room.client.get(f"{BASE}suivi")).text()
    assert "+0:01" in body and html.escape(pages.TIMER_EXPIRED) in body


async def test_fragment_carries_the_key(room: Room) -> None:
    response = await room.client.get(f"{BASE}suivi")
    assert response.headers["X-Atelier-Key"] == room.projection[0].key
    body = await response.text()
    assert "<html" not in body and "<h1" in body


async def test_stream_sends_the_key_then_each_change(room: Room) -> None:
    response = await room.client.get(f"{BASE}flux")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"

    async def next_event() -> dict[str, str]:
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                return dict(json.loads(line[6:]))

    first = await asyncio.wait_for(next_event(), 5)
    assert first == {"key": room.projection[0].key}
    room.stage(None)
    room.server.announce()
    second = await asyncio.wait_for(next_event(), 5)
    # a change: the new key, and how far this phone may spread its fetch (1 phone: 1 ms)
    assert second == {"key": room.projection[0].key, "spread": 1}
    assert second["key"] != first["key"]
    assert room.server.streams == 1
    response.close()


async def test_streams_are_capped(room: Room) -> None:
    room.server.limits = VoteLimits(burst=1000, max_streams=1)
    first = await room.client.get(f"{BASE}flux")
    await first.content.readline()
    second = await room.client.get(f"{BASE}flux")
    assert second.status == 503 and second.headers["Retry-After"]
    first.close()


# -- cards -----------------------------------------------------------------------------------


async def test_a_card_is_handed_to_the_app_then_redirects(room: Room) -> None:
    text = "Très « bien » & <script>x</script>\r\nligne 2"
    response = await room.client.post(
        f"{BASE}retour", data=_card(text=text, signature=" Zoé "), allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == f"{BASE}retour?envoye"
    ((project, category, got, signature, device, address),) = room.cards
    assert (project, category, signature) == ("epicerie", "forces", "Zoé")
    assert got == "Très « bien » & <script>x</script>\nligne 2"  # nothing dropped
    assert len(device) >= 16 and address == "127.0.0.1"
    page = await (await room.client.get(f"{BASE}retour?envoye")).text()
    assert html.escape(pages.CARD_SENT) in page


async def test_json_card(room: Room) -> None:
    response = await room.client.post(f"{BASE}retour", json=_card())
    assert response.status == 200 and await response.json() == {"ok": True}


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        (CardRefusal.NO_STAGE, 409),
        (CardRefusal.NOT_ON_STAGE, 409),
        (CardRefusal.UNKNOWN_CATEGORY, 422),
        (CardRefusal.DEVICE_CAP, 429),
        (CardRefusal.ADDRESS_CAP, 429),
        (CardRefusal.NOT_SAVED, 503),
    ],
)
async def test_the_apps_refusals_keep_what_was_typed(
    room: Room, refusal: CardRefusal, status: int
) -> None:
    room.answer[0] = refusal
    response = await room.client.post(f"{BASE}retour", data=_card(text="Mon <idée>"))
    assert response.status == status
    body = await response.text()
    assert html.escape(pages.ERRORS[refusal.value]) in body
    assert "Mon &lt;idée&gt;" in body  # given back, escaped


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        (_card(text="x" * 501), 422),
        (_card(text="é" * 500), 303),  # 500 characters, whatever their bytes
        (_card(signature="s" * 61), 422),
        (_card(text="   \n  "), 422),
        (_card(text="bip\x07"), 422),
        (_card(signature="a\nb"), 422),
        (_card(project="../etc"), 422),
        (_card(category="<b>"), 422),
        (_card(extra="1"), 422),
        ({"project": "epicerie", "category": "forces"}, 422),
    ],
)
async def test_card_validation(room: Room, fields: dict[str, str], status: int) -> None:
    response = await room.client.post(f"{BASE}retour", data=fields, allow_redirects=False)
    assert response.status == status
    assert len(room.cards) == (1 if status == 303 else 0)


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"project": "epicerie", "category": "forces", "text": 5}', "application/json", 422),
        (b"text=a&text=b&project=epicerie&category=forces", None, 400),
        (b"\xff\xfe", None, 400),
        (b"project=epicerie", "text/plain", 415),
        (b"text=" + b"x" * 9000, None, 413),
    ],
)
async def test_malformed_cards(
    room: Room, body: bytes, content_type: str | None, status: int
) -> None:
    headers = {"Content-Type": content_type or "application/x-www-form-urlencoded"}
    response = await room.client.post(f"{BASE}retour", data=body, headers=headers)
    assert response.status == status
    assert room.cards == []


async def test_chunked_card_body_is_capped(room: Room) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"x" * 1000

    response = await room.client.post(
        f"{BASE}retour",
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 413 and room.cards == []


async def test_card_without_token_is_403(room: Room) -> None:
    response = await room.client.post("/wrong/retour", data=_card())
    assert response.status == 403 and room.cards == []


async def test_card_page_lists_the_categories_with_labels(room: Room) -> None:
    page = await (await room.client.get(f"{BASE}retour")).text()
    assert page.count('type="radio"') == 2
    assert "<fieldset><legend>" in page
    assert '<label for="texte">' in page and 'maxlength="500"' in page
    assert '<label for="signature">' in page
    assert html.escape(pages.CARD_FOR.format(name=STAGE.name)) in page


def test_parse_card_model_is_strict() -> None:
    card = parse_card(b"project=p&category=c&text=t", as_json=False)
    assert card == CardIn(project="p", category="c", text="t")
    assert CardIn.model_config["extra"] == "forbid"


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("palette", [page_assets.LIGHT, page_assets.DARK], ids=["light", "dark"])
def test_both_colour_schemes_meet_wcag_aa(palette: dict[str, str]) -> None:
    """Every pair the pages use, computed from the palettes the stylesheet is made of (the
    browser test checks the colours Chromium actually computes, in both schemes)."""
    for text, background, minimum in page_assets.CONTRAST_PAIRS:
        ratio = contrast(palette[text], palette[background])
        assert ratio >= minimum, (text, background, round(ratio, 2))
    assert all(f"--{name}:{value}" in page_assets.STYLE for name, value in palette.items())


async def test_cards_share_the_rate_limit_of_votes(room: Room) -> None:
    room.server.limiter.burst = 2.0
    room.server.limiter.rate = 0.001
    room.server.limiter._buckets.clear()  # noqa: SLF001
    statuses = [(await room.client.post(f"{BASE}retour", json=_card())).status for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(room.cards) == 2


def test_warning_texts() -> None:
    assert pages.warning_text(120) == "Attention : moins de 2 minutes."
    assert pages.warning_text(60) == "Attention : moins d'une minute."
    assert pages.warning_text(30) == "Attention : moins de 30 secondes."
    assert pages.timer_label(61.2) == "01:02"
    assert pages.timer_label(-0.5) == "00:00"
    assert pages.timer_label(-75) == "+1:15"


async def test_a_vote_not_saved_is_503(atis: Workshop) -> None:
    assert atis.quiz is not None
    box = BallotBox(atis.quiz)
    box.show(atis.quiz.items[0].id)
    saves: list[bool] = [False]

    async def commit() -> bool:
        return saves[0]

    server = VoteServer(box, token=TOKEN, limits=VoteLimits(burst=1000), commit=commit)
    async with TestClient(TestServer(server.build_app())) as client:
        body = {"statement": atis.quiz.items[0].id, "answer": "vrai"}
        response = await client.post(f"{BASE}vote", json=body)
        assert response.status == 503 and (await response.json())["error"] == "not_saved"
        saves[0] = True
        response = await client.post(f"{BASE}vote", json={**body, "answer": "faux"})
        assert response.status == 200


def test_markdown_pages_are_safe_with_real_links(atis: Workshop) -> None:
    from atelier.tui.widgets.slide_view import closing_markdown

    closing = pages.markdown_html(closing_markdown(atis))
    urls = [r.url for r in atis.resources if r.url]
    assert urls and all(f'<a href="{html.escape(url)}"' in closing for url in urls)
    hostile = pages.markdown_html(
        "# T\n\n<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=x>y</b>\n\n#### Z"
    )
    assert "<script" not in hostile
    assert 'href="javascript' not in hostile and "<b " not in hostile
    assert "<h2>T</h2>" in hostile and "<h3>Z</h3>" in hostile  # in order, never skipping


async def test_quiz_fragment_never_shows_the_answer_before_the_reveal(atis: Workshop) -> None:
    assert atis.quiz is not None
    item = atis.quiz.items[1]
    right = atis.quiz.answer(item.answer)
    shown = pages.quiz_projection(atis.quiz, item.id, revealed=False)
    assert shown.quiz is not None and shown.quiz.right is None and not shown.quiz.reveal_markdown
    view = pages.VoteView(item.id, False, "k", None)
    body = pages.follow_fragment(shown, view, BASE, 0.0)
    assert html.escape(pages.ANSWER_IS.format(symbol=right.symbol, label=right.label)) not in body
    assert pages.EXPLANATION not in body


async def test_stopping_ends_the_streams_at_once(atis: Workshop) -> None:
    import time

    import aiohttp

    assert atis.quiz is not None
    server = VoteServer(BallotBox(atis.quiz), token=TOKEN, limits=VoteLimits(burst=1000))
    await server.start("127.0.0.1", 0)
    async with aiohttp.ClientSession() as session:
        response = await session.get(f"{server.url}flux")
        assert (await response.content.readline()).startswith(b"retry:")
        assert server.streams == 1
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 0.9  # not the 1 s shutdown timeout
        assert server.streams == 0
        rest = await asyncio.wait_for(response.content.read(), 5)
        assert b"data:" in rest or rest == b""
        response.close()


async def test_a_card_sent_in_small_chunks_is_read_whole(room: Room) -> None:
    body = json.dumps(_card(text="é" * 500)).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]
            await asyncio.sleep(0)

    response = await room.client.post(
        f"{BASE}retour", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status == 200
    assert room.cards[0][2] == "é" * 500


def test_a_full_room_spreads_its_fetches() -> None:
    from atelier.vote.requests import FETCH_SPREAD_MAX_MS, event_bytes, fetch_spread_ms

    assert fetch_spread_ms(0) == 0 and fetch_spread_ms(1) == 1
    assert fetch_spread_ms(300) == 300 and fetch_spread_ms(5000) == FETCH_SPREAD_MAX_MS
    assert json.loads(event_bytes("k", 300)[6:]) == {"key": "k", "spread": 300}
    assert json.loads(event_bytes("k", 0)[6:]) == {"key": "k"}
