"""The flow task `translate_shard` hands its TranslatorSpec, whole and unchanged, to the backend's factory."""

import json

from prefect import flow

from curate.translate.base import Backend, BatchLimits
from curate.translate.registry import BACKENDS, register_backend
from curate.translate.spec import TranslatorSpec
from flows.tasks import translate_shard


class SuffixSpec(TranslatorSpec):
    """A spec with a field of the test backend's own: the suffix it appends to every translation."""

    suffix: str = ""


class SuffixBackend(Backend):
    """A test backend: the translation of a text is the text followed by the spec's suffix."""

    name = "suffix"
    model = "suffix-1"
    limits = BatchLimits(max_segments=100, max_chars=None, max_piece_chars=None)
    cacheable = False

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix

    def translate_batch(self, texts: list[str], src: str, tgt: str) -> list[str]:
        return [text + self.suffix for text in texts]


def test_translate_shard_passes_the_whole_spec_to_the_backend(prefect_api, tmp_path):
    received = []

    def factory(spec: SuffixSpec) -> SuffixBackend:
        received.append(spec)
        return SuffixBackend(spec.suffix)

    saved = dict(BACKENDS)
    register_backend("suffix", factory)
    try:
        shard = tmp_path / "shard.jsonl"
        shard.write_text(json.dumps({"id": "1", "summary": "xin chào"}, ensure_ascii=False) + "\n", encoding="utf-8")
        spec = SuffixSpec(backend="suffix", model="m-3", google_project="p-2", suffix=" <zh>")

        @flow
        def one_shard():
            return translate_shard(shard, tmp_path / "out.jsonl", "summary", "summary_zh", "vi", "zh", spec, tmp_path / "c.sqlite")

        counters = one_shard()
    finally:
        BACKENDS.clear()
        BACKENDS.update(saved)
    assert len(received) == 1 and type(received[0]) is SuffixSpec
    assert received[0].model_dump() == {
        "backend": "suffix", "google_endpoint": None, "google_project": "p-2", "memory": None, "model": "m-3", "suffix": " <zh>"}
    assert (counters["backend"], counters["translated"]) == ("suffix", 1)
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["summary_zh"] == "xin chào <zh>"
