"""The vote server through aiohttp's test client (127.0.0.1 only): every endpoint, and every
bad request gets a 4xx and changes nothing."""

from __future__ import annotations

import html
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from atelier.domain.content import Workshop
from atelier.domain.content_quiz import Quiz
from atelier.domain.votes import BallotBox
from atelier.vote import pages
from atelier.vote.pages import SpeakerView
from atelier.vote.requests import (
    COOKIE,
    RateLimiter,
    VoteLimits,
    lan_address,
    new_token,
    parse_vote,
)
from atelier.vote.server import VoteServer

TOKEN = "Tok3n-Secret_x"
BASE = f"/{TOKEN}/"
FORM = "application/x-www-form-urlencoded"


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Served:
    client: TestClient
    server: VoteServer
    box: BallotBox
    quiz: Quiz
    clock: ManualClock
    votes: list[str] = field(default_factory=list)
    speaker: list[SpeakerView | None] = field(default_factory=lambda: [None])

    @property
    def item(self) -> str:
        return self.quiz.items[0].id

    async def new_client(self) -> TestClient:
        """Another phone: same address (127.0.0.1), its own cookie jar."""
        other = TestClient(TestServer(self.server.build_app()))
        await other.start_server()
        return other


def _make(quiz: Quiz, limits: VoteLimits) -> Served:
    box = BallotBox(quiz, devices_per_address=limits.devices_per_address)
    box.show(quiz.items[0].id)
    clock = ManualClock()
    served = Served(None, None, box, quiz, clock)  # type: ignore[arg-type]
    served.server = VoteServer(
        box,
        token=TOKEN,
        on_vote=served.votes.append,
        speaker=lambda: served.speaker[0],
        limits=limits,
        clock=clock,
    )
    return served


@pytest.fixture
async def served(atis: Workshop) -> AsyncIterator[Served]:
    assert atis.quiz is not None
    served = _make(atis.quiz, VoteLimits(burst=1000))
    served.client = TestClient(TestServer(served.server.build_app()))
    await served.client.start_server()
    yield served
    await served.client.close()


async def _vote_json(client: TestClient, statement: str, answer: str) -> aiohttp.ClientResponse:
    return await client.post(f"{BASE}vote", json={"statement": statement, "answer": answer})


# -- pages --------------------------------------------------------------------------------------


