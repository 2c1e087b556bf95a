"""A local Google Cloud Translation emulator: the v2 and v3 REST shapes the official clients send.

The official Python clients talk to it over HTTP (`client_options={"api_endpoint": emulator.url}`,
anonymous credentials, `transport="rest"` for v3). It "translates" deterministically with
`fake_translate`, enforces the real per-request limits (400 over them), can inject faults (429, 500,
403 rate limit, 403 and 429 daily quota, 403 permission denied, 404 as the API or as a proxy's HTML page,
a response with one translation missing, slow responses) and records
every request it receives, so tests and benchmarks can count requests and check their sizes.
"""

from __future__ import annotations

import html
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

V2_MAX_SEGMENTS = 128
V3_MAX_CONTENTS = 1024
V3_MAX_CODE_POINTS = 30_000

# Each fault: HTTP status and the error body the real API answers with (reason as the v2 API spells it).
FAULTS = {
    "429": (429, "RESOURCE_EXHAUSTED", "rateLimitExceeded", "Too many requests"),
    "500": (500, "INTERNAL", "backendError", "Internal error"),
    "503": (503, "UNAVAILABLE", "backendError", "Service unavailable"),
    "403-rate": (403, "PERMISSION_DENIED", "userRateLimitExceeded", "User Rate Limit Exceeded"),
    "403-daily": (403, "PERMISSION_DENIED", "dailyLimitExceeded", "Daily Limit Exceeded"),
    "429-daily": (
        429, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED",
        "Quota exceeded for quota metric 'v3 general model characters' and limit 'v3 general model characters per day'"
        " of service 'translate.googleapis.com' for consumer 'project_number:123'.",
    ),
    "403-denied": (403, "PERMISSION_DENIED", "accessNotConfigured", "Cloud Translation API has not been used in project"),
    "404": (404, "NOT_FOUND", "notFound", "Requested entity was not found."),
}
# Faults answered as a web server or proxy would, not as the API: HTTP status and an HTML page.
PAGE_FAULTS = {
    "404-html": (404, "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"),
}
# The faults a retrying client must survive; "slow" answers correctly but late.
TRANSIENT_FAULTS = ("429", "500", "503", "403-rate", "count", "slow")


def fake_translate(text: str, src: str, tgt: str) -> str:
    """The emulator's deterministic, reversible "translation": add `<tgt>` or remove a leading `<src>`."""
    marker = f"<{src}>"
    if text.startswith(marker):
        return text[len(marker) :]
    return f"<{tgt}>{text}"


@dataclass
class RecordedRequest:
    """One request as the emulator saw it."""

    api: str  # "v2" or "v3"
    contents: list[str]
    source: str
    target: str
    plain_text: bool  # v2 `format: "text"` / v3 `mimeType: "text/plain"` (else the API treats input as HTML)
    answered: bool = False  # True once a 200 response was fully written

    @property
    def code_points(self) -> int:
        """Code points in the request's texts (what Google bills and limits)."""
        return sum(len(text) for text in self.contents)


@dataclass
class EmulatorConfig:
    """What the emulator does to each request: latency, a random fault rate, scripted faults."""

    latency_s: float = 0.0
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = TRANSIENT_FAULTS
    seed: int = 1
    always: str | None = None  # a fault answered to every request, e.g. "403-daily"
    scripted: list[str | None] = field(default_factory=list)  # faults for the next requests in order (None: none)
    escape_entities: bool = False  # answer HTML entities even for format "text" (an old-API quirk)


