"""The backbone record: weights fingerprint by content, reused from OUT/backbone.json while the files' stamps hold."""

from __future__ import annotations

import hashlib

from train.identity import backbone_identity, backbone_record


def test_backbone_fingerprint_is_the_weights_content_and_a_known_record_spares_a_reread(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights-1")
    (model / "config.json").write_text("{}", encoding="utf-8")  # not weights: not in the fingerprint
    expected = hashlib.sha256(hashlib.sha256(b"weights-1").digest()).hexdigest()
    assert backbone_identity(str(model)) == {"name": str(model), "fingerprint": expected}
    record = backbone_record(str(model))
    assert record["fingerprint"] == expected and [row[:2] for row in record["files"]] == [["model.safetensors", 9]]

    # Same name, same stamps: the recorded fingerprint is trusted without reading the weights.
    known = {**record, "fingerprint": "f" * 64}
    assert backbone_record(str(model), known)["fingerprint"] == "f" * 64
    # Another name, or rewritten weights (new stamps): read again.
    assert backbone_record(str(tmp_path / "other"), known)["fingerprint"] is None
    (model / "model.safetensors").write_bytes(b"weights-2")
    rewritten = hashlib.sha256(hashlib.sha256(b"weights-2").digest()).hexdigest()
    assert backbone_record(str(model), known)["fingerprint"] == rewritten
