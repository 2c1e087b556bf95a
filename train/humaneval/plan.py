"""`prepare_plan`: BWS tuples over the test summaries of several runs, anonymised, written to a folder.

The plan folder holds `plan.json` (what annotators see: criteria, articles with their source text and
anonymous candidates `S1..Sn`, tuples; no system or run name) and `key.json` (the systems, the runs,
and which system wrote each candidate of each article; read only by the scoring). Answers go to
`answers.sqlite` beside them (train.humaneval.store).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from curate.io import check_output_folder, read_jsonl, write_text_atomic
from train.files import read_json_object
from train.humaneval.design import appearances, design, pair_counts

PLAN, KEY, ANSWERS = "plan.json", "key.json", "answers.sqlite"
REFERENCE = "reference"
PLAN_FIELDS, KEY_FIELDS = ("criteria", "articles", "tuples"), ("systems", "articles")  # what the scoring reads
TUPLE_SIZE = 4  # the default: summaries shown together, when the article has that many candidates
# The paper's three criteria (Table 4), with the one-line definition shown to annotators.
CRITERIA = {
    "IF": ("Informativeness", "How much of the source article's key information the summary conveys."),
    "CC": ("Conciseness", "How short and free of repeated or irrelevant content the summary is."),
    "FL": ("Fluency", "How grammatical and natural the summary reads in its language."),
}


def load_predictions(run: Path) -> dict[str, dict[str, Any]]:
    """{id: record} of RUN/predictions.jsonl; a missing file, an empty one, a repeated id or a run whose
    every prediction is empty is an error."""
    path = Path(run) / "predictions.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no predictions.jsonl in {run} (is the run finished?)")
    records: dict[str, dict[str, Any]] = {}
    for record in read_jsonl(path):
        if "id" not in record or "prediction" not in record:
            raise ValueError(f"{path}: a record without 'id' or 'prediction'")
        key = str(record["id"])
        if key in records:
            raise ValueError(f"{path}: id {key} appears twice")
        records[key] = record
    if not records:
        raise ValueError(f"{path} is empty")
    if not any(str(record["prediction"] or "").strip() for record in records.values()):
        raise ValueError(f"{path}: every prediction is empty (a model that generated nothing): nothing to judge")
    return records


def system_names(runs: list[Path]) -> list[str]:
    """One name per run: its Table-2 row label (TFLCLS, mBART-CLS ...) when distinct, else the folder names."""
    from train.report import run_labels

    labels = run_labels([Path(run) for run in runs])
    names = labels if None not in labels and len(set(labels)) == len(labels) else [Path(r).name for r in runs]
    if len(set(names)) != len(names) or REFERENCE in names:
        raise ValueError(f"runs need distinct folder names (other than '{REFERENCE}'): {', '.join(names)}")
    return names


def check_same_test_set(runs: list[Path], predictions: list[dict[str, dict]]) -> list[str]:
    """The test ids common to every run, in the first run's order; runs whose ids or references differ are an error."""
    first = predictions[0]
    for run, records in zip(runs[1:], predictions[1:]):
        missing, extra = first.keys() - records.keys(), records.keys() - first.keys()
        if missing or extra:
            raise ValueError(
                f"the runs' test sets differ: {run} lacks {len(missing)} ids of {runs[0]} and has {len(extra)} others "
                f"(e.g. {sorted(missing or extra)[0]}); compare runs evaluated on the same test set"
            )
        changed = [i for i in first if first[i].get("reference") != records[i].get("reference")]
        if changed:
            raise ValueError(
                f"the runs' test sets differ: {run} has another reference for {len(changed)} ids (e.g. {changed[0]})"
            )
    return list(first)


def source_texts(
    runs: list[Path], predictions: list[dict[str, dict]], ids: list[str], data: Path | None
) -> dict[str, str]:
    """The source article of each id: the predictions' `source` field, else the dataset's test split.

    The dataset is `data` when given, else the `data` folder recorded in the first run's metrics.json.

    Raises:
        FileNotFoundError: neither source nor a readable dataset; ValueError: ids missing from the dataset.
    """
    if all("source" in predictions[0][i] for i in ids):
        return {i: str(predictions[0][i]["source"]) for i in ids}
    if data is None:
        metrics = Path(runs[0]) / "metrics.json"
        recorded = read_json_object(metrics).get("data") if metrics.is_file() else None
        data = Path(recorded) if recorded else None
    test = data / "data" / "test.parquet" if data else None
    if test is None or not test.is_file():
        raise FileNotFoundError(
            f"no source texts: the predictions carry none and {test or 'no dataset'} is not there "
            "(pass --data DATASET_DIR)"
        )
    import pyarrow.parquet as pq

    table = pq.read_table(test, columns=["id", "source_text"]).to_pydict()
    texts = dict(zip(map(str, table["id"]), table["source_text"]))
    missing = [i for i in ids if i not in texts]
    if missing:
        raise ValueError(f"{len(missing)} test ids of the runs are not in {test} (e.g. {missing[0]}): another dataset?")
    return {i: texts[i] for i in ids}


def default_tuple_size(candidates: int) -> int:
    """The tuple size when none is given: TUPLE_SIZE, or every candidate when an article has fewer."""
    return min(TUPLE_SIZE, candidates)


