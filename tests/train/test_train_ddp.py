"""Stage 2 on 2 CPU processes (torchrun, gloo) trains exactly as 1 process does with the same global batch.

The 2-process run has per-process batch 1 and no accumulation; the 1-process run batch 1 and
accumulation 2: each optimiser step averages the gradients of the same two examples (the
length-grouped sampler gives both runs the same order). Dropout is 0 in the tiny model.
"""

from __future__ import annotations

import json

import pytest

from bench.ddp_bench import launch

STEPS = 3


@pytest.fixture(scope="module")
def runs(tiny_dataset, tiny_model, tmp_path_factory):
    """(1-process record, [rank-0 record, rank-1 record], 2-process work folder: run/, stderr.txt)."""
    work = tmp_path_factory.mktemp("ddp")
    one = launch(1, tiny_dataset, tiny_model, work / "one", batch_size=1, grad_accum=2, steps=STEPS)
    two = launch(2, tiny_dataset, tiny_model, work / "two", batch_size=1, grad_accum=1, steps=STEPS)
    return one[0], two, work / "two"


def logged(record: dict, key: str) -> list[float]:
    return [entry[key] for entry in record["log_history"] if "loss" in entry]


def test_the_processes_train_together_and_one_writes(runs):
    # --device auto on this CPU-only machine: torchrun's two processes must still form one run.
    one, (rank0, rank1), _ = runs
    assert [(r["trainer_world_size"], r["main_process"]) for r in (one, rank0, rank1)] == [
        (1, True), (2, True), (2, False)]


def test_c_is_identical_on_both_ranks_and_matches_one_process(runs):
    one, (rank0, rank1), _ = runs
    assert (rank0["world_size"], rank1["world_size"], rank1["rank"]) == (2, 2, 1)
    c0, c1 = [s["c"] for s in rank0["steps"]], [s["c"] for s in rank1["steps"]]
    assert [s["step"] for s in rank0["steps"]] == [1, 2, 3]
    assert c0 == c1  # bit-identical: DDP all-reduced the same gradient of c on both
    assert c0 == pytest.approx([s["c"] for s in one["steps"]], abs=1e-6)
    assert c0[-1] > 1.1  # c moved (--c-lr 0.05): the comparison means something


@pytest.mark.parametrize("key", ["loss", "l_cls", "l_mls", "c"])
def test_logged_losses_match_one_process(runs, key):
    one, (rank0, rank1), _ = runs
    expected = logged(one, key)
    assert len(expected) == STEPS
    assert logged(rank0, key) == pytest.approx(expected, rel=1e-4)
    assert logged(rank1, key) == logged(rank0, key)  # every process logs the mean over both
    if key != "c":
        assert len(set(expected)) == STEPS  # training moved the losses


def test_two_process_run_writes_whole_outputs_once(runs):
    _, _, work = runs
    out = work / "run"
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["steps"] == {"stage2": STEPS}
    assert metrics["test"]["n"] == 3  # no duplicate from the padded last batch of each process
    lines = (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == ["doc3", "doc4", "doc5"]


def test_ddp_does_not_search_for_unused_parameters(runs):
    # With the search off, an unused parameter would have failed the run; with it on, DDP warns on every run.
    stderr = (runs[2] / "stderr.txt").read_text(encoding="utf-8")
    assert "find_unused_parameters=True was specified" not in stderr
    assert "Expected to have finished reduction" not in stderr
