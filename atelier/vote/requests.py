"""What the phones send and how much of it: the server's limits, its rate limiter, the
strict models of a vote and a card (parsed from JSON or a form), the device cookie's shape,
and the announcer that wakes every event stream when the projection changes."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import socket
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from atelier.domain.cards import (
    CARD_MAX_CHARS,
    SIGNATURE_MAX_CHARS,
    CardRefusal,
)
from atelier.domain.votes import Refusal

DEFAULT_PORT = 8765
COOKIE = "atelier_votant"
_DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_FIELD_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # the content's identifiers

STATUS = {
    Refusal.UNKNOWN_STATEMENT: 422,
    Refusal.UNKNOWN_ANSWER: 422,
    Refusal.NOT_OPEN: 409,
    Refusal.CLOSED: 409,
    Refusal.ADDRESS_CAP: 429,
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


EVENT_STREAM_HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
}
"""The headers of every server-sent event stream (the room's follow page, the remote)."""


@dataclass(frozen=True)
class VoteLimits:
    max_body_bytes: int = 1024
    """A vote is two short fields; anything bigger is refused (413) before it is read."""
    rate_per_s: float = 5.0
    burst: int = 30
    """Token bucket per client address: a phone loads a page in 2–3 requests and polls
    every 2 s; the speaker's page polls every second."""
    remote_rate_per_s: float = 20.0
    remote_burst: int = 120
    """The facilitator's remote has a bucket of its own (only with its secret): flipping
    through a long page's parts is several taps a second, each a few requests."""
    tracked_addresses: int = 4096
    """Addresses remembered by the rate limiter (oldest forgotten first): bounded memory."""
    devices_per_address: int = 4
    max_card_body_bytes: int = 8192
    """A card: 500 characters, each up to 12 bytes once form-encoded, plus a signature."""
    max_streams: int = 3000
    """Phones following by server-sent events at once; past it, 503 (they poll instead)."""
    ping_s: float = 15.0
    """A comment line on each quiet stream this often: a phone gone is noticed then."""


def lan_address(
    probe: tuple[str, int] = ("10.254.254.254", 9),
    socket_factory: Callable[..., socket.socket] = socket.socket,
) -> str:
    """The laptop's address on the local network, as phones will reach it.

    ``connect()`` on a UDP socket sends nothing: it only asks the kernel which local address
    would route to ``probe`` (a private address). 127.0.0.1 when there is no network."""
    try:
        with socket_factory(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(probe)
            address = sock.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    if not address or address.startswith("0."):
        return "127.0.0.1"
    return str(address)


def new_token() -> str:
    """64 random bits, URL-safe (11 characters): short enough to type, not to guess."""
    return secrets.token_urlsafe(8)


class RateLimiter:
    """One token bucket per client address; bounded memory (least recently seen dropped)."""

    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        max_addresses: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate_per_s
        self.burst = float(burst)
        self.max_addresses = max_addresses
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, address: str) -> bool:
        now = self.clock()
        tokens, last = self._buckets.pop(address, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[address] = (tokens, now)
        while len(self._buckets) > self.max_addresses:
            self._buckets.popitem(last=False)
        return allowed

    def __len__(self) -> int:
        return len(self._buckets)


class BadVote(Exception):
    """The request is not a readable vote (400)."""


_Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class CardIn(BaseModel):
    """A feedback card as a phone sends it (form fields or JSON), before any rule."""

    model_config = ConfigDict(extra="forbid", strict=True)

    project: _Identifier
    category: _Identifier
    text: Annotated[str, Field(max_length=CARD_MAX_CHARS * 2)]
    signature: Annotated[str, Field(max_length=SIGNATURE_MAX_CHARS * 2)] = ""


CARD_STATUS = {
    CardRefusal.NO_STAGE: 409,
    CardRefusal.NOT_ON_STAGE: 409,
    CardRefusal.UNKNOWN_CATEGORY: 422,
    CardRefusal.EMPTY: 422,
    CardRefusal.TOO_LONG: 422,
    CardRefusal.CONTROL: 422,
    CardRefusal.DEVICE_CAP: 429,
    CardRefusal.ADDRESS_CAP: 429,
    CardRefusal.NOT_SAVED: 503,
}


class Announcer:
    """Wakes the server-sent-event streams when the projection changes, a few hundred at a
    time, so a thousand phones never hold the app's event loop in one go."""

    BATCH = 100

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def waiter(self) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        return future

    def announce(self) -> None:
        waiters, self._waiters = self._waiters, []
        if not waiters:
            return
        task = asyncio.get_running_loop().create_task(self._wake(waiters))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _wake(self, waiters: list[asyncio.Future[None]]) -> None:
        for start in range(0, len(waiters), self.BATCH):
            for future in waiters[start : start + self.BATCH]:
                if not future.done():
                    future.set_result(None)
            await asyncio.sleep(0)


FETCH_SPREAD_MS_PER_PHONE = 1
FETCH_SPREAD_MAX_MS = 800
"""A change heard by every phone at once is a burst of page fetches: each phone waits a
random moment up to a spread the server gives (1 ms per phone following, at most 0.8 s), so
300 phones arrive over 0.3 s instead of in one event-loop turn (a stall of the projector)."""


def fetch_spread_ms(followers: int) -> int:
    return min(FETCH_SPREAD_MAX_MS, max(0, followers) * FETCH_SPREAD_MS_PER_PHONE)


def event_bytes(key: str, spread_ms: int | None = None) -> bytes:
    data: dict[str, object] = {"key": key}
    if spread_ms:
        data["spread"] = spread_ms
    return b"data: " + json.dumps(data).encode() + b"\n\n"


def body_fields(
    raw: bytes, *, as_json: bool, max_fields: int, error: type[Exception] = BadVote
) -> dict[str, object]:
    """The fields of a request body — a JSON object, or a form with each field once — for a
    pydantic model to check; ``error`` (a 400 for the caller) when it is not readable: not
    UTF-8, not JSON, not an object, not a form, a field repeated, too many fields."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as cause:
        raise error("not UTF-8") from cause
    if as_json:
        try:
            data = json.loads(text)
        except ValueError as cause:
            raise error("not JSON") from cause
        if not isinstance(data, dict):
            raise error("not an object")
        return data
    try:
        parsed = parse_qs(
            text, strict_parsing=True, max_num_fields=max_fields, keep_blank_values=True
        )
    except ValueError as cause:
        raise error("not a form") from cause
    if any(len(values) != 1 for values in parsed.values()):
        raise error("repeated field")
    return {name: values[0] for name, values in parsed.items()}


def parse_card(raw: bytes, *, as_json: bool) -> CardIn:
    """A card's fields from its body: :class:`BadVote` when unreadable (400), pydantic's
    ValidationError when a field is missing, unknown, of the wrong type or too long (422)."""
    return CardIn.model_validate(body_fields(raw, as_json=as_json, max_fields=6))


def parse_vote(raw: bytes, *, as_json: bool) -> tuple[str, str]:
    """``(statement id, answer id)`` from a vote's body, or :class:`BadVote`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadVote("not UTF-8") from error
    fields: dict[str, object]
    if as_json:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise BadVote("not JSON") from error
        if not isinstance(data, dict):
            raise BadVote("not an object")
        fields = data
    else:
        try:
            parsed = parse_qs(text, strict_parsing=True, max_num_fields=4)
        except ValueError as error:
            raise BadVote("not a form") from error
        if any(len(values) != 1 for values in parsed.values()):
            raise BadVote("repeated field")
        fields = {name: values[0] for name, values in parsed.items()}
    if set(fields) != {"statement", "answer"}:
        raise BadVote("fields")
    item_id, answer_id = fields["statement"], fields["answer"]
    if not isinstance(item_id, str) or not isinstance(answer_id, str):
        raise BadVote("types")
    if not _FIELD_RE.match(item_id) or not _FIELD_RE.match(answer_id):
        raise BadVote("shape")
    return item_id, answer_id
