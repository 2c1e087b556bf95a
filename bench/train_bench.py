"""Benchmark: one Stage-1 step and one Stage-2 step of TFLCLS at the paper's batch shapes.

Builds randomly initialised models (no download) of mbart-large-cc25's exact shape (12+12 layers,
d=1024, 16 heads, FFN 4096, vocab 250027) on a GPU, or a small shape on CPU so the script stays
tested, and times full training steps (forward, backward, Adam step) on random token ids:
- Stage 1: batch 4, source = a summary (128 tokens), target 128 (translation of summaries);
- one-decoder step at Stage-2's shape: batch 2, source `--size` (768) tokens, target 128 — the
  baseline: plain CLS fine-tuning, i.e. Stage 2 without its monolingual decoder;
- Stage 2: the same batch plus the ml_decoder's 128-token source-language summary (encoder once).
Prints tokens/second and peak GPU memory of each, and the Stage-2 / one-decoder and Stage-2 /
Stage-1 step-time ratios. Targets on a GPU (issue 6): Stage 2 under 22 GB peak; a Stage-2 step
under 1.6x a one-decoder step.

    python -m bench.train_bench [--size 768] [--shape cc25|small|tiny] [--steps 3] [--device cuda]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass

import torch
from transformers import MBartConfig, MBartForConditionalGeneration

from train.dual_decoder import MBartWithMonolingualDecoder
from train.losses import make_loss_weighting

SHAPES = {
    "cc25": dict(vocab_size=250027, d_model=1024, layers=12, heads=16, ffn=4096),
    "small": dict(vocab_size=16000, d_model=256, layers=3, heads=4, ffn=1024),
    "tiny": dict(vocab_size=1000, d_model=32, layers=1, heads=2, ffn=64),
}
SUMMARY_TOKENS = 128


@dataclass
class StepResult:
    """Median seconds per training step, tokens per second and peak GPU memory (GiB, 0 on CPU)."""

    name: str
    seconds: float
    tokens_per_s: float
    peak_gib: float


def model_config(shape: str) -> MBartConfig:
    """An mBART config of a named shape (`cc25` is mbart-large-cc25's)."""
    s = SHAPES[shape]
    return MBartConfig(
        vocab_size=s["vocab_size"], d_model=s["d_model"], encoder_layers=s["layers"], decoder_layers=s["layers"],
        encoder_attention_heads=s["heads"], decoder_attention_heads=s["heads"], encoder_ffn_dim=s["ffn"],
        decoder_ffn_dim=s["ffn"], max_position_embeddings=1024, scale_embedding=True, pad_token_id=1,
        bos_token_id=0, eos_token_id=2, attn_implementation="sdpa",
    )


def random_ids(batch: int, length: int, vocab: int, device: str) -> torch.Tensor:
    """Random token ids ending with </s> and a language code, like mBART's inputs and labels."""
    ids = torch.randint(4, vocab - 30, (batch, length), device=device)
    ids[:, -2], ids[:, -1] = 2, vocab - 3
    return ids


def time_steps(name: str, model: torch.nn.Module, batch: dict, steps: int, device: str, bf16: bool) -> StepResult:
    """Median time of `steps` training steps after one warm-up step (the median resists noisy neighbours)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-5)
    model.train()
    tokens = sum(v.numel() for k, v in batch.items() if k != "attention_mask")

    def step() -> None:
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=bf16):
            loss = model(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    step()  # warm-up: allocator, kernels, Adam state
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(steps):
        if device == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        step()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    peak = torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else 0.0
    return StepResult(name, seconds, tokens / seconds, peak)


def run(shape: str, source_tokens: int, steps: int, device: str, bf16: bool) -> list[StepResult]:
    """Time the three steps; each model is freed before the next is built."""
    config = model_config(shape)
    vocab = config.vocab_size
    results = []
    cases = [
        ("stage1 (batch 4, src 128)", MBartForConditionalGeneration, 4, SUMMARY_TOKENS, False),
        (f"one decoder (batch 2, src {source_tokens})", MBartForConditionalGeneration, 2, source_tokens, False),
        (f"stage2 (batch 2, src {source_tokens}, 2 decoders)", MBartWithMonolingualDecoder, 2, source_tokens, True),
    ]
    for name, cls, batch_size, length, dual in cases:
        torch.manual_seed(0)
        model = cls(config).to(device)
        batch = {
            "input_ids": random_ids(batch_size, length, vocab, device),
            "labels": random_ids(batch_size, SUMMARY_TOKENS, vocab, device),
        }
        batch["attention_mask"] = torch.ones_like(batch["input_ids"])
        if dual:
            model.loss_weighting = make_loss_weighting("tflcls", 2.0).to(device)
            batch["mls_labels"] = random_ids(batch_size, SUMMARY_TOKENS, vocab, device)
        results.append(time_steps(name, model, batch, steps, device, bf16))
        del model, batch
        if device == "cuda":
            torch.cuda.empty_cache()
    return results


def main(argv: list[str] | None = None) -> dict:
    """Parse options, run, print a table and a JSON summary; return the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=None, help="Stage-2 source tokens (default 768 GPU, 256 CPU).")
    parser.add_argument("--shape", choices=sorted(SHAPES), default=None, help="default: cc25 on GPU, small on CPU")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda asked for, but torch sees no CUDA device")
    gpu = args.device == "cuda"
    shape = args.shape or ("cc25" if gpu else "small")
    size = args.size or (768 if gpu else 256)
    results = run(shape, size, args.steps, args.device, bf16=gpu)
    stage1, one_decoder, stage2 = results
    print(f"shape {shape}, device {args.device}{' (bf16 autocast)' if gpu else ''}, {args.steps} timed steps")
    for r in results:
        print(f"{r.name:45s} {r.seconds * 1000:9.1f} ms/step {r.tokens_per_s:10.0f} tokens/s", end="")
        print(f"  peak {r.peak_gib:.2f} GiB")
    summary = {
        "shape": shape,
        "device": args.device,
        "source_tokens": size,
        "steps": {
            r.name: {"s": round(r.seconds, 4), "tokens_per_s": round(r.tokens_per_s), "peak_gib": round(r.peak_gib, 2)}
            for r in results
        },
        "stage2_over_one_decoder": round(stage2.seconds / one_decoder.seconds, 3),
        "stage2_over_stage1": round(stage2.seconds / stage1.seconds, 3),
    }
    print(f"Stage-2 step / one-decoder step: {summary['stage2_over_one_decoder']:.2f}x; "
          f"Stage-2 step / Stage-1 step: {summary['stage2_over_stage1']:.2f}x")
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
