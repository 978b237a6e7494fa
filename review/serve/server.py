"""The HTTP side of ``mtreview serve``: the standard library's ``ThreadingHTTPServer``, loopback by default.

Routes:

- ``GET /``: the page (the HTML report with decision controls);
- ``GET /api/pairs``: the pairs, their findings (each with its ``fingerprint`` and
  ``decision``), the name proposals (with ``id`` and ``decision``) and the glossary file;
- ``GET /api/decisions``: the stored decisions;
- ``POST /api/decision``: ``{"fingerprint", "verdict": "confirmed"|"false_alarm"|null, "note"}``;
- ``POST /api/proposal``: ``{"key", "verdict": "accepted"|"rejected"|null, "preferred", "note"}``; accepting
  writes the glossary (the chosen spelling preferred, the others deprecated), null undoes the decision
  (an accepted entry goes back to what it was).

Requests that could come from another site are refused: every request must name
this server in ``Host`` (a DNS-rebinding page cannot), and a POST must send
``Content-Type: application/json`` (a cross-site form cannot without a CORS
preflight, which this server never grants) and, when the browser sends an
``Origin``, an origin equal to this server.  Errors are JSON ``{"error": message}``.
"""
from __future__ import annotations

import ipaddress
import json
import socket
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlsplit

from corpus import limits
from corpus.errors import MtreviewError
from review.serve.app import ApiError, ReviewApp

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_BODY_BYTES = 64 * 1024
SOCKET_TIMEOUT = 20.0
"""Seconds a connection may sit without sending (headers or body) before it is closed."""
MAX_CONNECTIONS = 64
"""Connections served at once; more are closed at once (each holds a thread)."""

_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
        "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class ServeError(MtreviewError):
    """The server cannot start as asked (a non-loopback address without --allow-remote, a port in use...)."""


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> str | None:
    """Refuse a non-loopback ``host`` unless ``allow_remote``; returns a warning to show when it is allowed."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise ServeError(f"refusing to listen on {host}: the app has no login and writes files; it listens on "
                         "loopback only (127.0.0.1, ::1, localhost) unless you add --allow-remote")
    return (f"Warning: listening on {host}: anyone who can reach this address can read the review and change "
            "decisions and the glossary (there is no login)")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    max_connections = MAX_CONNECTIONS

    def __init__(self, address, handler, app: ReviewApp, allow_remote: bool, quiet: bool):
        host = address[0]
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__(address, handler)
        self.app = app
        self.allow_remote = allow_remote
        self.quiet = quiet
        self._slots = threading.BoundedSemaphore(self.max_connections)

    def process_request(self, request, client_address) -> None:
        # one thread per connection, but never more than max_connections: a flood of idle sockets
        # is turned away at once instead of holding a thread each
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        # a client that went away (closed tab, aborted fetch) is not an error worth a traceback
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        if not self.quiet:
            sys.stderr.write(f"{client_address[0]} - request failed: {type(error).__name__}: {error}\n")

    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        names = {"127.0.0.1", "localhost", "[::1]"}
        bound = self.server_address[0]
        names.add(f"[{bound}]" if ":" in bound else bound)
        return {f"{n}:{port}".lower() for n in names}


class Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "mtreview-serve"
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT  # a stalled client (slow headers or body) is dropped, not waited on for ever

    # --- plumbing ----------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _host_ok(self) -> bool:
        if self.server.allow_remote:
            return True
        host = (self.headers.get("Host") or "").lower()
        if host in self.server.allowed_hosts():
            return True
        self._error(403, f"Host {host or '(none)'!r} is not this server; open it as http://127.0.0.1:"
                         f"{self.server.server_address[1]}/")
        return False

    def _guarded(self, route: Callable[[], None]) -> None:
        try:
            route()
        except ApiError as e:
            self._error(e.status, e.message)
        except MtreviewError as e:  # a broken output file, a database problem: said plainly
            self._error(500, str(e))
        except ConnectionError:
            raise  # the client went away: nothing to answer (the server drops it quietly)
        except Exception as e:  # noqa: BLE001 - a bug answers 500 and is logged, the connection lives on
            if not self.server.quiet:
                sys.stderr.write(f"{self.address_string()} - internal error: {type(e).__name__}: {e}\n")
            self._error(500, f"internal error: {type(e).__name__}")

    # --- routes ------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        app = self.server.app
        if path in ("/", "/index.html"):
            def page() -> None:
                from review.serve.page import render_page
                self._send(200, render_page(app).encode("utf-8"), "text/html; charset=utf-8",
                           {"Content-Security-Policy": _CSP})
            self._guarded(page)
        elif path == "/api/pairs":
            self._guarded(lambda: self._json(200, app.state()))
        elif path == "/api/decisions":
            def decisions() -> None:
                d = app.decisions()
                self._json(200, {"findings": [x.to_dict() for x in d.findings.values()],
                                 "proposals": [x.to_dict() for x in d.proposals.values()]})
            self._guarded(decisions)
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")
        else:
            self._error(404, f"no such page: {path}")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        routes = {"/api/decision": self.server.app.decide_finding, "/api/proposal": self.server.app.decide_proposal}
        if path not in routes:
            self._drain()
            self._error(404, f"no such endpoint: POST {path}")
            return
        fetch_site = (self.headers.get("Sec-Fetch-Site") or "").lower()
        if fetch_site not in ("", "same-origin", "none"):
            # a browser says the request comes from another site (even when it sends no Origin)
            self._drain()
            self._error(403, f"request from another site refused (Sec-Fetch-Site: {fetch_site})")
            return
        origin = self.headers.get("Origin")
        if origin is not None:
            o = urlsplit(origin)
            if o.scheme != "http" or (o.netloc or "").lower() != (self.headers.get("Host") or "").lower():
                self._drain()
                self._error(403, f"cross-origin request from {origin!r} refused")
                return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            self._drain()
            self._error(415, "send the request body as JSON (Content-Type: application/json)")
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self._error(411, "a Content-Length header is required")
            self.close_connection = True
            return
        if length < 0:
            self._error(400, f"Content-Length {length} is not a length")
            self.close_connection = True
            return
        if length > MAX_BODY_BYTES:
            self._error(413, f"request body of {length} bytes; at most {MAX_BODY_BYTES}")
            self.close_connection = True
            return
        raw = self.rfile.read(length)
        if len(raw) < length:  # the client closed before sending the body it announced
            self.close_connection = True
            return
        try:
            payload = limits.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self._error(400, f"invalid JSON: {e}")
            return
        except limits.LimitError as e:  # a huge number, deep nesting, a lone surrogate
            self._error(400, f"refused JSON: {e}")
            return
        self._guarded(lambda: self._json(200, routes[path](payload)))

    def _drain(self) -> None:
        """Read a refused request's body so that the connection can carry the next request."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return
        if 0 < length <= MAX_BODY_BYTES:
            self.rfile.read(length)
        elif length:
            self.close_connection = True