async def test_vote_page_shows_statement_and_answers(served: Served) -> None:
    response = await served.client.get(BASE)
    assert response.status == 200
    assert response.content_type == "text/html"
    body = await response.text()
    assert '<html lang="fr">' in body
    assert html.escape(served.quiz.items[0].statement) in body
    for answer in served.quiz.answers:
        assert f'value="{answer.id}"' in body
    assert f'action="{BASE}vote"' in body
    assert COOKIE in response.cookies
    assert response.cookies[COOKIE]["httponly"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_waiting_page_when_no_statement_is_up(served: Served) -> None:
    served.box.show(None)
    body = await (await served.client.get(BASE)).text()
    assert "<h1" in body and "<button" not in body
    assert "<form" not in body


async def test_token_without_slash_redirects(served: Served) -> None:
    response = await served.client.get(f"/{TOKEN}", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == BASE


async def test_script_and_state(served: Served) -> None:
    script = await served.client.get(f"{BASE}app.js")
    assert script.status == 200
    assert script.content_type == "application/javascript"
    assert "XMLHttpRequest" in await script.text()
    state = await (await served.client.get(f"{BASE}etat")).json()
    key = state.pop("key")
    assert state == {"statement": served.item, "revealed": False}
    served.box.close(served.item)
    state = await (await served.client.get(f"{BASE}etat")).json()
    assert state["revealed"] is True and state["key"] != key  # the page must change


async def test_speaker_page_and_state(served: Served) -> None:
    page = await (await served.client.get(f"{BASE}orateur")).text()
    assert pages.NO_TIMER in page and '<html lang="fr">' in page
    assert html.escape(pages.NO_TIMER_TEXT) in page  # a sentence, not only « — »
    assert f"<h1>{pages.SPEAKER_TITLE}</h1>" in page
    assert "aria-live" not in page.split('id="label"')[1].split("</p>")[0]  # not each second
    assert await (await served.client.get(f"{BASE}orateur/etat")).json() == {
        "label": "—",
        "caption": pages.NO_TIMER_TEXT,
        "title": "",
        "announce": "",
    }
    served.speaker[0] = SpeakerView(
        "01:45", "⚠ Moins de 2 minutes", "Pitchs", "Attention : moins de 2 minutes."
    )
    page = await (await served.client.get(f"{BASE}orateur")).text()
    assert "01:45" in page and "Pitchs" in page
    state = await (await served.client.get(f"{BASE}orateur/etat")).json()
    assert state == {
        "label": "01:45",
        "caption": "⚠ Moins de 2 minutes",
        "title": "Pitchs",
        "announce": "Attention : moins de 2 minutes.",
    }


async def test_speaker_callback_failure_shows_a_dash(served: Served) -> None:
    def broken() -> SpeakerView | None:
        raise RuntimeError("boom")

    served.server.speaker = broken
    state = await (await served.client.get(f"{BASE}orateur/etat")).json()
    assert state["label"] == "—"


# -- voting -------------------------------------------------------------------------------------


async def test_form_vote_redirects_and_page_shows_the_choice(served: Served) -> None:
    await served.client.get(BASE)  # gets the device cookie
    response = await served.client.post(
        f"{BASE}vote",
        data={"statement": served.item, "answer": "faux"},
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == BASE
    assert served.box.counts(served.item)["faux"] == 1
    assert served.votes == [served.item]
    page = await (await served.client.get(BASE)).text()
    assert 'value="faux" aria-pressed="true"' in page
    assert 'value="vrai" aria-pressed="false"' in page
    assert pages.YOUR_CHOICE.format(label="FAUX") in page


async def test_changing_ones_mind_moves_the_vote(served: Served) -> None:
    for answer in ("vrai", "faux", "faux", "pas-forcement"):
        assert (await _vote_json(served.client, served.item, answer)).status == 200
    assert served.box.counts(served.item) == {"vrai": 0, "faux": 0, "pas-forcement": 1}
    assert served.votes == [served.item] * 3  # repeating the same answer is not news


async def test_json_vote(served: Served) -> None:
    response = await _vote_json(served.client, served.item, "vrai")
    assert response.status == 200
    assert await response.json() == {"ok": True, "statement": served.item, "answer": "vrai"}
    assert COOKIE in response.cookies  # no page loaded first: the vote mints the device id


async def test_a_bad_cookie_is_replaced(served: Served) -> None:
    served.client.session.cookie_jar.update_cookies({COOKIE: "short"})
    response = await served.client.get(BASE)
    assert response.cookies[COOKIE].value != "short"


async def test_after_reveal_page_shows_answer_and_explanation(served: Served) -> None:
    item = served.quiz.items[1]  # has an explanation with **bold**
    served.box.show(item.id)
    await _vote_json(served.client, item.id, "vrai")
    served.box.close(item.id)
    body = await (await served.client.get(BASE)).text()
    right = served.quiz.answer(item.answer)
    assert pages.ANSWER_IS.format(symbol=right.symbol, label=right.label) in body
    assert pages.YOU_WERE_WRONG.format(label="VRAI") in body
    assert "<strong>distinguer de l'action sociale</strong>" in body  # Markdown, rendered
    assert "<form" not in body


# -- bad requests: a 4xx, and nothing changes -----------------------------------------------


async def _assert_nothing_counted(served: Served) -> None:
    assert served.box.total(served.item) == 0
    assert served.votes == []


@pytest.mark.parametrize("path", ["/", "/vote", "/etat", "/orateur", "/favicon.ico"])
async def test_no_token_is_403(served: Served, path: str) -> None:
    response = await served.client.get(path)
    assert response.status == 403
    assert "QR code" in await response.text()


@pytest.mark.parametrize(
    "token", ["wrong-token-x", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "%2e%2e"]
)
async def test_wrong_token_is_403_and_counts_nothing(served: Served, token: str) -> None:
    assert (await served.client.get(f"/{token}/")).status == 403
    response = await served.client.post(
        f"/{token}/vote", json={"statement": served.item, "answer": "vrai"}
    )
    assert response.status == 403
    await _assert_nothing_counted(served)


async def test_unknown_statement_is_422(served: Served) -> None:
    response = await _vote_json(served.client, "no-such-statement", "vrai")
    assert response.status == 422
    assert (await response.json())["error"] == "unknown_statement"
    await _assert_nothing_counted(served)


async def test_unknown_answer_is_422(served: Served) -> None:
    response = await _vote_json(served.client, served.item, "peut-etre")
    assert response.status == 422
    assert (await response.json())["error"] == "unknown_answer"
    await _assert_nothing_counted(served)


async def test_statement_not_on_screen_is_409(served: Served) -> None:
    response = await _vote_json(served.client, served.quiz.items[3].id, "vrai")
    assert response.status == 409
    assert (await response.json())["error"] == "not_open"
    assert served.box.total(served.quiz.items[3].id) == 0


async def test_vote_after_reveal_is_409(served: Served) -> None:
    await _vote_json(served.client, served.item, "vrai")
    served.box.close(served.item)
    response = await _vote_json(served.client, served.item, "faux")
    assert response.status == 409
    assert (await response.json())["error"] == "closed"
    form = await served.client.post(
        f"{BASE}vote", data={"statement": served.item, "answer": "faux"}, allow_redirects=False
    )
    assert form.status == 409
    assert pages.ERRORS["closed"] in await form.text()
    assert served.box.counts(served.item) == {"vrai": 1, "faux": 0, "pas-forcement": 0}


async def test_oversized_body_is_413(served: Served) -> None:
    big = {"statement": served.item, "answer": "vrai", "pad": "x" * 5000}
    response = await served.client.post(f"{BASE}vote", json=big)
    assert response.status == 413
    await _assert_nothing_counted(served)


async def test_oversized_chunked_body_is_413(served: Served) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"statement": "' + served.item.encode() + b'", "answer": "vrai", "pad": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    response = await served.client.post(
        f"{BASE}vote", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    await _assert_nothing_counted(served)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'"vrai"',
        b'{"statement": "x"}',
        b'{"answer": "vrai"}',
        b'{"statement": "reponses-nouvelles", "answer": "vrai", "extra": 1}',
        b'{"statement": "reponses-nouvelles", "answer": 1}',
        b'{"statement": "reponses-nouvelles", "answer": ["vrai"]}',
        b'{"statement": "reponses-nouvelles", "answer": "VRAI"}',
        b'{"statement": "reponses-nouvelles", "answer": "vrai; drop"}',
        b'{"statement": "' + b"a" * 80 + b'", "answer": "vrai"}',
        b"\xff\xfe",
        b"",
    ],
)
async def test_malformed_json_is_400(served: Served, body: bytes) -> None:
    response = await served.client.post(
        f"{BASE}vote", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await response.json())["error"] == "bad_request"
    await _assert_nothing_counted(served)


@pytest.mark.parametrize(
    "body",
    [
        "statement=reponses-nouvelles",
        "statement=reponses-nouvelles&answer",
        "statement=reponses-nouvelles&answer=vrai&answer=faux",
        "statement=reponses-nouvelles&answer=vrai&x=1",
        "statement=reponses-nouvelles&answer=%FF",
        "&&&",
        "",
    ],
)
async def test_malformed_form_is_400(served: Served, body: str) -> None:
    response = await served.client.post(
        f"{BASE}vote", data=body.encode(), headers={"Content-Type": FORM}
    )
    assert response.status == 400
    assert pages.ERRORS["bad_request"] in await response.text()
    await _assert_nothing_counted(served)


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=x", ""])
async def test_other_content_types_are_415(served: Served, content_type: str) -> None:
    response = await served.client.post(
        f"{BASE}vote",
        data=f"statement={served.item}&answer=vrai".encode(),
        headers={"Content-Type": content_type} if content_type else {},
    )
    assert response.status == 415
    await _assert_nothing_counted(served)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "vote"),
        ("PUT", "vote"),
        ("DELETE", "vote"),
        ("POST", ""),
        ("POST", "etat"),
        ("POST", "orateur"),
        ("PATCH", ""),
    ],
)
async def test_nothing_but_votes_is_accepted(served: Served, method: str, path: str) -> None:
    response = await served.client.request(method, f"{BASE}{path}")
    assert response.status == 405
    await _assert_nothing_counted(served)


