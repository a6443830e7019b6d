"""The LAN cannot starve the app: a cap on the vote server's open connections.

Every TCP connection costs a file descriptor, and the app shares its descriptors with the
store: 1,100 idle connections against ``ulimit -n 1024`` made every save fail with « Too many
open files ». So, in front of aiohttp's protocol:

* the soft ``RLIMIT_NOFILE`` is raised towards the hard one at start (:func:`raise_fd_limit`);
* the connections are capped **in total** and **per address**, well below the limit, keeping
  a reserve of descriptors for the store and the app (:func:`connection_caps`); the listen
  backlog is kept small too, since asyncio accepts up to a backlog's worth at once;
* a new connection past a cap is closed at once (``abort``: its descriptor is freed), except
  that when the total is reached, the least recently active connection of the address holding
  the most is closed to make room for an address holding fewer: a flood from a few addresses
  cannot lock out a phone;
* under pressure (more than half the cap used), connections idle for a few seconds are closed
  (a phone simply reconnects on its next poll; a slowloris socket goes sooner). An event
  stream is never idle: the phone only listens on it, the server writes. A handler holding one
  says so (:meth:`ConnectionLimiter.streaming`), and the sweep leaves it alone; a phone gone
  is noticed at the stream's next ping. Measured: 1,000 phones following and voting (2,000
  connections) lost every stream to the sweep before this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

FD_RESERVE_MIN = 64
"""Descriptors never given to the network: saves, the lock, the terminal, Python itself."""
PRESSURE_IDLE_S = 5.0
"""Under pressure, a connection quiet this long is closed (aiohttp's keep-alive is 15 s)."""
HIGH_PRESSURE_IDLE_S = 1.0
"""Near the cap, sooner still."""
_FD_TARGET = 65536


def raise_fd_limit(target: int = _FD_TARGET) -> tuple[int, int] | None:
    """Raise the soft RLIMIT_NOFILE towards the hard one (never above ``target``); the limits
    now in force, None where there is no such limit (Windows)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = target if hard == resource.RLIM_INFINITY else min(hard, target)
    if soft != resource.RLIM_INFINITY and soft < ceiling:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def open_fd_count() -> int:
    """Descriptors open in this process now (a rough count where /proc is missing)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        with contextlib.suppress(OSError):
            return len(os.listdir(folder))
    return 32


@dataclass(frozen=True)
class Caps:
    total: int
    per_address: int
    backlog: int


def connection_caps(soft_limit: int | None, open_now: int) -> Caps:
    """How many connections the vote server may hold, given the descriptor limit and the
    descriptors already open. A quarter of the limit (at least 64) stays in reserve."""
    if soft_limit is None or soft_limit <= 0:
        soft_limit = 1024
    reserve = max(FD_RESERVE_MIN, soft_limit // 4)
    room = soft_limit - open_now - reserve
    backlog = max(4, min(128, room // 8))
    total = max(8, min(2048, room - backlog))
    per_address = max(4, min(64, total // 8))
    return Caps(total=total, per_address=per_address, backlog=backlog)


class _Gate(asyncio.Protocol):
    """Stands in front of one aiohttp protocol: admitted or closed at connection time, and
    forwards everything once admitted."""

    def __init__(self, limiter: ConnectionLimiter, factory: Callable[[], asyncio.Protocol]):
        self._limiter = limiter
        self._factory = factory
        self.inner: asyncio.Protocol | None = None
        self.transport: asyncio.Transport | None = None
        self.address = "?"
        self.last_active = 0.0
        self.streaming = False
        """A server-sent event stream is open on it: the client only listens."""

    # -- asyncio.Protocol ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.address = str(peer[0]) if isinstance(peer, tuple) and peer else "?"
        self.last_active = self._limiter.clock()
        if not self._limiter.admit(self):
            transport.abort()  # the descriptor is freed now
            return
        self.inner = self._factory()
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self.last_active = self._limiter.clock()
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        if self.inner is not None:
            return self.inner.eof_received()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._limiter.forget(self)
        if self.inner is not None:
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()

    def __getattr__(self, name: str) -> Any:  # anything else aiohttp may ask its protocol
        inner = self.__dict__.get("inner")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()


class ConnectionLimiter:
    """Counts the open connections per address and decides who gets in (see module doc)."""

    def __init__(self, caps: Caps, clock: Callable[[], float] = time.monotonic) -> None:
        self.caps = caps
        self.clock = clock
        self._by_address: dict[str, dict[_Gate, None]] = {}
        self._by_transport: dict[asyncio.BaseTransport, _Gate] = {}
        self._count = 0
        self.refused = 0
        self.evicted = 0

    @classmethod
    def for_this_process(cls) -> ConnectionLimiter:
        limits = raise_fd_limit()
        soft = None if limits is None else int(limits[0])
        if soft is not None and soft > 1 << 30:  # RLIM_INFINITY
            soft = _FD_TARGET
        return cls(connection_caps(soft, open_fd_count()))

    @property
    def count(self) -> int:
        """Connections open now."""
        return self._count

    def factory(self, inner: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        """The protocol factory to give ``loop.create_server`` instead of ``inner``."""
        return lambda: _Gate(self, inner)

    def admit(self, gate: _Gate) -> bool:
        self._sweep_idle()
        mine = self._by_address.get(gate.address, {})
        if len(mine) >= self.caps.per_address:
            self.refused += 1
            return False
        if self._count >= self.caps.total:
            victim = self._victim(len(mine))
            if victim is None:
                self.refused += 1
                return False
            self._drop(victim)
            self.evicted += 1
        self._by_address.setdefault(gate.address, {})[gate] = None
        if gate.transport is not None:
            self._by_transport[gate.transport] = gate
        self._count += 1
        return True

    @contextlib.contextmanager
    def streaming(self, transport: asyncio.BaseTransport | None) -> Iterator[None]:
        """While the block runs, the connection of ``transport`` carries an event stream: it
        is not idle, whatever the client sends (nothing), and is evicted last."""
        gate = self._by_transport.get(transport) if transport is not None else None
        if gate is not None:
            gate.streaming = True
        try:
            yield
        finally:
            if gate is not None:
                gate.streaming = False
                gate.last_active = self.clock()

    def forget(self, gate: _Gate) -> None:
        if gate.transport is not None and self._by_transport.get(gate.transport) is gate:
            del self._by_transport[gate.transport]
        mine = self._by_address.get(gate.address)
        if mine is not None and gate in mine:
            del mine[gate]
            self._count -= 1
            if not mine:
                del self._by_address[gate.address]

    def close_all(self) -> None:
        for gates in list(self._by_address.values()):
            for gate in list(gates):
                gate.close()
                self.forget(gate)

    # -- internals ---------------------------------------------------------------------------

    def _drop(self, gate: _Gate) -> None:
        gate.close()
        self.forget(gate)  # counted out now: connection_lost comes later

    def _victim(self, newcomer_holds: int) -> _Gate | None:
        """The least recently active connection of the address holding the most, if that
        address holds more than the newcomer would; an event stream only if nothing else."""
        if not self._by_address:
            return None
        address, gates = max(self._by_address.items(), key=lambda item: len(item[1]))
        if len(gates) <= newcomer_holds + 1:
            return None
        return min(gates, key=lambda gate: (gate.streaming, gate.last_active))

    def _sweep_idle(self) -> None:
        if self._count * 2 <= self.caps.total:
            return
        idle_s = (
            HIGH_PRESSURE_IDLE_S if self._count * 10 >= self.caps.total * 9 else PRESSURE_IDLE_S
        )
        limit = self.clock() - idle_s
        for gates in list(self._by_address.values()):
            for gate in [g for g in gates if g.last_active < limit and not g.streaming]:
                self._drop(gate)
                self.evicted += 1


class _AcceptNoise(logging.Filter):
    """asyncio logs « socket.accept() out of system resource » with a traceback when the
    process is out of descriptors (it then pauses accepting for a second by itself): handled,
    so not printed over the projected screen."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "socket.accept() out of system resource" not in record.getMessage()


_NOISE = _AcceptNoise()


def quiet_accept_errors() -> None:
    logger = logging.getLogger("asyncio")
    if _NOISE not in logger.filters:
        logger.addFilter(_NOISE)
