"""A cache hit is taken only when the task's outputs are still the ones that run wrote: inputs A, then B
(same output file, overwritten), then A again must not hand back B's output under A's key."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from flows.caching import cached, in_workdir

CALLS: list[str] = []


@task(cache_policy=cached(code=(), outputs={"output": ()}, input=()))
def upper(input: Path, output: Path) -> str:  # noqa: A002
    CALLS.append(input.read_text())
    output.write_text(input.read_text().upper())
    return output.name


def run(work: Path, source: Path) -> str:
    @flow
    def one():
        return in_workdir(upper, work).submit(source, work / "out.txt").result()

    one()
    return (work / "out.txt").read_text()


def test_a_hit_whose_output_a_later_run_overwrote_runs_again(prefect_api, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("phở")
    b.write_text("bún")
    CALLS.clear()
    assert run(work, a) == "PHỞ"
    assert run(work, a) == "PHỞ" and CALLS == ["phở"]  # a plain rerun hits
    assert run(work, b) == "BÚN" and CALLS == ["phở", "bún"]
    assert run(work, a) == "PHỞ" and CALLS == ["phở", "bún", "phở"]  # A's record was stale: it ran again
    assert run(work, a) == "PHỞ" and CALLS == ["phở", "bún", "phở"]  # and now hits again


def test_an_output_edited_by_hand_is_made_again(prefect_api, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    a = tmp_path / "a.txt"
    a.write_text("cơm")
    CALLS.clear()
    assert run(work, a) == "CƠM"
    (work / "out.txt").write_text("sửa tay")
    assert run(work, a) == "CƠM" and CALLS == ["cơm", "cơm"]


def test_every_cached_task_declares_the_files_it_writes() -> None:
    import inspect

    from prefect import Task

    import flows.archives
    import flows.filter_tasks
    import flows.finetune
    import flows.tasks
    from flows.caching import WorkdirInputs

    # Folders a task resumes into (a crawl, a WARC file's records, a training run): a rerun there
    # continues the work instead of redoing it, so their content is no stale-hit check.
    resumable = {"crawl_site", "extract_warc_file", "merge_warc_outputs", "tiny_model", "train_cell"}
    writes = {"output", "out", "out_dir", "outs", "dropped"}
    found = []
    for module in (flows.tasks, flows.filter_tasks, flows.finetune, flows.archives):
        for name, value in vars(module).items():
            if isinstance(value, Task) and isinstance(value.cache_policy, WorkdirInputs) and value.__module__ == module.__name__:
                params = set(inspect.signature(value.fn).parameters) & writes
                found.append(name)
                if name not in resumable:
                    assert params <= set(value.cache_policy.outputs), f"{name} writes {params} but declares {value.cache_policy.outputs}"
    assert {"concatenate", "translate_shard", "score_shard", "split", "filter_pool", "describe", "report"} <= set(found)