@pytest.mark.parametrize(
    "path",
    [
        "session.yaml",
        "sessions/test/session.yaml",
        "../session.yaml",
        "%2e%2e/session.yaml",
        "static/session.yaml",
        "..%2fsession.yaml",
        "pyproject.toml",
    ],
)
async def test_files_are_never_served(
    served: Served, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path
    (folder / "session.yaml").write_text("secret: notes du projet\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    response = await served.client.get(f"{BASE}{path}")
    assert response.status in (403, 404)
    assert "notes du projet" not in await response.text()


def test_the_application_has_no_static_route_and_one_post(served: Served) -> None:
    app = served.server.build_app()
    assert not any(isinstance(r, web.StaticResource) for r in app.router.resources())
    posts = [r.resource.canonical for r in app.router.routes() if r.method == "POST"]
    assert posts == [f"{BASE}vote", f"{BASE}retour"]  # a vote, a feedback card: nothing else


# -- limits -------------------------------------------------------------------------------------


async def test_rate_limit_per_address_then_refill(atis: Workshop) -> None:
    assert atis.quiz is not None
    served = _make(atis.quiz, VoteLimits(burst=4, rate_per_s=2.0))
    async with TestClient(TestServer(served.server.build_app())) as client:
        for _ in range(4):
            assert (await client.get(BASE)).status == 200
        limited = await _vote_json(client, served.item, "vrai")
        assert limited.status == 429
        assert limited.headers["Retry-After"]
        assert (await client.get("/wrong-token/")).status == 429  # guessing is limited too
        await _assert_nothing_counted(served)
        served.clock.now += 1.0  # two more requests' worth
        assert (await _vote_json(client, served.item, "vrai")).status == 200
        assert (await client.get(BASE)).status == 200
        assert (await client.get(BASE)).status == 429
    assert served.box.total(served.item) == 1


async def test_cap_on_devices_per_address(atis: Workshop) -> None:
    assert atis.quiz is not None
    served = _make(atis.quiz, VoteLimits(burst=1000, devices_per_address=2))
    clients = [TestClient(TestServer(served.server.build_app())) for _ in range(3)]
    try:
        for client in clients:
            await client.start_server()
        assert (await _vote_json(clients[0], served.item, "vrai")).status == 200
        assert (await _vote_json(clients[1], served.item, "vrai")).status == 200
        third = await _vote_json(clients[2], served.item, "faux")
        assert third.status == 429
        assert (await third.json())["error"] == "address_cap"
        assert (await _vote_json(clients[0], served.item, "faux")).status == 200  # may change
    finally:
        for client in clients:
            await client.close()
    assert served.box.counts(served.item) == {"vrai": 1, "faux": 1, "pas-forcement": 0}


def test_rate_limiter_memory_is_bounded() -> None:
    clock = ManualClock()
    limiter = RateLimiter(rate_per_s=1.0, burst=1, max_addresses=3, clock=clock)
    for number in range(10):
        assert limiter.allow(f"10.0.0.{number}")
    assert len(limiter) == 3
    assert not limiter.allow("10.0.0.9")  # still remembered (most recent)


# -- pieces -------------------------------------------------------------------------------------


def test_parse_vote() -> None:
    assert parse_vote(b"statement=a-1&answer=vrai", as_json=False) == ("a-1", "vrai")
    assert parse_vote(json.dumps({"answer": "f", "statement": "s"}).encode(), as_json=True) == (
        "s",
        "f",
    )


def test_tokens_are_unguessable_and_url_safe() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) == 11 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)


