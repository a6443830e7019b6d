"""The facilitator's remote on the LAN server: its secret, its routes, its checks.

Everything lives under ``/<secret>/animateur`` where the secret (128 random bits) is not the
room's token: the room's address is shown to everyone, this one only in the facilitator's
private dialog. The secret is compared in constant time on every request; :meth:`revoke`
draws a new one and every remote already opened gets 403 from then on. It lives as long as
the app runs (kept when the phones' server stops and starts again); a restart draws a new one.

========================================  ====================================================
``GET  /<s>/animateur``                   the remote and presenter page (forms: works without
                                          JavaScript)
``GET  /<s>/animateur/vue``               its body (HTML), after a change
``GET  /<s>/animateur/etat``              the state as JSON (what a command answers too)
``GET  /<s>/animateur/flux``              server-sent events: ``{"key"}`` at each change
``GET  /<s>/animateur/pilote.js``         the page's script (same origin: the CSP allows no
                                          inline script)
``POST /<s>/animateur/commande``          ``{action, key}``: one command, applied in order
``POST /<s>/animateur/note``              ``{project, text}``: a line added to the notes
========================================  ====================================================

A command is answered once applied and saved, with the state that results (not what was
asked): 409 when its key is no longer current (stale or replayed) or when it does nothing on
the page shown; 422 when the body is not a valid command (pydantic, strict); 403 with any
other secret, the room's token included.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Annotated, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from atelier.domain.cards import CardRefused, clean_text
from atelier.domain.remote import NOTE_LINE_MAX_CHARS, PresenterView, RemoteAction, RemoteRefusal
from atelier.vote import remote_pages
from atelier.vote.requests import EVENT_STREAM_HEADERS, body_fields, event_bytes

Answer = tuple[RemoteRefusal | None, PresenterView]
CommandHandler = Callable[[RemoteAction, str], Awaitable[Answer]]
"""``(action, state key)`` → (None once applied and saved, else why not; the state now)."""
NoteHandler = Callable[[str, str], Awaitable[Answer]]
"""``(project id, text)`` → (None once the line is in the notes on disk, else why not; state)."""

PATH = "animateur"
MAX_BODY_BYTES = 8192
MAX_STREAMS = 20
"""A facilitator has a phone, a tablet, a second laptop: a few streams, never the room's."""

STATUS = {
    RemoteRefusal.STALE: 409,
    RemoteRefusal.UNAVAILABLE: 409,
    RemoteRefusal.NO_STAGE: 409,
    RemoteRefusal.NOT_SAVED: 503,
}

_Key = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}\.[0-9]{1,9}$")]
_Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class CommandIn(BaseModel):
    """A command as the page sends it (form fields or JSON), before any rule."""

    model_config = ConfigDict(extra="forbid", strict=True)

    action: Literal[tuple(a.value for a in RemoteAction)]  # type: ignore[valid-type]
    key: _Key


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    project: _Identifier
    text: Annotated[str, Field(min_length=1, max_length=NOTE_LINE_MAX_CHARS)]


class BadBody(Exception):
    """Not readable as a form or a JSON object (400)."""


def new_secret() -> str:
    """128 random bits, URL-safe (22 characters): scanned, never typed."""
    return secrets.token_urlsafe(16)


