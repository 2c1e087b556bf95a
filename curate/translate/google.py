"""Google Cloud Translation backends through the official clients: v3 (Advanced) and v2 (Basic).

With `endpoint` the clients talk to another host (an emulator, a proxy) with anonymous credentials;
otherwise v3 uses Application Default Credentials and v2 the API key in GOOGLE_TRANSLATE_API_KEY (or
ADC). Each worker thread gets its own client. Errors are classified for the translator: 429, 5xx and
403 rate limits are retried; a daily quota, a permission problem or a rejected request stops the run.
"""

from __future__ import annotations

import html
import http
import os
import socket
import ssl
import threading
from collections.abc import Callable
from typing import Any

from curate.languages import get_language

from .base import Backend, BatchLimits, ErrorKind
from .errors import ResponseCountError, TranslationStopped

PRICE_PER_MILLION_CHARS = 20.0
DEFAULT_QUOTA_CHARS_PER_MINUTE = 6_000_000
REQUEST_TIMEOUT_S = 120.0
DETAIL_CHARS = 200  # of a server's answer quoted in an error
_RATE_REASONS = {"ratelimitexceeded", "userratelimitexceeded", "rate_limit_exceeded"}
_DAILY_REASONS = {"dailylimitexceeded", "quotaexceeded", "dailylimitexceededunreg"}
_CREDENTIALS_HELP = (
    "no Google credentials found: run `gcloud auth application-default login` or set "
    "GOOGLE_APPLICATION_CREDENTIALS (v2 also takes GOOGLE_TRANSLATE_API_KEY), or use --backend hf"
)


