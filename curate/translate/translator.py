"""The translator: everything around a backend (cache, splitting, batching, concurrency, rate, retries).

`Translator.translate(texts, src, tgt)` returns one translation per text, in order. Texts are NFC and
stripped; empty and whitespace-only ones become "" without being sent; duplicates are sent once;
texts longer than one request are split at sentence ends and their translations rejoined. Every
answered request is committed to the cache as it arrives.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from tqdm import tqdm

from curate.languages import get_language

from .base import Backend
from .cache import CacheKey, TranslationCache
from .counters import Counters
from .errors import GaveUpRetrying, ResponseCountError, TranslationStopped
from .ratelimit import CharsPerMinuteLimiter
from .retry import RetryPolicy
from .segment import join_pieces, pack_batches, split_long


class Translator:
    """Translates batches of texts through one backend, never paying twice for a text.

    `retry_initial`, `retry_maximum` and `retry_timeout` (seconds) shape the exponential backoff with
    full jitter on transient errors (see `retry.RetryPolicy`): every retry is reported as one line
    (stderr, or the Prefect task log inside a flow). Until one request of this translator has
    succeeded, an endpoint that cannot be reached (refused, unknown host, TLS failure) stops the run
    after `connect_attempts` attempts instead; `batch_chars` lowers the code points per request
    below the backend's limit.
    """

    def __init__(
        self,
        backend: Backend,
        cache: TranslationCache | None = None,
        concurrency: int | None = None,
        chars_per_minute: int | None = None,
        batch_chars: int | None = None,
        retry_initial: float = 1.0,
        retry_maximum: float = 60.0,
        retry_timeout: float = 600.0,
        connect_attempts: int = 3,
        progress: bool = True,
    ) -> None:
        self.backend = backend
        self.cache = cache if cache is not None else TranslationCache(None)
        self.concurrency = max(1, concurrency or backend.default_concurrency)
        rate = chars_per_minute or backend.default_chars_per_minute
        self.limiter = CharsPerMinuteLimiter(rate) if rate else None
        self.batch_chars = batch_chars
        self.progress = progress
        self.counters = Counters(backend.name, backend.model, backend.price_per_million_chars)
        self._retry = RetryPolicy(
            backend,
            initial_s=retry_initial,
            maximum_s=retry_maximum,
            timeout_s=retry_timeout,
            connect_attempts=connect_attempts,
            is_transient=self._is_transient,
            on_retry=self.counters.add_retry,
        )

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[str]:
        """One translation per text, same order; raises TranslationStopped when the run cannot go on."""
        get_language(src), get_language(tgt)
        cleaned = [unicodedata.normalize("NFC", text).strip() for text in texts]
        self.counters.empty += sum(1 for text in cleaned if not text)
        self.counters.texts += sum(1 for text in cleaned if text)
        pieces = {text: split_long(text, self.backend.limits.max_piece_chars) for text in cleaned if text}
        segments = list(dict.fromkeys(piece for text_pieces in pieces.values() for piece in text_pieces))
        self.counters.segments += len(segments)
        key: CacheKey = (self.backend.name, self.backend.model_identity(), src, tgt)
        done = self.cache.get_many(key, segments) if self.backend.cacheable else {}
        self.counters.cache_hits += len(done)
        pending = [segment for segment in segments if segment not in done]
        if pending:
            done.update(self._send_all(pending, key))
        return [join_pieces([done[piece] for piece in pieces[text]], tgt) if text else "" for text in cleaned]

    def _send_all(self, pending: list[str], key: CacheKey) -> dict[str, str]:
        src, tgt = key[2], key[3]
        batches = pack_batches(pending, self.backend.limits, self.batch_chars)
        answered: dict[str, str] = {}
        bar = tqdm(total=len(pending), unit="text", desc=f"translate {src}->{tgt}", file=sys.stderr, disable=not self.progress)
        self._retry.bar = bar
        with bar, ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="translate") as pool:
            futures = {pool.submit(self._send, batch, src, tgt): batch for batch in batches}
            not_done: set[Future] = set(futures)
            try:
                while not_done:
                    finished, not_done = wait(not_done, return_when=FIRST_COMPLETED)
                    for future in finished:
                        if future.exception() is None:  # commit every success before raising a failure
                            self._commit(key, futures[future], future.result(), answered)
                            bar.update(len(futures[future]))
                    failure = next((future.exception() for future in finished if future.exception() is not None), None)
                    if failure is not None:
                        raise failure
            except BaseException as exc:
                self._keep_in_flight(not_done, futures, key, answered)
                stopped = self._stopped(exc, len(pending), len(answered))
                if stopped is exc:
                    raise
                raise stopped from exc
        return answered

    def _send(self, batch: list[str], src: str, tgt: str) -> list[str]:
        return self._retry.call(self._attempt, batch, src, tgt)

    def _attempt(self, batch: list[str], src: str, tgt: str) -> list[str]:
        chars = sum(len(text) for text in batch)
        if self.limiter:
            self.limiter.acquire(chars)
        self.counters.add_request(chars)
        translations = self.backend.translate_batch(batch, src, tgt)
        if len(translations) != len(batch):
            raise ResponseCountError(f"{self.backend.name} answered {len(translations)} translations for {len(batch)} texts")
        return [unicodedata.normalize("NFC", text).strip() for text in translations]

    def _commit(self, key: CacheKey, batch: list[str], translations: list[str], answered: dict[str, str]) -> None:
        pairs = list(zip(batch, translations, strict=True))
        if self.backend.cacheable:
            self.cache.put_many(key, pairs)
        answered.update(pairs)
        self.counters.translated += len(pairs)

    def _keep_in_flight(self, not_done: set[Future], futures: dict[Future, list[str]], key: CacheKey, answered: dict[str, str]) -> None:
        """After a failure: cancel what was not sent, and still cache what the requests in flight bring back."""
        for future in not_done:
            future.cancel()
        for future in not_done:
            if not future.cancelled() and future.exception() is None:
                self._commit(key, futures[future], future.result(), answered)

    def _stopped(self, exc: BaseException, pending: int, answered: int) -> BaseException:
        """The error to raise: a clean stop for quota/permission/retry exhaustion, else `exc` itself."""
        progress = f"{answered} of {pending} texts answered and cached in this run; a rerun resumes from there"
        if isinstance(exc, TranslationStopped):  # the endpoint cannot be reached: nothing was answered
            return exc
        if isinstance(exc, GaveUpRetrying):
            cause = exc.cause
            return TranslationStopped(f"{self.backend.name}: gave up retrying ({type(cause).__name__}: {cause}); {progress}")
        if self.backend.error_kind(exc) == "stop":
            return TranslationStopped(f"{self.backend.stop_message(exc)} ({progress})")
        return exc

    def _is_transient(self, exc: BaseException) -> bool:
        return isinstance(exc, ResponseCountError) or self.backend.error_kind(exc) == "transient"

    def close(self) -> None:
        """Close the cache."""
        self.cache.close()
