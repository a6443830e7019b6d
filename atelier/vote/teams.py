"""« Mon projet »: the routes a team fills its own project with, on the vote server.

========================  ==========================================================
``GET  /<t>/projet``      this phone's project (``?p=<id>`` to choose among its own), or the
                          forms to create one or join one with its code
``POST /<t>/projet``      one change, form-encoded (303 back to the page once on disk) or
                          JSON (``{"ok": true, "project": id}`` once on disk)
``GET  /<t>/projet/phase`` the top of the page (phase, timer, instructions), fetched by
                          the page's script when the follow page's event stream (``flux``)
                          tells a change: the timer counts down live, as on the follow page
========================  ==========================================================

The server only validates the shape (a strict pydantic model with length limits) and hands
the change to the app (:class:`TeamDesk` protocol), which checks the rights and the content,
applies it through the domain (atelier/domain/teams.py), saves the project and only then
answers. The page is built from :meth:`TeamDesk.views` for this device: its own projects and
nothing else. Wrong join codes are counted per address (429 past 10 a minute), on top of the
server's token bucket per address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Protocol
from urllib.parse import quote

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from atelier.domain import teams
from atelier.domain.content_grid import Assessment, Grid
from atelier.domain.teams import EditKind, TeamEdit, TeamRefusal
from atelier.vote import team_pages
from atelier.vote.requests import body_fields
from atelier.vote.team_pages import TeamContext, TeamNotice, TeamView

if TYPE_CHECKING:
    from atelier.vote.server import VoteServer

MAX_BODY_BYTES = 24 * 1024
"""The longest field (2,000 characters of axes) form-encoded, with room to spare."""

STATUS = {
    TeamRefusal.CLOSED: 409,
    TeamRefusal.NO_RIGHT: 403,
    TeamRefusal.BAD_CODE: 422,
    TeamRefusal.UNKNOWN_FIELD: 422,
    TeamRefusal.EMPTY: 422,
    TeamRefusal.TOO_LONG: 422,
    TeamRefusal.CONTROL: 422,
    TeamRefusal.DEVICE_CAP: 429,
    TeamRefusal.CODE_CAP: 429,
    TeamRefusal.NOT_SAVED: 503,
}

_Id = Annotated[str, StringConstraints(pattern=r"^([a-z0-9][a-z0-9_-]{0,127})?$")]


class TeamIn(BaseModel):
    """A change as a phone sends it, before any rule: unknown fields, wrong types, ids that
    are not ids and oversized texts are refused here (422)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    action: Annotated[EditKind, Field(strict=False)]  # a string naming one of them
    project: _Id = ""
    target: _Id = ""
    value: Annotated[str, Field(max_length=teams.AXES_MAX * 2)] = ""
    carriers: Annotated[str, Field(max_length=teams.CARRIERS_MAX * 2)] = ""

    def edit(self) -> TeamEdit:
        return TeamEdit(self.action, self.project, self.target, self.value, self.carriers)


class BadTeamRequest(Exception):
    """Not a readable change (400)."""


class TeamDesk(Protocol):
    """The app's side (atelier/tui/vote_teams.py)."""

    grid: Grid
    assessment: Assessment

    def context(self) -> TeamContext | None: ...

    def views(self, device: str) -> list[TeamView]: ...

    async def submit(
        self, edit: TeamEdit, device: str, address: str
    ) -> tuple[TeamRefusal | None, str]: ...


def parse_team(raw: bytes, *, as_json: bool) -> TeamIn:
    """A team's change (:class:`BadTeamRequest`, a 400, when unreadable; pydantic's
    ValidationError, a 422, when a field is wrong)."""
    fields = body_fields(raw, as_json=as_json, max_fields=8, error=BadTeamRequest)
    return TeamIn.model_validate(fields)


class TeamRoutes:
    """Registered on the vote server's application by :meth:`register`."""

    def __init__(self, desk: TeamDesk) -> None:
        self.desk = desk
        self.server: VoteServer | None = None
        self.accepted = 0

    def register(self, app: web.Application, server: VoteServer) -> None:
        self.server = server
        app.router.add_get(f"{server.base}projet", self._page)
        app.router.add_post(f"{server.base}projet", self._post)
        app.router.add_get(f"{server.base}projet/phase", self._phase)

    def _context(self) -> TeamContext | None:
        try:
            return self.desk.context()
        except Exception:  # noqa: BLE001 - a broken callback must not take the page down
            return None

    def _respond(
        self, device: str, new: bool, selected: str | None, notice: TeamNotice, status: int = 200
    ) -> web.Response:
        server = self.server
        assert server is not None
        key = server._projection().key
        body = team_pages.team_page(
            self._context(),
            self.desk.views(device),
            selected,
            self.desk.grid,
            self.desk.assessment,
            server.base,
            notice,
            key,
        )
        response = web.Response(text=body, content_type="text/html", status=status)
        if new:
            server._set_device(response, device)
        return response

    async def _page(self, request: web.Request) -> web.StreamResponse:
        assert self.server is not None
        device, new = self.server._device(request)
        notice = TeamNotice(saved="ok" in request.query)
        return self._respond(device, new, request.query.get("p"), notice)

    async def _phase(self, request: web.Request) -> web.StreamResponse:
        """The phase, its timer and instructions now (nothing of any project: no cookie)."""
        assert self.server is not None
        key = self.server._projection().key
        context = self._context()
        headers = {"X-Atelier-Key": key, "X-Atelier-Phase": team_pages.phase_id(context)}
        body = team_pages.phase_fragment(context)
        return web.Response(text=body, content_type="text/html", headers=headers)

    async def _post(self, request: web.Request) -> web.StreamResponse:
        server = self.server
        assert server is not None
        as_json = request.content_type == "application/json"
        device, new = server._device(request)
        typed = TeamIn(action=EditKind.AXES)

        def refuse(status: int, code: str) -> web.StreamResponse:
            target = typed.target
            if typed.action is EditKind.CREATE:
                target = "name"
            elif typed.action is EditKind.JOIN:
                target = "code"
            notice = TeamNotice(error=code, target=target, typed=typed.value)
            return server.refused(
                status,
                code,
                as_json=as_json,
                device=device,
                new=new,
                page=lambda: self._respond(
                    device, False, typed.project or None, notice, status=status
                ),
            )

        if request.content_type not in ("application/json", "application/x-www-form-urlencoded"):
            return refuse(415, "bad_request")
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            return refuse(413, "bad_request")
        chunks: list[bytes] = []
        size = 0
        while chunk := await request.content.read(MAX_BODY_BYTES + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return refuse(413, "bad_request")
        try:
            change = parse_team(b"".join(chunks), as_json=as_json)
        except BadTeamRequest:
            return refuse(400, "bad_request")
        except ValidationError:
            return refuse(422, "bad_request")
        typed = change
        refusal, project_id = await self.desk.submit(change.edit(), device, request.remote or "?")
        if refusal is not None:
            return refuse(STATUS[refusal], refusal.value)
        self.accepted += 1
        if as_json:
            response: web.StreamResponse = web.json_response({"ok": True, "project": project_id})
        else:
            anchor = f"#{quote(change.target)}" if change.target else ""
            location = f"{server.base}projet?p={quote(project_id)}&ok{anchor}"
            response = web.Response(status=303, headers={"Location": location})
        if new:
            server._set_device(response, device)
        return response
