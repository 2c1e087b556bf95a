"""A local static web server for fixture sites and the demo (stdlib `http.server`, threaded).

Text files (html/htm/xml/rss/txt/aspx) may hold `{{base_url}}`, replaced at serve time so sitemaps
and feeds can carry absolute URLs, and `{{next_page}}`, replaced by the `page` query value + 1 (an
endless pagination trap in one file). An optional `_responses.json` in the root maps paths to
canned responses: `{"/a.htm": {"status": 302, "location": "/b.htm"}, "/x": {"status": 500},
"/big.htm": {"status": 200, "body_bytes": 3000000}}`; `"times": N` limits a canned response to the
first N requests of its path (then the file is served: a page that fails once, then recovers), and
`"headers"` adds response headers (`{"Retry-After": "1"}`); `"file": true` serves the file itself
with those headers and that status (`{"/a.htm": {"file": true, "headers": {"Content-Type": "text/html;
charset=iso-8859-1"}}}`: a server that lies about a page's charset; `{"/robots.txt": {"file": true,
"status": 503}}`).
"""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".rss", ".txt", ".aspx", ""}
CONTENT_TYPES = {".htm": "text/html", ".html": "text/html", ".aspx": "text/html", ".rss": "application/rss+xml",
                 ".xml": "application/xml", ".txt": "text/plain", "": "text/html"}


@contextmanager
def serve_site(root: Path, request_log: list[str] | None = None) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) in a background thread; yield the base URL.

    Args:
        root: folder to serve.
        request_log: when given, each requested path (with query) is appended to it.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"no such site folder: {root}")
    canned_path = root / "_responses.json"
    canned = json.loads(canned_path.read_text(encoding="utf-8")) if canned_path.exists() else {}
    server = _QuietServer(("127.0.0.1", 0), _handler(root, canned, request_log))
    thread = threading.Thread(target=server.serve_forever, name="serve_site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietServer(ThreadingHTTPServer):
    """Threaded server that does not print a traceback when a client hangs up (a cancelled download)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Ignore client disconnects; they are normal when a crawler cancels a too-large page."""


def _handler(root: Path, canned: dict, request_log: list[str] | None) -> type[SimpleHTTPRequestHandler]:
    canned_hits: dict[str, int] = {}

    class SiteHandler(SimpleHTTPRequestHandler):
        """Serves files from `root` with placeholders filled in, and the canned responses."""

        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            """Answer a GET."""
            self._respond(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            """Answer a HEAD (headers only)."""
            self._respond(with_body=False)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            """Stay quiet: tests and the demo read the request log instead."""

        def _respond(self, with_body: bool) -> None:
            if request_log is not None:
                request_log.append(self.path)
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            spec = canned.get(path, {})
            if spec and not spec.get("file") and canned_hits.setdefault(path, 0) < spec.get("times", float("inf")):
                canned_hits[path] += 1
                self._send_canned(spec, with_body)
                return
            file = (root / path.lstrip("/")).resolve()
            if file.is_dir():
                file = file / "index.html"
            if root not in file.parents or not file.is_file() or file.name == "_responses.json":
                self._send(404, b"not found", "text/plain", with_body)
                return
            body = file.read_bytes()
            if file.suffix in TEXT_SUFFIXES:
                page_arg = (parse_qs(parts.query).get("page") or ["1"])[0]
                page = int(page_arg) if page_arg.isdigit() else 1
                body = body.replace(b"{{base_url}}", self._base_url().encode()).replace(
                    b"{{next_page}}", str(page + 1).encode()
                )
            headers = dict(spec.get("headers", {})) if spec.get("file") else {}
            content_type = headers.pop("Content-Type", None) or CONTENT_TYPES.get(file.suffix) \
                or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self._send(int(spec.get("status", 200)) if spec.get("file") else 200, body, content_type, with_body, headers)

        def _send_canned(self, spec: dict, with_body: bool) -> None:
            status = int(spec.get("status", 200))
            headers = {"Location": spec["location"]} if "location" in spec else {}
            headers.update(spec.get("headers", {}))
            body = b"<html><body>" + b"x" * int(spec.get("body_bytes", 0)) + b"</body></html>"
            self._send(status, body, "text/html", with_body, headers)

        def _send(self, status: int, body: bytes, content_type: str, with_body: bool, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def _base_url(self) -> str:
            return f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"

    return SiteHandler
