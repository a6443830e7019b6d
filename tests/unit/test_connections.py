"""The vote server's connection limiter (issue 15 item 3), without sockets: caps from the
descriptor limit, who gets in, who is closed to make room."""

from __future__ import annotations

import asyncio

from atelier.vote.connections import (
    Caps,
    ConnectionLimiter,
    _Gate,
    connection_caps,
    raise_fd_limit,
)


class FakeTransport(asyncio.Transport):
    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address
        self.aborted = False

    def get_extra_info(self, name: str, default: object = None) -> object:
        return (self.address, 40000) if name == "peername" else default

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.aborted


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def connect(limiter: ConnectionLimiter, address: str) -> tuple[_Gate, FakeTransport]:
    gate = _Gate(limiter, asyncio.Protocol)
    transport = FakeTransport(address)
    gate.connection_made(transport)
    return gate, transport


def test_caps_keep_a_reserve_below_the_descriptor_limit() -> None:
    for soft in (256, 1024, 4096, 65536):
        caps = connection_caps(soft, open_now=40)
        assert caps.total + caps.backlog + 64 <= soft - 40 or soft == 256
        assert caps.total + caps.backlog <= soft - 40 - 64
        assert 4 <= caps.per_address < caps.total


def test_soft_limit_is_raised_towards_the_hard_one() -> None:
    limits = raise_fd_limit()
    assert limits is None or limits[0] == limits[1] or limits[0] >= 65536


def test_per_address_cap_closes_the_extra_connection_at_once() -> None:
    limiter = ConnectionLimiter(Caps(total=100, per_address=3, backlog=8), Clock())
    transports = [connect(limiter, "10.0.0.9")[1] for _ in range(5)]
    assert [t.aborted for t in transports] == [False, False, False, True, True]
    assert limiter.count == 3 and limiter.refused == 2


def test_a_flood_cannot_lock_out_a_phone() -> None:
    clock = Clock()
    limiter = ConnectionLimiter(Caps(total=10, per_address=10, backlog=4), clock)
    flood = []
    for n in range(10):
        clock.now = n * 0.01
        flood.append(connect(limiter, "10.0.0.66"))
    clock.now = 0.5  # within the pressure idle time: nothing swept, the cap decides
    gate, phone = connect(limiter, "10.0.0.2")
    assert not phone.aborted and gate.inner is not None
    assert flood[0][1].aborted  # the flood's least recently active connection made room
    assert limiter.count == 10 and limiter.evicted >= 1


def test_idle_connections_go_sooner_under_pressure() -> None:
    clock = Clock()
    limiter = ConnectionLimiter(Caps(total=10, per_address=10, backlog=4), clock)
    quiet = [connect(limiter, f"10.0.0.{n}")[1] for n in range(6)]  # > half the cap
    clock.now = 6.0
    connect(limiter, "10.0.0.99")
    assert all(t.aborted for t in quiet)
    assert limiter.count == 1


def test_closed_connections_are_counted_out() -> None:
    limiter = ConnectionLimiter(Caps(total=10, per_address=2, backlog=4), Clock())
    gate, _ = connect(limiter, "10.0.0.1")
    gate.connection_lost(None)
    assert limiter.count == 0
    connect(limiter, "10.0.0.1")
    connect(limiter, "10.0.0.1")
    assert limiter.count == 2


def test_an_event_stream_is_never_taken_for_idle() -> None:
    """1,000 phones following and voting hold 2,000 connections: the sweep used to close
    every event stream (the phone only listens on it) and the room stopped following."""
    clock = Clock()
    limiter = ConnectionLimiter(Caps(total=10, per_address=10, backlog=4), clock)
    streams = [connect(limiter, f"10.0.0.{n}") for n in range(6)]  # > half the cap
    held = [limiter.streaming(transport) for _, transport in streams]
    for hold in held:
        hold.__enter__()
    keep_alive = connect(limiter, "10.0.0.50")[1]
    clock.now = 60.0
    connect(limiter, "10.0.0.99")
    assert not any(transport.aborted for _, transport in streams)
    assert keep_alive.aborted  # the idle keep-alive connection still goes
    held[0].__exit__(None, None, None)  # the stream ended: an ordinary connection again
    assert not streams[0][0].streaming
    clock.now = 120.0
    connect(limiter, "10.0.0.98")
    assert streams[0][1].aborted and not streams[1][1].aborted


def test_a_full_cap_evicts_a_stream_last() -> None:
    clock = Clock()
    limiter = ConnectionLimiter(Caps(total=4, per_address=10, backlog=4), clock)
    gates = [connect(limiter, "10.0.0.66") for _ in range(4)]
    with limiter.streaming(gates[0][1]):  # the oldest is a stream
        clock.now = 0.5
        connect(limiter, "10.0.0.2")
        assert not gates[0][1].aborted and gates[1][1].aborted
