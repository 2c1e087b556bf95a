"""The `finetune` flow: a grid of methods x train sizes (x loss schemes), then the Table-2 report.

It is its own deployment, so the lifecycle can hand it to a GPU work pool (`run_deployment`). Each
grid cell is one cached task: a rerun skips finished cells, and train.run resumes a killed cell
from its checkpoints. Cells run one after another: each uses the whole accelerator.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact

from flows.artifacts import artifact_key, table2_artifact
from flows.caching import cached, in_workdir, rerun_if_missing
from flows.recipe import TINY_MODEL, TrainingSpec

# TrainingSpec fields that are not `run_training` options.
GRID_FIELDS = {"methods", "train_sizes", "losses", "model"}


def grid(spec: TrainingSpec) -> list[tuple[str, int, str]]:
    """(method, train size, loss) cells; loss schemes only vary for methods with the two-decoder stage."""
    from train.registry import phases_of

    return [
        (method, size, loss)
        for method in spec.methods
        for size in spec.train_sizes
        for loss in (spec.losses if "stage2" in phases_of(method) else spec.losses[:1])
    ]


@task(cache_policy=cached(code=("train/tiny.py",), dataset="data/*.parquet"))
def tiny_model(dataset: Path, out: Path) -> str:
    """Build a tiny random mBART-shaped model with a tokenizer trained on the dataset's own text."""
    from curate.dataset import find_splits, read_split
    from train.tiny import build_tiny_mbart

    columns = ("source_text", "source_summary", "target_summary")
    texts = []
    for path in sorted(find_splits(dataset).values()):
        records = read_split(path, columns)
        texts += [record[column] for column in columns for record in records if record[column]]
    return Path(build_tiny_mbart(out, texts)).name


# Keyed on the backbone's files too (`model` may be a local folder). Not on the train/ code: a run folder
# records its options and library versions (metrics.json) and a rerun there with other options is refused.
@task(cache_policy=cached(named=("model",), code=(), dataset="data/*.parquet"))
def train_cell(dataset: Path, out: Path, method: str, train_size: int, loss: str, model: str, options: dict) -> dict:
    """Fine-tune and evaluate one grid cell; return its metrics (also in OUT/metrics.json)."""
    from train.run import run_training

    return run_training(method=method, data=dataset, train_size=train_size, out=out, model=model, loss=loss, **options)


@task(cache_policy=cached(code=("train",), runs="metrics.json", outputs={"out": ("table2.md", "table2.csv")}))
def report(runs: list[Path], out: Path) -> dict:
    """Gather the runs into the Table-2 layout (markdown and CSV under `out`); return their names there."""
    from train.report import write_report

    written = write_report(runs, out)
    return {key: Path(written[key]).name for key in ("markdown", "csv")}


@flow(name="finetune", log_prints=False)
def finetune(dataset: str, training: TrainingSpec, workdir: str = "work", name: str = "dataset") -> dict:
    """Train every cell of the grid on `dataset`, then write and show the Table-2 report.

    Args:
        dataset: a dataset directory (what `build-dataset` writes as WORKDIR/dataset).
        training: the grid: methods, train sizes, loss schemes, model and training settings.
        workdir: where the runs (WORKDIR/runs/<method>-<loss>-n<size>) and the report go; a rerun skips
            finished cells.
        name: the dataset's name, used in the artifacts' keys and titles.
    """
    work = Path(workdir).resolve()
    model = training.model
    if model == TINY_MODEL:
        in_workdir(tiny_model, work, work / "tiny-model")(Path(dataset), work / "tiny-model")
        model = str(work / "tiny-model")
    options = training.model_dump(exclude=GRID_FIELDS)
    cells = grid(training)
    progress = create_progress_artifact(0.0, key=artifact_key(name, "finetune-progress"), description="Grid cells done")
    logger = get_run_logger()
    runs = []
    train = in_workdir(train_cell, work)
    for done, (method, size, loss) in enumerate(cells, 1):
        out = work / "runs" / f"{method}-{loss}-n{size}"
        metrics = rerun_if_missing(train, out / "metrics.json")(Path(dataset), out, method, size, loss, model, options)
        runs.append(out)
        logger.info("%s (%s) n=%d: test %s", method, loss, size, metrics["test"])
        update_progress_artifact(progress, progress=100.0 * done / len(cells))
    names = in_workdir(report, work, work / "report")(runs, work / "report")
    written = {key: str(work / "report" / name) for key, name in names.items()}
    table = Path(written["markdown"]).read_text(encoding="utf-8")
    tiny = training.model == TINY_MODEL
    table2_artifact(name, table, tiny=tiny)
    return {"runs": [str(run) for run in runs], "report": written, "table": table, "tiny": tiny}
