"""One registry of translation backends: a backend registered once is accepted by the CLI and by recipes,
and its factory receives the whole TranslatorSpec."""

from __future__ import annotations

import json
import sys

import pytest
from pydantic import ValidationError

from curate.io import read_jsonl, write_jsonl
from curate.translate.base import Backend, BatchLimits
from curate.translate.registry import BACKENDS, register_backend
from curate.translate.run import translate_file
from curate.translate.spec import TranslatorSpec
from flows.recipe import TranslatorSpec as RecipeTranslatorSpec
from flows.recipe import first_error


class UpperBackend(Backend):
    """A test backend: the translation of a text is the text in capitals."""

    name = "upper"
    model = "upper-1"
    limits = BatchLimits(max_segments=100, max_chars=None, max_piece_chars=None)
    cacheable = False

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        return [text.upper() + self.suffix for text in texts]


class SuffixSpec(TranslatorSpec):
    """A spec with a field of the test backend's own: the suffix it appends to every translation."""

    suffix: str = ""


@pytest.fixture
def restore_backends():
    saved = dict(BACKENDS)
    yield
    BACKENDS.clear()
    BACKENDS.update(saved)


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """`clsforge ARGS` in this process (a subprocess would not see a backend registered by the test)."""
    from flows.cli import main

    monkeypatch.setattr(sys, "argv", ["clsforge", *args])
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = exc.code or 0
    out, err = capsys.readouterr()
    return status, out, err


def test_builtin_backends_are_registered_in_order():
    assert list(BACKENDS) == ["google-v3", "google-v2", "hf", "memory"]


def test_unknown_backend_is_one_line_listing_the_registry(monkeypatch, capsys, tmp_path, restore_backends):
    write_jsonl(tmp_path / "in.jsonl", [{"summary": "xin chào"}])
    args = ("translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"),
            "--field", "summary", "--src", "vi", "--tgt", "en", "--backend", "upper")
    assert run_cli(monkeypatch, capsys, *args) == (
        2, "", "clsforge: error: unknown translation backend 'upper'; choose one of google-v3, google-v2, hf, memory\n")
    with pytest.raises(ValidationError) as caught:
        TranslatorSpec(backend="upper")
    assert first_error(caught.value) == (
        "backend: Value error, unknown translation backend 'upper'; choose one of google-v3, google-v2, hf, memory")


def test_a_registered_backend_works_from_the_cli_and_in_a_recipe(monkeypatch, capsys, tmp_path, restore_backends):
    register_backend("upper", lambda spec: UpperBackend())
    write_jsonl(tmp_path / "in.jsonl", [{"summary": "xin chào"}, {"summary": "hà nội"}])
    args = ("translate", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"),
            "--field", "summary", "--src", "vi", "--tgt", "en", "--backend", "upper")
    status, out, err = run_cli(monkeypatch, capsys, *args)
    assert status == 0 and "error" not in err  # stderr holds only the progress bar
    counters = json.loads(out)
    assert (counters["backend"], counters["model"], counters["texts"], counters["translated"], counters["requests"]) == (
        "upper", "upper-1", 2, 2, 1)
    assert [r["summary_en"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["XIN CHÀO", "HÀ NỘI"]
    assert TranslatorSpec(backend="upper").backend == "upper"


def test_the_recipe_spec_is_the_curate_spec():
    assert RecipeTranslatorSpec is TranslatorSpec


def test_a_registered_backend_receives_the_whole_spec_through_translate_file(tmp_path, restore_backends):
    received = []

    def factory(spec: SuffixSpec) -> UpperBackend:
        received.append(spec)
        return UpperBackend(spec.suffix)

    register_backend("upper", factory)
    spec = SuffixSpec(backend="upper", model="upper-7", google_project="p-1", google_endpoint="http://e", suffix=" [1]")
    write_jsonl(tmp_path / "in.jsonl", [{"summary": "xin chào"}, {"summary": "hà nội"}])
    counters = translate_file(tmp_path / "in.jsonl", tmp_path / "out.jsonl", "summary", "vi", "en", spec, progress=False)
    assert len(received) == 1 and received[0] is spec
    assert received[0].model_dump() == {
        "backend": "upper", "google_endpoint": "http://e", "google_project": "p-1", "memory": None, "model": "upper-7",
        "suffix": " [1]"}
    assert [r["summary_en"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["XIN CHÀO [1]", "HÀ NỘI [1]"]
    assert (counters["backend"], counters["texts"], counters["requests"]) == ("upper", 2, 1)


def test_the_card_names_a_registered_backends_engine(monkeypatch):
    import curate.translate.registry as registry
    from curate.card import translation_engine
    from curate.translate.spec import TranslatorSpec

    monkeypatch.setattr(registry, "BACKENDS", dict(registry.BACKENDS))
    monkeypatch.setattr(registry, "ENGINES", dict(registry.ENGINES))
    registry.register_backend("deepl", lambda spec: None, "DeepL API ({model})")
    assert translation_engine(TranslatorSpec(backend="deepl", model="next-gen")) == "DeepL API (next-gen)"
    registry.register_backend("plain", lambda spec: None)
    assert translation_engine(TranslatorSpec(backend="plain")) == "plain"
    assert translation_engine(TranslatorSpec(backend="google-v3")) == "Google Cloud Translation v3 (Advanced, NMT model)"
