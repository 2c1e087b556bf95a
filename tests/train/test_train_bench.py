"""bench/train_bench.py stays runnable: a tiny shape on CPU."""

from __future__ import annotations

import pytest

from bench.train_bench import SHAPES, main, model_config


def test_train_bench_tiny_shape(capsys):
    summary = main(["--shape", "tiny", "--size", "16", "--steps", "1", "--device", "cpu"])
    steps = summary["steps"]
    assert list(steps) == ["stage1 (batch 4, src 128)", "one decoder (batch 2, src 16)",
                           "stage2 (batch 2, src 16, 2 decoders)"]
    assert all(step["s"] > 0 and step["tokens_per_s"] > 0 for step in steps.values())
    stage2, one = steps["stage2 (batch 2, src 16, 2 decoders)"]["s"], steps["one decoder (batch 2, src 16)"]["s"]
    assert summary["stage2_over_one_decoder"] == pytest.approx(stage2 / one, rel=0.05)  # both rounded
    assert "Stage-2 step / one-decoder step" in capsys.readouterr().out


def test_cc25_shape_is_mbart_large_cc25():
    config = model_config("cc25")
    assert SHAPES["cc25"]["vocab_size"] == 250027
    assert (config.d_model, config.encoder_layers, config.decoder_layers) == (1024, 12, 12)
    assert (config.encoder_attention_heads, config.encoder_ffn_dim) == (16, 4096)
    assert (config.decoder_attention_heads, config.decoder_ffn_dim) == (16, 4096)
    assert (config.vocab_size, config.max_position_embeddings, config.scale_embedding) == (250027, 1024, True)


def test_cuda_without_a_gpu_is_a_usage_error(capsys, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as exit_info:
        main(["--device", "cuda"])
    assert exit_info.value.code == 2
    last_line = capsys.readouterr().err.splitlines()[-1]
    assert last_line.endswith("error: --device cuda asked for, but torch sees no CUDA device")
