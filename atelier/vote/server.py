"""The vote server: an aiohttp application run inside the app's own event loop.

Everything is under ``/<token>/`` where the token is drawn per session with
:func:`secrets.token_urlsafe`; any other path gets 403 before routing. It serves:

========================  ==========================================================
``GET  /<t>/``            the follow-along page, with the vote buttons during the quiz
                          (sets the device cookie)
``GET  /<t>/app.js``      the pages' script (ES5, same origin: the CSP allows no inline)
``GET  /<t>/flux``        server-sent events: ``{"key"}`` each time the projector changes
``GET  /<t>/suivi``       this phone's part of the follow-along page (HTML), after a change
``GET  /<t>/etat``        ``{"key", "statement", "revealed"}``: polled by a browser
                          without server-sent events
``POST /<t>/vote``        a vote, form-encoded (303 back to the page) or JSON
``GET  /<t>/retour``      the feedback-card form for the project on stage
``POST /<t>/retour``      a card, form-encoded (303 back to the form) or JSON
``GET  /<t>/orateur``     the speaker's read-only countdown page
``GET  /<t>/orateur/etat`` ``{"label", "caption", "title", "announce"}``
========================  ==========================================================

Extensions add their own routes (``extensions=``): « Mon projet » (atelier/vote/teams.py).

Safety: the only things accepted from the network are a vote (statement id + answer id,
checked against the quiz; the ballot box refuses the rest) and a feedback card (a pydantic
model with length limits, for the project on stage only, counted per device and project and
per address and minute; it goes to the facilitator's private inbox, never to the projector);
bodies are capped in size; every address has a token bucket (429 past it); nothing reads or
serves a file, so the session file cannot leak; responses carry ``no-store``, ``nosniff`` and
a strict Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web
from pydantic import ValidationError

from atelier.domain.cards import (
    CARD_MAX_CHARS,
    SIGNATURE_MAX_CHARS,
    CardRefusal,
    CardRefused,
    clean_text,
)
from atelier.domain.follow import Projection
from atelier.domain.votes import BallotBox, VoteRefused
from atelier.vote import page_assets, pages
from atelier.vote.connections import ConnectionLimiter, quiet_accept_errors
from atelier.vote.pages import CardForm, SpeakerView, VoteView
from atelier.vote.remote import Remote
from atelier.vote.requests import (
    _DEVICE_RE,
    CARD_STATUS,
    COOKIE,
    CSP,
    EVENT_STREAM_HEADERS,
    STATUS,
    Announcer,
    BadVote,
    RateLimiter,
    VoteLimits,
    event_bytes,
    fetch_spread_ms,
    lan_address,
    new_token,
    parse_card,
    parse_vote,
)

CardHandler = Callable[[str, str, str, str, str, str], Awaitable[CardRefusal | None]]
"""``(project, category, text, signature, device, address)`` → None once saved, else why not."""


class Extension(Protocol):
    def register(self, app: web.Application, server: VoteServer) -> None: ...


class VoteServer:
    """Owns the aiohttp application and, once started, its listening socket.

    ``on_vote(item_id)`` is called (in the loop, synchronously) after a vote that changed the
    counts; it must be quick: the app debounces its own work. ``speaker()`` gives the
    countdown the speaker's page shows, None when none is running."""

    def __init__(
        self,
        box: BallotBox,
        *,
        token: str | None = None,
        on_vote: Callable[[str], None] | None = None,
        speaker: Callable[[], SpeakerView | None] | None = None,
        limits: VoteLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        projection: Callable[[], Projection] | None = None,
        on_card: CardHandler | None = None,
        timer_clock: Callable[[], float] | None = None,
        commit: Callable[[], Awaitable[bool]] | None = None,
        remote: Remote | None = None,
        extensions: tuple[Extension, ...] = (),
    ) -> None:
        self.box = box
        self.remote = remote
        """The facilitator's remote (atelier/vote/remote.py): its routes, behind its secret."""
        self.extensions = extensions
        """More routes on the same application, token and limits (``register(app, self)``)."""
        self.projection = projection or self._quiz_projection
        """What the projector shows (the app's last published projection)."""
        self.on_card = on_card
        self.commit = commit
        """Awaited after a vote that changed the counts: True once they are on disk (the
        phone is answered after it)."""
        self.timer_clock = timer_clock or time.monotonic
        """The clock the projection's timers are read with (the app's)."""
        self.announcer = Announcer()
        self.streams = 0
        self.cards_accepted = 0
        self._closing = False
        self.token = token or new_token()
        self.base = f"/{self.token}/"
        self.on_vote = on_vote
        self.speaker = speaker
        self.limits = limits or VoteLimits()
        self.limiter = RateLimiter(
            self.limits.rate_per_s, self.limits.burst, self.limits.tracked_addresses, clock
        )
        self.remote_limiter = RateLimiter(
            self.limits.remote_rate_per_s,
            self.limits.remote_burst,
            self.limits.tracked_addresses,
            clock,
        )
        self.votes_accepted = 0
        self.requests_refused = 0
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
        self.connections: ConnectionLimiter | None = None
        self.host: str | None = None
        self.port: int | None = None
        self.public_host: str | None = None

    # -- life cycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def url(self) -> str:
        """What the QR code and the projector show."""
        assert self.public_host is not None and self.port is not None
        host = f"[{self.public_host}]" if ":" in self.public_host else self.public_host  # IPv6
        return f"http://{host}:{self.port}{self.base}"

    @property
    def speaker_url(self) -> str:
        return f"{self.url}orateur"

    async def start(self, host: str, port: int, public_host: str | None = None) -> str:
        """Listen on ``host:port`` (port 0: any free port); the URL to show."""
        if self._runner is not None:
            return self.url
        if self.remote is not None:
            self.remote.open()
        runner = web.AppRunner(
            self.build_app(),
            handle_signals=False,
            access_log=None,
            shutdown_timeout=1.0,
            keepalive_timeout=15.0,
            max_line_size=2048,
            max_field_size=2048,
        )
        await runner.setup()
        try:
            listener, connections = await self._listen(runner, host, port)
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._listener, self.connections = listener, connections
        self.host = host
        self.port = int(listener.sockets[0].getsockname()[1])
        if public_host is None:
            public_host = lan_address() if host in ("0.0.0.0", "", "::") else host
        self.public_host = public_host
        return self.url

    @staticmethod
    async def _listen(
        runner: web.AppRunner, host: str, port: int
    ) -> tuple[asyncio.Server, ConnectionLimiter]:
        """Listen through the connection limiter (atelier/vote/connections.py): the LAN can
        never take the descriptors the store needs."""
        connections = ConnectionLimiter.for_this_process()
        quiet_accept_errors()
        assert runner.server is not None
        listener = await asyncio.get_running_loop().create_server(
            connections.factory(runner.server),
            host or None,
            port,
            backlog=connections.caps.backlog,
        )
        return listener, connections

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()  # no new connection from here on
        if runner is not None:
            self._closing = True  # the event streams end now, not at the shutdown timeout
            self.announcer.announce()
            if self.remote is not None:
                self.remote.close()
            # Each stream writes its end and returns before the sockets are cut (bounded: a
            # phone that stopped reading is cut all the same).
            for _ in range(50):
                if self.streams == 0:
                    break
                await asyncio.sleep(0.01)
        if self.connections is not None:
            self.connections.close_all()  # idle phones and floods go at once, quietly
        if runner is not None:
            await runner.cleanup()
            self._closing = False

    def announce(self) -> None:
        """The projection changed: every phone that follows by events hears it."""
        self.announcer.announce()

    # -- the aiohttp application -------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(
            client_max_size=self.limits.max_body_bytes,
            middlewares=[self._guard],
        )
        app.on_response_prepare.append(self._headers)
        base = self.base
        app.router.add_get(base, self._vote_page)
        app.router.add_get(f"{base}app.js", self._script)
        app.router.add_get(f"{base}etat", self._state)
        app.router.add_post(f"{base}vote", self._vote)
        app.router.add_get(f"{base}orateur", self._speaker_page)
        app.router.add_get(f"{base}orateur/etat", self._speaker_state)
        app.router.add_get(f"{base}flux", self._stream)
        app.router.add_get(f"{base}suivi", self._follow_fragment)
        app.router.add_get(f"{base}retour", self._card_page)
        app.router.add_post(f"{base}retour", self._card)
        app.router.add_get(f"/{self.token}", self._to_base)
        if self.remote is not None:
            self.remote.holding_stream = self.holding_stream
            self.remote.register(app)
        for extension in self.extensions:
            extension.register(app, self)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], object]
    ) -> web.StreamResponse:
        """Rate limit first (wrong tokens count too), then the token, then the route. The
        facilitator's secret has its own, larger bucket; anything else counts in the room's."""
        address = request.remote or "?"
        segment = request.path.lstrip("/").split("/", 1)[0]
        remote = self.remote is not None and self.remote.accepts(segment)
        if not (self.remote_limiter if remote else self.limiter).allow(address):
            self.requests_refused += 1
            return web.Response(
                status=429,
                text="Trop de requêtes : réessayez dans un instant.\n",
                headers={"Retry-After": "2"},
            )
        room = secrets.compare_digest(segment.encode(), self.token.encode())
        if not room and not remote:
            self.requests_refused += 1
            return web.Response(
                status=403, text="Lien invalide : scannez le QR code affiché dans la salle.\n"
            )
        response = await handler(request)  # type: ignore[misc]
        assert isinstance(response, web.StreamResponse)
        return response

    @staticmethod
    async def _headers(request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers.setdefault("Cache-Control", "no-store")
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Content-Security-Policy"] = CSP

    # -- handlers ----------------------------------------------------------------------------

    async def _to_base(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(self.base)

    def _device(self, request: web.Request) -> tuple[str, bool]:
        """The device id from the cookie, or a new one (True: set the cookie)."""
        device = request.cookies.get(COOKIE, "")
        if _DEVICE_RE.match(device):
            return device, False
        return secrets.token_urlsafe(16), True

    def refused(
        self,
        status: int,
        code: str,
        *,
        as_json: bool,
        device: str,
        new: bool,
        page: Callable[[], web.StreamResponse],
    ) -> web.StreamResponse:
        """A phone's request refused (a vote, a card, a team's change): counted, answered in
        JSON to the page's script or as the page with its error (no script), the device's
        cookie set for a phone seen for the first time."""
        self.requests_refused += 1
        if as_json:
            response: web.StreamResponse = web.json_response(
                {"ok": False, "error": code}, status=status
            )
        else:
            response = page()
        if new:
            self._set_device(response, device)
        return response

    def _set_device(self, response: web.StreamResponse, device: str) -> None:
        response.set_cookie(
            COOKIE, device, path=self.base, max_age=12 * 3600, httponly=True, samesite="Lax"
        )

    def _view(self, device: str, error: str | None = None) -> VoteView:
        state = self.box.public_state()
        mine = self.box.vote_of(state.item_id, device) if state.item_id else None
        open_ = state.item_id is not None and not state.revealed
        return VoteView(state.item_id, state.revealed, state.key, mine, error, open_)

    def _quiz_projection(self) -> Projection:
        state = self.box.public_state()
        return pages.quiz_projection(self.box.quiz, state.item_id, state.revealed)

    def _projection(self) -> Projection:
        try:
            return self.projection()
        except Exception:  # noqa: BLE001 - a broken callback must not take the page down
            return self._quiz_projection()

    def _page(
        self, device: str, new_device: bool, error: str | None = None, status: int = 200
    ) -> web.Response:
        body = pages.follow_page(
            self._projection(), self._view(device, error), self.base, self.timer_clock()
        )
        response = web.Response(text=body, content_type="text/html", status=status)
        if new_device:
            self._set_device(response, device)
        return response

    async def _vote_page(self, request: web.Request) -> web.StreamResponse:
        device, new = self._device(request)
        return self._page(device, new)

    async def _script(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            text=page_assets.SCRIPT,
            content_type="application/javascript",
            headers={"Cache-Control": "max-age=3600"},
        )

    async def _state(self, request: web.Request) -> web.StreamResponse:
        state = self.box.public_state()
        return web.json_response(
            {
                "key": self._projection().key,
                "statement": state.item_id,
                "revealed": state.revealed,
            }
        )

    async def _follow_fragment(self, request: web.Request) -> web.StreamResponse:
        device, new = self._device(request)
        projection = self._projection()
        body = pages.follow_fragment(projection, self._view(device), self.base, self.timer_clock())
        response = web.Response(
            text=body, content_type="text/html", headers={"X-Atelier-Key": projection.key}
        )
        if new:
            self._set_device(response, device)
        return response

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the projection's key now, then at each change; a comment
        line every ``ping_s`` (a phone gone is noticed at the next write)."""
        if self.streams >= self.limits.max_streams or self._closing:
            return web.Response(
                status=503, text="Trop de téléphones connectés.\n", headers={"Retry-After": "5"}
            )
        response = web.StreamResponse(headers=EVENT_STREAM_HEADERS)
        self.streams += 1
        try:
            with self.holding_stream(request):
                await self._follow_stream(request, response)
        except (ConnectionResetError, RuntimeError):
            pass  # the phone went away (locked, out of range): nothing to do
        finally:
            self.streams -= 1
        return response

    def holding_stream(self, request: web.Request) -> contextlib.AbstractContextManager[None]:
        """While an event stream is open on ``request``'s connection: the connection
        limiter must not take it for idle (atelier/vote/connections.py)."""
        if self.connections is None:
            return contextlib.nullcontext()
        return self.connections.streaming(request.transport)

    async def _follow_stream(self, request: web.Request, response: web.StreamResponse) -> None:
        await response.prepare(request)
        sent = self._projection().key
        await response.write(b"retry: 3000\n" + event_bytes(sent))
        while not self._closing:
            waiter = self.announcer.waiter()
            try:
                async with asyncio.timeout(self.limits.ping_s):
                    await waiter
            except TimeoutError:
                await response.write(b": ping\n\n")
                continue
            if self._closing:
                break
            key = self._projection().key
            if key != sent:
                sent = key
                await response.write(event_bytes(key, fetch_spread_ms(self.streams)))

    # -- feedback cards ----------------------------------------------------------------------

    def _card_response(
        self, form: CardForm, device: str, new: bool, status: int = 200
    ) -> web.Response:
        body = pages.card_page(
            self._projection(),
            form,
            self.base,
            text_limit=CARD_MAX_CHARS,
            signature_limit=SIGNATURE_MAX_CHARS,
        )
        response = web.Response(text=body, content_type="text/html", status=status)
        if new:
            self._set_device(response, device)
        return response

    async def _card_page(self, request: web.Request) -> web.StreamResponse:
        device, new = self._device(request)
        return self._card_response(CardForm(sent="envoye" in request.query), device, new)

    async def _card(self, request: web.Request) -> web.StreamResponse:
        as_json = request.content_type == "application/json"
        device, new = self._device(request)
        typed = CardForm()

        def refuse(status: int, code: str) -> web.StreamResponse:
            form = CardForm(typed.category, typed.text, typed.signature, error=code)
            return self.refused(
                status,
                code,
                as_json=as_json,
                device=device,
                new=new,
                page=lambda: self._card_response(form, device, False, status=status),
            )

        if request.content_type not in ("application/json", "application/x-www-form-urlencoded"):
            return refuse(415, "bad_request")
        limit = self.limits.max_card_body_bytes
        length = request.content_length
        if length is not None and length > limit:
            return refuse(413, "bad_request")
        chunks: list[bytes] = []  # read by hand: votes keep their 1 KB cap
        size = 0
        while chunk := await request.content.read(limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return refuse(413, "bad_request")
        raw = b"".join(chunks)
        try:
            card = parse_card(raw, as_json=as_json)
        except BadVote:
            return refuse(400, "bad_request")
        except ValidationError:
            return refuse(422, "bad_request")
        typed = CardForm(card.category, card.text, card.signature)
        try:
            text = clean_text(card.text, CARD_MAX_CHARS)
            signature = clean_text(card.signature, SIGNATURE_MAX_CHARS)
        except CardRefused as refused:
            return refuse(CARD_STATUS[refused.reason], refused.reason.value)
        if not text:
            return refuse(422, CardRefusal.EMPTY.value)
        if signature and "\n" in signature:
            return refuse(422, CardRefusal.CONTROL.value)
        refusal: CardRefusal | None = CardRefusal.NO_STAGE
        if self.on_card is not None:
            refusal = await self.on_card(
                card.project, card.category, text, signature, device, request.remote or "?"
            )
        if refusal is not None:
            return refuse(CARD_STATUS[refusal], refusal.value)
        self.cards_accepted += 1
        if as_json:
            response: web.StreamResponse = web.json_response({"ok": True})
        else:
            response = web.Response(status=303, headers={"Location": f"{self.base}retour?envoye"})
        if new:
            self._set_device(response, device)
        return response

    async def _speaker_page(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            text=pages.speaker_page(self._speaker_view(), self.base), content_type="text/html"
        )

    async def _speaker_state(self, request: web.Request) -> web.StreamResponse:
        view = self._speaker_view()
        label, caption, title = pages.speaker_fields(view)
        announce = view.announce if view is not None else ""
        return web.json_response(
            {"label": label, "caption": caption, "title": title, "announce": announce}
        )

    def _speaker_view(self) -> SpeakerView | None:
        if self.speaker is None:
            return None
        try:
            return self.speaker()
        except Exception:  # noqa: BLE001 - a broken callback must not take the page down
            return None

    async def _vote(self, request: web.Request) -> web.StreamResponse:
        as_json = request.content_type == "application/json"
        device, new = self._device(request)

        def refuse(status: int, code: str) -> web.StreamResponse:
            return self.refused(
                status,
                code,
                as_json=as_json,
                device=device,
                new=new,
                page=lambda: self._page(device, False, code, status=status),
            )

        if request.content_type not in ("application/json", "application/x-www-form-urlencoded"):
            return refuse(415, "bad_request")
        length = request.content_length
        if length is not None and length > self.limits.max_body_bytes:
            return refuse(413, "bad_request")
        try:
            raw = await request.read()  # capped by client_max_size even when chunked
        except web.HTTPRequestEntityTooLarge:
            return refuse(413, "bad_request")
        try:
            item_id, answer_id = parse_vote(raw, as_json=as_json)
        except BadVote:
            return refuse(400, "bad_request")
        try:
            cast = self.box.cast(item_id, answer_id, device, request.remote or "?")
        except VoteRefused as refused:
            return refuse(STATUS[refused.reason], refused.reason.value)
        self.votes_accepted += 1
        if cast.changed and self.on_vote is not None:
            self.on_vote(item_id)
        if cast.changed and self.commit is not None and not await self.commit():
            return refuse(503, "not_saved")  # counted, not yet on disk: the next save retries
        if as_json:
            response: web.StreamResponse = web.json_response(
                {"ok": True, "statement": item_id, "answer": answer_id}
            )
        else:  # back to the page, which now shows the choice (post / redirect / get)
            response = web.Response(status=303, headers={"Location": self.base})
        if new:
            self._set_device(response, device)
        return response
