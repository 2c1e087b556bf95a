"""Benchmark and check: Stage 2 on 2 CPU processes (torch.distributed, gloo) against 1 process, same global batch.

Each run is the real `clsforge train --method no-stage1` path (Stage 2 only: two decoders, eq. 3.5
with trainable c) on a tiny mBART; 2 processes are started by `torch.distributed.run` (`torchrun`),
1 process by plain `python`, as users run them. The 2-process run takes half the examples per
process: per-device batch B, no accumulation, against 1 process with batch B x accumulation 2, so
both average the same examples' gradients per optimiser step. A `TrainerCallback` in every
process records, per optimiser step, the time from step begin to step end (forward, backward,
gradient all-reduce, Adam) and the value of c; each process writes its record to
`RECORD.rank<N>.json`. Prints the median step time of each run and the 2-process / 1-process ratio.

    python -m bench.ddp_bench [--steps 16] [--batch-size 2] [--d-model 128] [--layers 2]

`python -m bench.ddp_bench worker ...` is one process of a run (what torchrun starts).
tests/train/test_train_ddp.py runs the same workers to check losses and c.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def make_recorder(path: Path, main_process: bool) -> Any:
    """A TrainerCallback writing `{"rank", "world_size", "trainer_world_size", "main_process", "steps":
    [{"step", "c", "time_s"}], "log_history"}` (`main_process`: what run_training decides writes OUT/)."""
    from transformers import TrainerCallback

    class StepRecorder(TrainerCallback):
        """Per optimiser step: wall time (begin -> end) and this process's c."""

        def __init__(self) -> None:
            self.steps: list[dict[str, float]] = []
            self.started = 0.0

        def on_step_begin(self, args, state, control, **kwargs):
            self.started = time.perf_counter()

        def on_step_end(self, args, state, control, model=None, **kwargs):
            seconds = time.perf_counter() - self.started
            weighting = getattr(model, "loss_weighting", None)
            c = getattr(weighting, "c", None)
            self.steps.append({"step": state.global_step, "c": None if c is None else c.item(), "time_s": seconds})

        def on_train_end(self, args, state, control, **kwargs):
            record = {
                "rank": int(os.environ.get("RANK", 0)),
                "world_size": int(os.environ.get("WORLD_SIZE", 1)),
                "trainer_world_size": args.world_size,  # the processes the Trainer trained with
                "main_process": main_process,
                "steps": self.steps,
                "log_history": state.log_history,
            }
            target = path.with_name(f"{path.name}.rank{record['rank']}.json")
            target.write_text(json.dumps(record, indent=1), encoding="utf-8")

    return StepRecorder()


def worker(argv: list[str]) -> None:
    """One process of a Stage-2 run (`no-stage1`: Stage 2 from the pretrained model), recording its steps."""
    parser = argparse.ArgumentParser(prog="bench.ddp_bench worker")
    for name in ("--data", "--model", "--out", "--record"):
        parser.add_argument(name, required=True)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--grad-accum", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--c-lr", type=float, default=0.05)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args(argv)
    from train.processes import process_state
    from train.run import run_training

    main_process = process_state(args.device).is_main_process  # asked first, as run_training asks it

    run_training(
        method="no-stage1", loss="tflcls", data=args.data, train_size=8, model=args.model, out=args.out,
        max_steps=args.steps, batch_size=args.batch_size, grad_accum=args.grad_accum, lr=args.lr, c_lr=args.c_lr,
        device=args.device, num_beams=1, generation_max_length=8, eval_batch_size=4, max_eval_samples=1,
        eval_steps=args.steps, logging_steps=1, callbacks=[make_recorder(Path(args.record), main_process)],
    )


def launch(processes: int, data: Path, model: Path, work: Path, batch_size: int, grad_accum: int, steps: int,
           timeout_s: float = 300) -> list[dict[str, Any]]:
    """Run a Stage-2 training in `processes` CPU processes (torchrun when > 1); return each rank's record.

    The processes' stderr is kept in `work/stderr.txt`; a failed run raises RuntimeError with its end.
    """
    work.mkdir(parents=True, exist_ok=True)
    record = work / "record"
    args = ["worker", "--data", str(data), "--model", str(model), "--out", str(work / "run"), "--record",
            str(record), "--batch-size", str(batch_size), "--grad-accum", str(grad_accum), "--steps", str(steps)]
    if processes == 1:
        command = [sys.executable, "-m", "bench.ddp_bench", *args]
    else:
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(processes),
                   "-m", "bench.ddp_bench", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout_s)
    (work / "stderr.txt").write_text(done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"{processes}-process run failed ({done.returncode}):\n{done.stderr[-12000:]}")
    return [json.loads((work / f"record.rank{rank}.json").read_text(encoding="utf-8")) for rank in range(processes)]


def median_step_s(record: dict[str, Any]) -> float:
    """Median step time of a record, the first (warm-up) step left out."""
    times = [step["time_s"] for step in record["steps"]]
    return statistics.median(times[1:] or times)


def main() -> None:
    if sys.argv[1:2] == ["worker"]:
        worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=2, help="Per-process batch of the 2-process run.")
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    args = parser.parse_args()
    from tests.train.conftest import corpus_texts, write_dataset  # the tests' tiny vi->zh items
    from train.tiny import build_tiny_mbart

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = write_dataset(root / "data")
        model = build_tiny_mbart(root / "model", corpus_texts(), vocab_size=300, d_model=args.d_model,
                                 layers=args.layers, heads=4, ffn_dim=4 * args.d_model)
        one = launch(1, data, model, root / "one", args.batch_size, 2, args.steps)[0]
        two = launch(2, data, model, root / "two", args.batch_size, 1, args.steps)
    one_s, two_s = median_step_s(one), median_step_s(two[0])
    print(json.dumps({
        "global_batch": 2 * args.batch_size, "steps": args.steps, "d_model": args.d_model, "layers": args.layers,
        "one_process_step_s": round(one_s, 4), "two_process_step_s": round(two_s, 4),
        "ratio_two_over_one": round(two_s / one_s, 3), "cpu_count": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