class _GoogleBackend(Backend):
    """What v2 and v3 share: a client per thread, error classification, pricing."""

    price_per_million_chars = PRICE_PER_MILLION_CHARS
    not_found_resources = ""  # what else a 404 from the right endpoint can mean (v3: a missing project or model)
    default_concurrency = 8
    default_chars_per_minute = DEFAULT_QUOTA_CHARS_PER_MINUTE

    def __init__(self, make_client: Callable[[], Any], endpoint: str | None) -> None:
        from google.auth.exceptions import DefaultCredentialsError

        self.endpoint = endpoint or "https://translation.googleapis.com"
        self._make_client = make_client
        self._local = threading.local()
        try:
            self._client()  # fail now, in one line, when there are no credentials
        except DefaultCredentialsError:
            raise TranslationStopped(_CREDENTIALS_HELP) from None

    def _client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._make_client()
        return client

    def error_kind(self, exc: BaseException) -> ErrorKind | None:
        """429 / 5xx / 403-rate-limit / connection errors: transient; daily quota, 401/403, 400: stop."""
        import requests
        from google.api_core import exceptions as api

        if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
            return "transient"
        if not isinstance(exc, api.GoogleAPICallError):
            return None
        reasons = _reasons(exc)
        if _is_daily_quota(exc):
            return "stop"
        if isinstance(exc, (api.TooManyRequests, api.ResourceExhausted, api.ServerError)):
            return "transient"
        if isinstance(exc, api.Forbidden) and (reasons & _RATE_REASONS or "rate limit" in exc.message.lower()):
            return "transient"
        if isinstance(exc, (api.Forbidden, api.Unauthorized, api.BadRequest, api.NotFound)):
            return "stop"
        return None

    def is_unreachable(self, exc: BaseException) -> bool:
        """True when no connection could be made: refused, unknown host, TLS failure, proxy refusal, connect timeout."""
        import requests
        from urllib3 import exceptions as urllib3_errors

        unreachable = (
            urllib3_errors.NewConnectionError,  # refused, unknown host (NameResolutionError), connect timeout
            urllib3_errors.SSLError, urllib3_errors.ProxyError, requests.exceptions.SSLError,
            requests.exceptions.ProxyError, requests.exceptions.ConnectTimeout,
            ConnectionRefusedError, socket.gaierror, ssl.SSLError,
        )
        return any(isinstance(link, unreachable) for link in _chain(exc))

    def retry_reason(self, exc: BaseException) -> str:
        """"connection refused", "unknown host", "TLS failure", "timeout", "429 rate limit", "503 Service Unavailable"..."""
        import requests
        from google.api_core import exceptions as api
        from urllib3 import exceptions as urllib3_errors

        chain = _chain(exc)
        for kinds, words in (
            ((ConnectionRefusedError,), "connection refused"),
            ((socket.gaierror, urllib3_errors.NameResolutionError), "unknown host"),
            ((ssl.SSLError, urllib3_errors.SSLError, requests.exceptions.SSLError), "TLS failure"),
            ((urllib3_errors.ProxyError, requests.exceptions.ProxyError), "proxy error"),
            ((ConnectionResetError, urllib3_errors.ProtocolError), "connection reset"),
            ((requests.Timeout, TimeoutError, socket.timeout, urllib3_errors.TimeoutError), "timeout"),
        ):
            if any(isinstance(link, kinds) for link in chain):
                return words
        if isinstance(exc, api.GoogleAPICallError) and exc.code:
            try:
                phrase = http.HTTPStatus(int(exc.code)).phrase
            except ValueError:
                phrase = ""
            rate = " (rate limit)" if exc.code == 429 or _reasons(exc) & _RATE_REASONS else ""
            return f"{int(exc.code)} {phrase}{rate}".strip()
        return super().retry_reason(exc)

    def stop_message(self, exc: BaseException) -> str:
        """What happened and what to do, for a daily quota, a permission problem or a rejected request."""
        from google.api_core import exceptions as api

        detail = _detail(exc)
        if _is_daily_quota(exc):
            return (
                f"{self.name}: the daily quota is used up ({detail}); rerun after it resets at midnight "
                "US Pacific time or raise it in the Cloud console (IAM & Admin > Quotas)"
            )
        if isinstance(exc, api.NotFound):  # a wrong host/port/path or a proxy, far more often than a bad request
            then = f"; if it is right, check {self.not_found_resources}" if self.not_found_resources else ""
            return (
                f"{self.name}: {self.endpoint} answered 404 Not Found to the translate request ({detail}): the "
                "endpoint is the likely cause (a wrong host, port or path, or a proxy in between), not the language "
                f"codes; check --google-endpoint and any proxy{then}"
            )
        if isinstance(exc, api.BadRequest):
            return f"{self.name}: the request was rejected ({detail}); check the language codes, project and model"
        return (
            f"{self.name}: permission denied ({detail}); check that the Cloud Translation API is enabled for the "
            "project, billing is on and the credentials may use it"
        )


def _detail(exc: BaseException) -> str:
    """`CODE reasons: message` of an API error on one line; a long answer (a proxy's HTML page) cut to
    `DETAIL_CHARS` characters."""
    reasons = ", ".join(sorted(_reasons(exc)))
    message = " ".join(str(getattr(exc, "message", exc)).split())
    if len(message) > DETAIL_CHARS:
        message = message[:DETAIL_CHARS] + "..."
    return f"{getattr(exc, 'code', '') or ''} {reasons}".strip() + f": {message}"


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception behind it: causes, contexts, urllib3's `reason`, and exceptions in `args`."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        link = todo.pop()
        if not isinstance(link, BaseException) or any(link is known for known in seen):
            continue
        seen.append(link)
        todo.extend([link.__cause__, link.__context__, getattr(link, "reason", None)])
        todo.extend(arg for arg in getattr(link, "args", ()) if isinstance(arg, BaseException))
    return seen


def _is_daily_quota(exc: BaseException) -> bool:
    """True for a daily limit (a 403 or 429 that no retry within the day fixes): v2's "Daily Limit
    Exceeded", or a "Quota exceeded ... limit '... per day'" (v3 says RATE_LIMIT_EXCEEDED for both kinds)."""
    message = str(getattr(exc, "message", "")).lower()
    return bool(_reasons(exc) & _DAILY_REASONS) or "daily limit" in message or "per day" in message


