"""The one registry of translation backends: name -> factory. The CLI, the recipe and the docs read it.

A factory takes one argument, the whole `TranslatorSpec` (curate.translate.spec: backend, memory,
google_endpoint, google_project, model), and returns a configured `Backend`; heavy libraries are
imported inside it, never here. A new backend is `register_backend("name", factory)` in its own
module; `clsforge translate --backend name` and a recipe's `translate: {backend: name}` then both
accept it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from .base import Backend

if TYPE_CHECKING:
    from .spec import TranslatorSpec

BackendFactory = Callable[["TranslatorSpec"], Backend]
BACKENDS: dict[str, BackendFactory] = {}
# How a dataset card names each backend's engine; `{model}` and `{memory}` are filled from the spec.
ENGINES: dict[str, str] = {}


def register_backend(name: str, factory: BackendFactory, engine: str | None = None) -> BackendFactory:
    """Add (or replace) backend `name`; returns `factory`, so it can be used as a decorator's result.

    `engine`: the translation engine as a dataset card names it ("Google Cloud Translation v3 ...",
    "the Hugging Face model {model}"); default: the backend's name.
    """
    BACKENDS[name] = factory
    ENGINES[name] = engine or name
    return factory


def engine_name(spec: TranslatorSpec) -> str:
    """The card's name for a spec's engine: `google-v3` -> "Google Cloud Translation v3 (Advanced, NMT model)"."""
    from pathlib import Path

    memory = Path(spec.memory).name if spec.memory else None
    return ENGINES.get(spec.backend, spec.backend).format(model=spec.model, memory=memory)


def check_backend(name: str) -> str:
    """`name` if it is a registered backend; ValueError (one line, listing the known names) if not."""
    if name not in BACKENDS:
        raise ValueError(f"unknown translation backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return name


def _google_v3(spec: TranslatorSpec) -> Backend:
    from .google import GoogleV3Backend

    return GoogleV3Backend(project=spec.google_project, endpoint=spec.google_endpoint, model=spec.model)


def _google_v2(spec: TranslatorSpec) -> Backend:
    from .google import GoogleV2Backend

    return GoogleV2Backend(endpoint=spec.google_endpoint, model=spec.model)


@lru_cache(maxsize=2)
def _hf_backend(model: str | None, identity: str) -> Backend:
    """A local model, loaded once a process: flows translate shard after shard with the same one.
    Keyed on `identity` too, so another model saved under the same path is loaded again."""
    from .hf import HFBackend

    return HFBackend(model=model)


def _hf(spec: TranslatorSpec) -> Backend:
    from .hf import DEFAULT_MODEL, model_identity

    return _hf_backend(spec.model, model_identity(spec.model or DEFAULT_MODEL))


def _memory(spec: TranslatorSpec) -> Backend:
    from .memory import MemoryBackend

    return MemoryBackend(spec.memory)


register_backend("google-v3", _google_v3, "Google Cloud Translation v3 (Advanced, NMT model)")
register_backend("google-v2", _google_v2, "Google Cloud Translation v2 (Basic, NMT model)")
register_backend("hf", _hf, "the Hugging Face model {model}")
register_backend("memory", _memory, "a translation memory replayed from {memory}")
