"""Issue 17, the app: stalled clients, odd lengths, hostile JSON bodies, cross-site requests and aborted
clients are answered (or dropped) without a hang, a held thread or a traceback."""
from __future__ import annotations

import http.client
import json
import socket
import time

import pytest

from review.serve import server as server_mod
from review.serve import start_in_thread

from _serve_sample import make_review


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return make_review(tmp_path_factory.mktemp("serve-hardening"))[2]


@pytest.fixture
def server(out):
    s = start_in_thread(str(out), port=0)
    yield s
    s.stop()


def _post(s, raw: bytes, headers: dict[str, str] | None = None, path: str = "/api/decision"):
    host, port = s.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.putrequest("POST", path)
    hdrs = {"Content-Type": "application/json", "Content-Length": str(len(raw))}
    hdrs.update(headers or {})
    for k, v in hdrs.items():
        conn.putheader(k, v)
    conn.endheaders(raw)
    resp = conn.getresponse()
    body = json.loads(resp.read() or b"null")
    conn.close()
    return resp.status, body


def _raw(s, data: bytes, wait: float = 5.0) -> bytes:
    """Send raw bytes, return what the server answers before it closes (or ``wait`` passes)."""
    sock = socket.create_connection(s.httpd.server_address[:2], timeout=wait)
    try:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        sock.close()


def _alive(s) -> bool:
    host, port = s.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/api/decisions")
    ok = conn.getresponse().status == 200
    conn.close()
    return ok


@pytest.mark.parametrize("raw, message", [
    (b'{"fingerprint": "' + b"a" * 10 + b'", "verdict": "confirmed", "note": "\\ud800"}', "lone surrogate U+D800"),
    (b'{"fingerprint": ' + b"9" * 5000 + b"}", "a number 5,000 characters long"),
    (b"[" * 5000 + b"]" * 5000, "JSON nested 5000 levels deep"),
    (b'{"fingerprint": NaN}', "NaN is not a JSON number"),
])
def test_hostile_json_bodies_are_400(server, raw, message):
    status, body = _post(server, raw)
    assert status == 400 and message in body["error"]
    assert _alive(server)


def test_content_length_minus_one_does_not_block(server):
    host = "127.0.0.1:%d" % server.httpd.server_address[1]
    started = time.monotonic()
    answer = _raw(server, (f"POST /api/decision HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                           "Content-Length: -1\r\n\r\n{}").encode())
    assert time.monotonic() - started < 3
    assert answer.startswith(b"HTTP/1.1 400") and b"is not a length" in answer


def test_cross_site_post_without_origin_is_refused(server):
    status, body = _post(server, b"{}", {"Sec-Fetch-Site": "cross-site"})
    assert status == 403 and "another site" in body["error"]
    status, _ = _post(server, b"{}", {"Sec-Fetch-Site": "same-site"})
    assert status == 403
    status, _ = _post(server, b'{"fingerprint": "nope", "verdict": "confirmed"}', {"Sec-Fetch-Site": "same-origin"})
    assert status != 403


def test_stalled_client_is_dropped(out, monkeypatch):
    monkeypatch.setattr(server_mod.Handler, "timeout", 0.5)
    s = start_in_thread(str(out), port=0)
    try:
        host = "127.0.0.1:%d" % s.httpd.server_address[1]
        started = time.monotonic()
        # headers announce 100 bytes of body that never come
        answer = _raw(s, (f"POST /api/decision HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                          "Content-Length: 100\r\n\r\n{").encode(), wait=10)
        assert time.monotonic() - started < 5 and answer == b""
        started = time.monotonic()
        assert _raw(s, b"GET / HTTP/1.1\r\n", wait=10) == b""  # headers never finished
        assert time.monotonic() - started < 5
        assert _alive(s)
    finally:
        s.stop()


def test_connections_beyond_the_limit_are_closed_at_once(out, monkeypatch):
    monkeypatch.setattr(server_mod._Server, "max_connections", 2)
    s = start_in_thread(str(out), port=0)
    idle = [socket.create_connection(s.httpd.server_address[:2]) for _ in range(2)]
    try:
        time.sleep(0.3)
        started = time.monotonic()
        assert _raw(s, b"", wait=5) == b""  # the third is closed without waiting
        assert time.monotonic() - started < 3
        idle.pop().close()
        time.sleep(0.3)
        assert _alive(s)
    finally:
        for sock in idle:
            sock.close()
        s.stop()


def test_aborted_client_is_not_logged_as_a_traceback(out, capsys):
    s = start_in_thread(str(out), port=0, quiet=False)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), TimeoutError()):
            try:
                raise error
            except OSError:
                s.httpd.handle_error(None, ("127.0.0.1", 1))
        # a real client that sends a request and resets the connection before reading the answer
        for _ in range(5):
            sock = socket.create_connection(s.httpd.server_address[:2])
            port = s.httpd.server_address[1]
            sock.sendall(f"GET /api/pairs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
        time.sleep(0.5)
        assert _alive(s)
    finally:
        s.stop()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err