def prepare_plan(
    runs: list[Path],
    out: Path,
    articles: int = 25,
    tuple_size: int | None = None,
    seed: int = 0,
    include_reference: bool = False,
    data: Path | None = None,
) -> dict[str, Any]:
    """Sample `articles` test articles present in every run, build each one's BWS tuples, write the plan to `out`.

    Candidates of an article are its runs' predictions (and the reference when `include_reference`),
    shuffled and named S1..Sn per article; each tuple's display order is shuffled again. Everything
    random comes from `seed`. `tuple_size` None: `default_tuple_size` (4, or all the candidates when
    there are fewer). Returns a summary: articles, candidates, tuple_size, tuples, the design's
    appearances and [min, max] pair counts, and how many articles show two identical summaries.

    The run folders and their predictions are checked first (a typo in a folder name is named as
    such, not reported as too few candidates), then the sizes.

    Raises:
        ValueError: fewer than two candidates, a tuple size outside 2..n, more articles than the test
            set has, test sets that differ, a folder that already holds a plan, an `out` that is a file.
        FileNotFoundError: a run folder that does not exist, a run without predictions.jsonl, or no
            source texts. NotADirectoryError: a run "folder" that is a file.
    """
    from train.report import check_run_folder

    runs = [Path(r) for r in runs]
    out = Path(out)
    for run in runs:
        check_run_folder(run)
    if len({r.resolve() for r in runs}) != len(runs):
        raise ValueError("a run is given twice")
    check_output_folder(out)
    if (out / PLAN).exists() or (out / ANSWERS).exists():
        raise ValueError(f"{out} already holds a plan (answers would no longer match it); use a new --out")
    predictions = [load_predictions(run) for run in runs]
    names = system_names(runs)
    candidates = names + ([REFERENCE] if include_reference else [])
    if len(candidates) < 2:
        raise ValueError("BWS needs at least two candidates: give two runs, or one with --include-reference")
    tuple_size = default_tuple_size(len(candidates)) if tuple_size is None else tuple_size
    if not 2 <= tuple_size <= len(candidates):
        raise ValueError(f"--tuple-size {tuple_size} needs 2 <= size <= {len(candidates)} (the candidates per article)")
    ids = check_same_test_set(runs, predictions)
    if not 1 <= articles <= len(ids):
        raise ValueError(f"--articles {articles}: the test set has {len(ids)} articles")
    rng = random.Random(seed)
    chosen = rng.sample(ids, articles)
    sources = source_texts(runs, predictions, chosen, data)
    blocks = design(len(candidates), tuple_size, seed)
    plan_articles, owners, tuples = [], {}, []
    for article in chosen:
        texts = {name: str(p[article]["prediction"]) for name, p in zip(names, predictions)}
        texts[REFERENCE] = str(predictions[0][article].get("reference", ""))
        order = rng.sample(candidates, len(candidates))  # S1..Sn: a fresh anonymous order per article
        labels = {f"S{i}": system for i, system in enumerate(order, 1)}
        owners[article] = labels
        summaries = {label: texts[system] for label, system in labels.items()}
        plan_articles.append({"id": article, "source": sources[article], "candidates": summaries})
        for block in blocks:
            shown = rng.sample([f"S{i + 1}" for i in block], len(block))
            tuples.append({"id": f"t{len(tuples) + 1:04d}", "article": article, "candidates": shown})
    counts = pair_counts(len(candidates), blocks)
    summary = {
        "articles": articles, "candidates": len(candidates), "tuple_size": tuple_size, "tuples": len(tuples),
        "appearances_per_candidate": appearances(len(candidates), blocks)[0],
        "pair_counts": [min(counts.values()), max(counts.values())],
        # Articles where two candidates read the same: annotators can only pick between them at random.
        "articles_with_identical_summaries": sum(
            len(set(a["candidates"].values())) < len(a["candidates"]) for a in plan_articles
        ),
    }
    key = {"systems": candidates, "runs": [str(r.resolve()) for r in runs], "articles": owners}
    plan = {
        "version": 1, "seed": seed,
        "criteria": {c: {"name": n, "definition": d} for c, (n, d) in CRITERIA.items()},
        "design": summary, "articles": plan_articles, "tuples": tuples,
    }
    write_text_atomic(out / KEY, json.dumps(key, ensure_ascii=False, indent=1))
    write_text_atomic(out / PLAN, json.dumps(plan, ensure_ascii=False, indent=1))
    return summary


def load_plan(directory: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plan.json, key.json) of a plan folder.

    Raises:
        FileNotFoundError: a folder without plan.json ("no plan") or without key.json (named).
        ValueError: either file not valid JSON or not a JSON object (named, with the parser's position).
    """
    directory = Path(directory)
    if not (directory / PLAN).is_file():
        raise FileNotFoundError(f"no plan in {directory} (run `clsforge humaneval prepare` first)")
    plan = read_json_object(directory / PLAN)
    if not (directory / KEY).is_file():
        raise FileNotFoundError(f"no {KEY} in {directory} (run `clsforge humaneval prepare` first)")
    key = read_json_object(directory / KEY)
    for name, value, fields in ((PLAN, plan, PLAN_FIELDS), (KEY, key, KEY_FIELDS)):
        missing = [field for field in fields if field not in value]
        if missing:
            raise ValueError(f"{directory / name} is not written by `clsforge humaneval prepare` "
                             f"(no {', '.join(missing)})")
    return plan, key