class GoogleTranslateEmulator:
    """A threaded HTTP server on 127.0.0.1 speaking Translation v2 and v3 REST; use as a context manager."""

    def __init__(self, config: EmulatorConfig | None = None, port: int = 0) -> None:
        self.config = config or EmulatorConfig()
        self.requests: list[RecordedRequest] = []
        self.faults_sent: list[str] = []
        self._lock = threading.Lock()
        self._random = random.Random(self.config.seed)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        """The endpoint to give the clients (`http://127.0.0.1:PORT`)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> GoogleTranslateEmulator:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> GoogleTranslateEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget the recorded requests and faults."""
        with self._lock:
            self.requests.clear()
            self.faults_sent.clear()

    @property
    def answered(self) -> list[RecordedRequest]:
        """The requests that got a successful answer."""
        with self._lock:
            return [request for request in self.requests if request.answered]

    def _choose_fault(self) -> str | None:
        with self._lock:
            if self.config.always:
                fault = self.config.always
            elif self.config.scripted:
                fault = self.config.scripted.pop(0)
                if fault is None:
                    return None
            elif self.config.fault_rate and self._random.random() < self.config.fault_rate:
                fault = self._random.choice(self.config.fault_kinds)
            else:
                return None
            self.faults_sent.append(fault)
            return fault

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


def _limit_error(request: RecordedRequest) -> str | None:
    if request.api == "v2" and len(request.contents) > V2_MAX_SEGMENTS:
        return "Too many text segments"
    if request.api == "v3" and len(request.contents) > V3_MAX_CONTENTS:
        return f"Number of contents exceeds the limit of {V3_MAX_CONTENTS}"
    if request.api == "v3" and request.code_points > V3_MAX_CODE_POINTS:
        return f"Text too long: {request.code_points} code points exceed {V3_MAX_CODE_POINTS}"
    return None


def _error_body(status: int, grpc_status: str, reason: str, message: str) -> dict:
    return {
        "error": {
            "code": status,
            "message": message,
            "status": grpc_status,
            "errors": [{"domain": "usageLimits" if status in (403, 429) else "global", "reason": reason, "message": message}],
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": "googleapis.com"}],
        }
    }


def _parse(path: str, body: dict) -> RecordedRequest | None:
    """The request's texts and languages for a v2 or v3 translate call; None for any other path."""
    path = path.split("?", 1)[0]
    if path.rstrip("/") == "/language/translate/v2":
        texts = body.get("q") or []
        contents = [texts] if isinstance(texts, str) else list(texts)
        return RecordedRequest("v2", contents, body.get("source") or "", body["target"], body.get("format") == "text")
    if path.startswith("/v3/") and path.endswith(":translateText"):
        contents = list(body.get("contents") or [])
        plain = body.get("mimeType") == "text/plain"
        return RecordedRequest("v3", contents, body.get("sourceLanguageCode") or "", body["targetLanguageCode"], plain)
    return None


def _answer(request: RecordedRequest, fault: str | None, escape: bool) -> dict:
    translations = [fake_translate(text, request.source, request.target) for text in request.contents]
    if fault == "count":
        translations = translations[:-1]
    if request.api == "v2":
        if escape or not request.plain_text:
            translations = [html.escape(text) for text in translations]
        return {"data": {"translations": [{"translatedText": text} for text in translations]}}
    return {"translations": [{"translatedText": text} for text in translations]}


def _handler_for(emulator: GoogleTranslateEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _send_page(self, status: int, page: str) -> None:
            data = page.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def do_POST(self) -> None:  # noqa: N802 - the http.server naming
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            request = _parse(self.path, body)
            if request is None:
                self._send(404, _error_body(404, "NOT_FOUND", "notFound", f"no such method: {self.path}"))
                return
            emulator._record(request)
            if emulator.config.latency_s:
                time.sleep(emulator.config.latency_s)
            limit_error = _limit_error(request)
            if limit_error:
                self._send(400, _error_body(400, "INVALID_ARGUMENT", "invalid", limit_error))
                return
            fault = emulator._choose_fault()
            if fault in FAULTS:
                self._send(FAULTS[fault][0], _error_body(*FAULTS[fault]))
                return
            if fault in PAGE_FAULTS:
                self._send_page(*PAGE_FAULTS[fault])
                return
            if fault == "slow":
                time.sleep(max(emulator.config.latency_s, 0.05) * 5)
            self._send(200, _answer(request, fault, emulator.config.escape_entities))
            if fault != "count":
                request.answered = True

    return Handler