def _reasons(exc: BaseException) -> set[str]:
    """The lower-cased error reasons of a Google API error (v2 `errors` list and v3 ErrorInfo)."""
    reasons = {str(error.get("reason", "")).lower() for error in getattr(exc, "errors", None) or [] if isinstance(error, dict)}
    if getattr(exc, "reason", None):
        reasons.add(str(exc.reason).lower())
    return reasons - {""}


def _anonymous_options(endpoint: str | None) -> dict[str, Any]:
    """Client keyword arguments pointing at `endpoint` with anonymous credentials (nothing without one)."""
    if not endpoint:
        return {}
    from google.auth.credentials import AnonymousCredentials

    return {"credentials": AnonymousCredentials(), "client_options": {"api_endpoint": endpoint}}


class GoogleV3Backend(_GoogleBackend):
    """Cloud Translation Advanced (v3) `translateText`: 1,024 contents and 30,000 code points a request."""

    name = "google-v3"
    not_found_resources = "the project, location and model"
    limits = BatchLimits(max_segments=1024, max_chars=30_000, max_piece_chars=30_000)

    def __init__(self, project: str | None = None, endpoint: str | None = None, model: str | None = None, location: str = "global") -> None:
        project = project or os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCLOUD_PROJECT")
        if not project and endpoint:
            project = "local"
        if not project:
            project = _adc_project()
        self.parent = f"projects/{project}/locations/{location}"
        self.model = model or "general/nmt"
        self._model_path = f"{self.parent}/models/{model}" if model else None
        self._endpoint = endpoint
        super().__init__(self._new_client, endpoint)

    def _new_client(self) -> Any:
        from google.cloud import translate_v3

        return translate_v3.TranslationServiceClient(transport="rest", **_anonymous_options(self._endpoint))

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """One translateText call (plain text, not HTML)."""
        request = {
            "parent": self.parent,
            "contents": texts,
            "mime_type": "text/plain",
            "source_language_code": get_language(src).google,
            "target_language_code": get_language(tgt).google,
        }
        if self._model_path:
            request["model"] = self._model_path
        response = self._client().translate_text(request=request, timeout=REQUEST_TIMEOUT_S)
        return [translation.translated_text for translation in response.translations]


def _adc_project() -> str:
    """The project of the Application Default Credentials, or a clear error saying how to set one."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        _, project = google.auth.default()
    except DefaultCredentialsError:
        raise TranslationStopped(_CREDENTIALS_HELP) from None
    if not project:
        raise ValueError("google-v3 needs a project: pass --google-project ID or set GOOGLE_CLOUD_PROJECT")
    return project


class GoogleV2Backend(_GoogleBackend):
    """Cloud Translation Basic (v2): 128 segments a request; `format_="text"`, entities unescaped anyway."""

    name = "google-v2"
    # The API takes 100K bytes a request: 25,000 code points stay under it even for 3-byte CJK text.
    limits = BatchLimits(max_segments=128, max_chars=25_000, max_piece_chars=25_000)

    def __init__(self, endpoint: str | None = None, model: str | None = None, api_key: str | None = None) -> None:
        self.model = model or "nmt"
        self._request_model = model
        self._endpoint = endpoint
        self._api_key = api_key or os.environ.get("GOOGLE_TRANSLATE_API_KEY")
        super().__init__(self._new_client, endpoint)

    def _new_client(self) -> Any:
        from google.cloud import translate_v2

        options = _anonymous_options(self._endpoint)
        if self._api_key and not self._endpoint:
            from google.auth import api_key

            options = {"credentials": api_key.Credentials(self._api_key)}
        return translate_v2.Client(**options)

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """One v2 translate call; the client's own count check becomes a ResponseCountError."""
        try:
            answers = self._client().translate(
                texts,
                target_language=get_language(tgt).google,
                source_language=get_language(src).google,
                format_="text",
                model=self._request_model,
            )
        except ValueError as exc:
            if exc.args and exc.args[0] == "Expected iterations to have same length":
                raise ResponseCountError(f"google-v2 answered {len(exc.args[2])} translations for {len(texts)} texts") from None
            raise
        return [html.unescape(answer["translatedText"]) for answer in answers]