@dataclass
class RunningServer:
    """A started server: its URL, and ``stop()``."""

    httpd: _Server
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def make_server(out_dir: str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, glossary: str | None = None,
                allow_remote: bool = False, quiet: bool = True, profile: str | None = None) -> RunningServer:
    """Bind a server over review output ``out_dir`` (``port=0``: any free port); not yet serving."""
    check_host(host, allow_remote)
    app = ReviewApp(out_dir, glossary, profile)
    try:
        httpd = _Server((host, port), Handler, app, allow_remote, quiet)
    except OSError as e:
        raise ServeError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    return RunningServer(httpd)


def start_in_thread(out_dir: str, **kwargs: Any) -> RunningServer:
    """A server serving from a background thread (tests, notebooks); ``stop()`` ends it."""
    server = make_server(out_dir, **kwargs)
    # a short poll so that stop() returns at once (shutdown waits for the loop's next poll)
    server.thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                     name="mtreview-serve", daemon=True)
    server.thread.start()
    return server


def serve(out_dir: str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, glossary: str | None = None,
          allow_remote: bool = False, quiet: bool = False, announce: Callable[[str], None] = print,
          profile: str | None = None) -> None:
    """Serve until interrupted (Ctrl-C); ``announce`` is told the URL (and the warning for a remote address)."""
    warning = check_host(host, allow_remote)
    if warning:
        announce(warning)
    server = make_server(out_dir, host=host, port=port, glossary=glossary, allow_remote=allow_remote, quiet=quiet,
                         profile=profile)
    announce(f"mtreview serve: reviewing {out_dir} at {server.url} (Ctrl-C to stop)")
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        announce("mtreview serve: stopped")
    finally:
        server.httpd.server_close()
