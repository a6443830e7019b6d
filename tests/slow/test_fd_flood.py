"""The LAN cannot starve the app (issue 15 item 3): 5,000 connection attempts from 50
addresses against the vote server of a process under ``ulimit -n 256``; meanwhile the
session saves every 20 ms, and a phone from another address loads the page and votes."""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.x source addresses: Linux"),
]

CHILD = Path(__file__).with_name("fd_flood_child.py")
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 256
ATTEMPTS = 5000
ADDRESSES = 50
PHONE = "127.0.0.200"


def _reap(sockets: list[socket.socket]) -> list[socket.socket]:
    """Close the flood sockets the server has closed (keeps this process's count sane)."""
    alive = []
    for sock in sockets:
        try:
            if sock.recv(1) == b"":  # the server closed it
                sock.close()
                continue
        except BlockingIOError:
            pass  # open, quiet
        except OSError as error:
            if error.errno != errno.ENOTCONN:  # reset by the server
                sock.close()
                continue
        alive.append(sock)
    return alive


def _phone_votes(port: int, token: str, statement: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(PHONE, 0)
    )
    connection.request("GET", f"/{token}/")
    page = connection.getresponse()
    page.read()
    connection.request(
        "POST",
        f"/{token}/vote",
        body=f"statement={statement}&answer=vrai",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    vote = connection.getresponse()
    vote.read()
    connection.close()
    return page.status, vote.status


def test_connection_flood_never_stops_saving_nor_a_phone(tmp_path: Path) -> None:
    from atelier.store.content_loader import load_workshop, resolve_content_dir

    quiz = load_workshop(resolve_content_dir(None)).quiz
    assert quiz is not None
    statement = quiz.items[0].id
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(LIMIT), str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    sockets: list[socket.socket] = []
    try:
        assert child.stdout is not None and child.stdin is not None
        hello = json.loads(child.stdout.readline())
        assert hello["limit"] == [LIMIT, LIMIT]
        total, per_address = hello["caps"]
        assert total + 64 <= LIMIT and per_address < total, hello
        port, token = hello["port"], hello["token"]
        started = time.monotonic()
        for attempt in range(ATTEMPTS):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.bind((f"127.0.0.{10 + attempt % ADDRESSES}", 0))
            code = sock.connect_ex(("127.0.0.1", port))
            assert code in (0, errno.EINPROGRESS, errno.EAGAIN, errno.ECONNREFUSED), code
            sockets.append(sock)
            if attempt % 250 == 249:
                sockets = _reap(sockets)
        flood_s = time.monotonic() - started
        page, vote = _phone_votes(port, token, statement)  # while the flood sockets stay open
        assert (page, vote) == (200, 303)
        child.stdin.write("stop\n")
        child.stdin.flush()
        result = json.loads(child.stdout.readline())
        assert child.wait(timeout=30) == 0
        stderr = child.stderr.read() if child.stderr else ""
    finally:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()
        if child.poll() is None:
            child.kill()
    assert result["saves_failed"] == 0, result["errors"]
    # Saves ran all through the flood (how many depends on the machine's load: each one is
    # fsynced, in a thread, 20 ms apart); none failed.
    assert result["saves_ok"] >= 3
    assert result["votes"].get("vrai") == 1
    assert result["evicted"] + result["refused"] > 0  # the cap did work
    assert "Traceback" not in stderr and "Too many open files" not in stderr, stderr
    print(f"flood {flood_s:.1f}s, {result}")
    assert os.environ.get("ATELIER_STATE_DIR")  # isolated as every test
