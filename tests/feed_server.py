"""A small HTTP server on 127.0.0.1 for the feed tests: routes the test writes, every request logged.

Each route is a function of the request returning (status, headers, body);
a body may be an iterable of chunks (a feed that never ends). The server
runs in a thread for the test and is shut down after it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


Answer = tuple[int, dict[str, str], "bytes | Iterable[bytes]"]
Route = Callable[[Request], Answer]


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)  # set at shutdown: slow routes return
    served: threading.Condition = field(default_factory=threading.Condition)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    # --- routes the tests use ---------------------------------------------

    def static(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
               status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda _r: (status, {"Content-Type": content_type, **(headers or {})}, data)

    def feed(self, path: str, body: str, content_type: str = "application/rss+xml; charset=utf-8") -> None:
        """A feed that answers 304 to a request carrying its current ETag or Last-Modified."""
        data = body.encode("utf-8")
        etag = f'"v{abs(hash(data))}"'
        modified = "Mon, 04 Mar 2024 10:00:00 GMT"

        def answer(request: Request) -> Answer:
            if request.headers.get("if-none-match") == etag or (
                "if-none-match" not in request.headers and request.headers.get("if-modified-since") == modified
            ):
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified}, data

        self.routes[path] = answer


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
            with server.served:
                server.log.append(request)
                server.served.notify_all()
            route = server.routes.get(self.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = route(request)
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if isinstance(body, bytes):
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in body:
                        self.wfile.write(chunk)
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


def start(server: FeedServer) -> tuple[ThreadingHTTPServer, threading.Thread]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return httpd, thread


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