def test_pages_escape_content(atis: Workshop) -> None:
    assert atis.quiz is not None
    data = atis.quiz.model_dump()
    data["title"] = "<script>alert(1)</script>"
    data["items"][0]["statement"] = 'Il dit "<b>" & </h1>'
    quiz = Quiz.model_validate(data)
    view = pages.VoteView(quiz.items[0].id, False, "k", None)
    projection = pages.quiz_projection(quiz, quiz.items[0].id, False)
    body = pages.follow_page(projection, view, BASE, 0.0)
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert "&lt;b&gt;" in body and "&amp; &lt;/h1&gt;" in body
    expected = "<p>a <strong>&lt;i&gt;</strong> b</p>\n<p>c</p>"
    assert pages.markdown_lite("a **<i>** b\n\nc") == expected


class FakeUdpSocket:
    """Records what lan_address does with its socket: connect and getsockname, no send."""

    calls: list[str] = []

    def __init__(self, family: int, kind: int, fail: bool = False, address: str = "") -> None:
        assert family == socket.AF_INET and kind == socket.SOCK_DGRAM
        self.fail, self.address = fail, address

    def __enter__(self) -> FakeUdpSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def connect(self, target: tuple[str, int]) -> None:
        FakeUdpSocket.calls.append(f"connect {target[0]}")
        if self.fail:
            raise OSError("Network is unreachable")

    def getsockname(self) -> tuple[str, int]:
        FakeUdpSocket.calls.append("getsockname")
        return (self.address, 40000)

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"lan_address must not call {name}")


