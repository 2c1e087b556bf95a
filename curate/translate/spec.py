"""`TranslatorSpec`: how one translation direction is done, one object passed whole.

The CLI builds it from its flags, a recipe holds one for `translate:` and one for `back_translate:`,
and `make_backend` hands it, unchanged, to the backend's factory in curate.translate.registry.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .registry import BACKENDS, check_backend

# A backend name is checked against the registry when a spec is validated, never listed again here:
# a backend registered later is accepted.
BackendName = Annotated[str, AfterValidator(check_backend)]


class TranslatorSpec(BaseModel):
    """How one translation direction is done (forward and back translation are set separately)."""

    model_config = ConfigDict(extra="forbid")  # as every recipe part: a misspelt field is an error, never ignored

    backend: BackendName = Field(default="google-v3", description="Translation backend: " + ", ".join(BACKENDS) + ".")
    google_endpoint: str | None = Field(default=None, description="Another host for the Google client (an emulator).")
    google_project: str | None = Field(default=None, description="Google Cloud project (v3).")
    memory: str | None = Field(default=None, description="Translation memory JSONL (backend `memory`).")
    model: str | None = Field(default=None, description="Hugging Face model (backend `hf`).")

    @model_validator(mode="after")
    def _backend_has_its_input(self) -> TranslatorSpec:
        if self.backend == "memory" and not self.memory:
            raise ValueError("translator backend `memory` needs `memory: PATH`")
        return self