class Remote:
    """The facilitator's remote: owns the secret and registers its routes on the server's
    aiohttp application. ``presenter()`` gives the view now (quick, in the loop)."""

    def __init__(
        self,
        presenter: Callable[[], PresenterView],
        on_command: CommandHandler,
        on_note: NoteHandler,
        secret: str | None = None,
        on_open: Callable[[], None] | None = None,
    ) -> None:
        self.presenter = presenter
        self.on_open = on_open
        """Called when a remote loads its page: the app closes the dialog showing the secret."""
        self.on_command = on_command
        self.on_note = on_note
        self.secret = secret or new_secret()
        self.streams = 0
        self.commands_applied = 0
        self.refused = 0
        self._waiters: list[asyncio.Future[None]] = []
        self._closing = False
        self.holding_stream: Callable[[web.Request], contextlib.AbstractContextManager[None]] = (
            lambda request: contextlib.nullcontext()
        )
        """Set by the server: keeps the connection limiter from taking a stream for idle."""

    # -- the secret --------------------------------------------------------------------------

    def accepts(self, segment: str) -> bool:
        """Whether ``segment`` (the first part of a path) is the current secret."""
        return secrets.compare_digest(segment.encode(), self.secret.encode())

    def revoke(self) -> str:
        """A new secret: every remote already opened gets 403 from now on (its event stream
        ends at the next change)."""
        self.secret = new_secret()
        self.announce()
        return self.secret

    def path(self) -> str:
        return f"/{self.secret}/{PATH}"

    # -- changes -----------------------------------------------------------------------------

    def announce(self) -> None:
        """The facilitator's view changed: the open pages hear it now."""
        waiters, self._waiters = self._waiters, []
        for future in waiters:
            if not future.done():
                future.set_result(None)

    def close(self) -> None:
        self._closing = True
        self.announce()

    def open(self) -> None:
        self._closing = False

    # -- routes ------------------------------------------------------------------------------

    def register(self, app: web.Application) -> None:
        base = f"/{{secret}}/{PATH}"
        app.router.add_get(base, self._page)
        app.router.add_get(f"{base}/vue", self._fragment)
        app.router.add_get(f"{base}/etat", self._state)
        app.router.add_get(f"{base}/flux", self._stream)
        app.router.add_get(f"{base}/pilote.js", self._script)
        app.router.add_post(f"{base}/commande", self._command)
        app.router.add_post(f"{base}/note", self._note)

    def _allowed(self, request: web.Request) -> bool:
        if self.accepts(request.match_info.get("secret", "")):
            return True
        self.refused += 1
        return False

    @staticmethod
    def _forbidden() -> web.Response:
        return web.Response(
            status=403,
            text="Lien de télécommande invalide ou révoqué : ouvrez le nouveau lien depuis "
            "l'application (palette, « Télécommande de l'animateur »).\n",
        )

    def _view(self) -> PresenterView | None:
        try:
            return self.presenter()
        except Exception:  # noqa: BLE001 - a broken callback must not take the page down
            return None

    def _html(self, view: PresenterView | None, status: int = 200, **kw: str) -> web.Response:
        body = remote_pages.remote_page(view, self.path(), **kw)
        return web.Response(text=body, content_type="text/html", status=status)

    async def _page(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        message = remote_pages.MESSAGES.get(request.query.get("m", ""), "")
        if self.on_open is not None:
            self.on_open()
        return self._html(self._view(), message=message)

    async def _fragment(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        view = self._view()
        body = remote_pages.remote_body(view, self.path())
        headers = {"X-Atelier-Key": view.key} if view is not None else {}
        return web.Response(text=body, content_type="text/html", headers=headers)

    async def _state(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        return web.json_response(state_json(self._view()))

    async def _script(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        return web.Response(text=remote_pages.SCRIPT, content_type="application/javascript")

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        if self.streams >= MAX_STREAMS or self._closing:
            return web.Response(status=503, text="Trop de télécommandes ouvertes.\n")
        secret = request.match_info["secret"]
        response = web.StreamResponse(headers=EVENT_STREAM_HEADERS)
        self.streams += 1
        try:
            with self.holding_stream(request):
                await self._stream_to(request, response, secret)
        except (ConnectionResetError, RuntimeError):
            pass  # the phone went away
        finally:
            self.streams -= 1
        return response

    async def _stream_to(
        self, request: web.Request, response: web.StreamResponse, secret: str
    ) -> None:
        await response.prepare(request)
        view = self._view()
        sent = view.key if view is not None else ""
        await response.write(b"retry: 2000\n" + event_bytes(sent))
        while not self._closing and self.accepts(secret):
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(future)
            try:
                async with asyncio.timeout(15.0):
                    await future
            except TimeoutError:
                await response.write(b": ping\n\n")
                continue
            view = self._view()
            key = view.key if view is not None else ""
            if key != sent and self.accepts(secret):
                sent = key
                await response.write(event_bytes(key))

    async def _read(self, request: web.Request) -> tuple[bool, dict[str, object]]:
        """``(as JSON, fields)``; raises :class:`BadBody` (400) or HTTPException (413, 415)."""
        as_json = request.content_type == "application/json"
        if request.content_type not in ("application/json", "application/x-www-form-urlencoded"):
            raise web.HTTPUnsupportedMediaType(text="Type de contenu refusé.\n")
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, length)
        chunks: list[bytes] = []
        size = 0
        while chunk := await request.content.read(MAX_BODY_BYTES + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, size)
        return as_json, parse_body(b"".join(chunks), as_json=as_json)

    async def _command(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        try:
            as_json, fields = await self._read(request)
            command = CommandIn.model_validate(fields)
        except BadBody:
            return self._refuse_body(request, 400)
        except ValidationError:
            return self._refuse_body(request, 422)
        refusal, view = await self.on_command(RemoteAction(command.action), command.key)
        return self._answer(as_json, refusal, view)

    async def _note(self, request: web.Request) -> web.StreamResponse:
        if not self._allowed(request):
            return self._forbidden()
        typed = ""
        try:
            as_json, fields = await self._read(request)
            typed = str(fields.get("text", ""))[: NOTE_LINE_MAX_CHARS * 2]
            note = NoteIn.model_validate(fields)
        except BadBody:
            return self._refuse_body(request, 400)
        except ValidationError:
            return self._refuse_body(request, 422, typed)
        try:
            text = clean_text(note.text, NOTE_LINE_MAX_CHARS)
        except CardRefused:
            return self._refuse_body(request, 422, typed)
        if not text:
            return self._refuse_body(request, 422, typed)
        refusal, view = await self.on_note(note.project, text)
        return self._answer(as_json, refusal, view, typed=note.text, sent="note")

    def _refuse_body(self, request: web.Request, status: int, typed: str = "") -> web.Response:
        self.refused += 1
        if request.content_type == "application/json":
            return web.json_response({"ok": False, "error": "bad_request"}, status=status)
        return self._html(self._view(), status, message=remote_pages.BAD_REQUEST, typed=typed)

    def _answer(
        self,
        as_json: bool,
        refusal: RemoteRefusal | None,
        view: PresenterView,
        *,
        typed: str = "",
        sent: str = "ok",
    ) -> web.Response:
        if refusal is not None:
            self.refused += 1
            status = STATUS[refusal]
            if as_json:
                data = {"ok": False, "error": refusal.value, "state": state_json(view)}
                return web.json_response(data, status=status)
            message = remote_pages.MESSAGES[refusal.value]
            return self._html(view, status, message=message, typed=typed)
        self.commands_applied += 1
        self.announce()
        if as_json:
            return web.json_response({"ok": True, "state": state_json(view)})
        # post / redirect / get: the page shows the state that results
        return web.Response(status=303, headers={"Location": f"{self.path()}?m={sent}"})


def state_json(view: PresenterView | None) -> dict[str, object]:
    if view is None:
        return {"key": ""}
    data = asdict(view)
    data["available"] = sorted(a.value for a in view.available)
    data["key"] = view.key
    return data


def parse_body(raw: bytes, *, as_json: bool) -> dict[str, object]:
    """A command's or a note line's fields (:class:`BadBody`, a 400, when unreadable)."""
    return body_fields(raw, as_json=as_json, max_fields=4, error=BadBody)