def test_lan_address_asks_the_routing_table_without_sending() -> None:
    import ipaddress

    FakeUdpSocket.calls = []
    found = lan_address(socket_factory=lambda f, k: FakeUdpSocket(f, k, address="192.168.1.23"))
    assert found == "192.168.1.23"
    target = FakeUdpSocket.calls[0].split()[1]
    assert ipaddress.ip_address(target).is_private
    assert FakeUdpSocket.calls == [f"connect {target}", "getsockname"]
    assert lan_address(socket_factory=lambda f, k: FakeUdpSocket(f, k, fail=True)) == "127.0.0.1"
    unbound = lan_address(socket_factory=lambda f, k: FakeUdpSocket(f, k, address="0.0.0.0"))
    assert unbound == "127.0.0.1"


async def test_start_on_loopback_then_stop_closes_the_port(atis: Workshop) -> None:
    assert atis.quiz is not None
    served = _make(atis.quiz, VoteLimits())
    url = await served.server.start("127.0.0.1", 0)
    assert url.startswith("http://127.0.0.1:") and url.endswith(BASE)
    assert served.server.running
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            assert response.status == 200
        await served.server.stop()
        assert not served.server.running
        with pytest.raises(aiohttp.ClientConnectionError):
            async with session.get(url) as response:
                pass


def test_url_of_an_ipv6_host_has_brackets(atis: Workshop) -> None:
    assert atis.quiz is not None
    server = VoteServer(BallotBox(atis.quiz), token=TOKEN)
    server.public_host, server.port = "fe80::1", 8765
    assert server.url == f"http://[fe80::1]:8765{BASE}"
    assert server.speaker_url == f"http://[fe80::1]:8765{BASE}orateur"


async def test_oversized_headers_are_refused(atis: Workshop) -> None:
    assert atis.quiz is not None
    served = _make(atis.quiz, VoteLimits())
    await served.server.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(served.server.url, headers={"X-Pad": "x" * 4000}) as response:
                assert 400 <= response.status < 500
            async with session.get(served.server.url + "x" * 3000) as response:
                assert 400 <= response.status < 500
    finally:
        await served.server.stop()
    assert served.box.total(served.item) == 0
