"""`score_plan`: the paper's Table 4 from a plan folder's answers: best% - worst% per system and criterion.

A judgement is one annotator's best and worst pick, for one criterion, in one tuple. For system s
and criterion c, with n(s, c) the judgements of tuples showing s:

    score(s, c) = (#best(s, c) - #worst(s, c)) / n(s, c)        in [-1, 1]   (Orme 2009; the paper)

Reliability, per criterion, over the tuples judged by two annotators or more:
- split-half reliability (Kiritchenko & Mohammad 2017): the judgements of each tuple are split at
  random into two halves; each half scores every candidate (an article's summary by one system) with
  the formula above; the Spearman correlation of the two halves' candidate scores, averaged over
  `trials` random splits (None when every split leaves a half constant);
- agreement: Krippendorff's alpha (nominal) over units (tuple, best) and (tuple, worst) whose values
  are the systems picked, and the pairwise agreement, the share of annotator pairs picking the same
  system, averaged over those units.
Written here rather than taken from bwsample: see train.humaneval.design.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.io import check_output_folder, write_text_atomic
from train.humaneval.plan import ANSWERS, load_plan
from train.humaneval.store import AnswerStore

TRIALS = 100


@dataclass(frozen=True)
class Judgement:
    """One annotator's pick for one criterion in one tuple, in system names."""

    annotator: str
    tuple_id: str
    article: str
    criterion: str
    shown: tuple[str, ...]
    best: str
    worst: str


def judgements(plan: dict[str, Any], key: dict[str, Any], rows: list[dict[str, Any]]) -> list[Judgement]:
    """The stored answers (`AnswerStore.rows()`) turned from anonymous labels into system names."""
    tuples = {t["id"]: t for t in plan["tuples"]}
    out = []
    for row in rows:
        tuple_ = tuples.get(row["tuple_id"])
        if tuple_ is None:
            raise ValueError(f"answer to tuple {row['tuple_id']}, which the plan does not hold (plan.json replaced?)")
        names = key["articles"][tuple_["article"]]
        out.append(Judgement(
            row["annotator"], row["tuple_id"], tuple_["article"], row["criterion"],
            tuple(names[label] for label in tuple_["candidates"]), names[row["best"]], names[row["worst"]],
        ))
    return out


def bws_scores(items: list[Judgement], systems: list[str], criteria: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """{criterion: {system: {"best", "worst", "n", "score"}}}; score is None for a system never judged."""
    table = {c: {s: {"best": 0, "worst": 0, "n": 0} for s in systems} for c in criteria}
    for j in items:
        cells = table[j.criterion]
        for system in j.shown:
            cells[system]["n"] += 1
        cells[j.best]["best"] += 1
        cells[j.worst]["worst"] += 1
    for cells in table.values():
        for cell in cells.values():
            cell["score"] = (cell["best"] - cell["worst"]) / cell["n"] if cell["n"] else None
    return table


def _candidate_scores(items: list[Judgement]) -> dict[tuple[str, str], float]:
    """{(article, system): (best - worst) / appearances} over `items`."""
    counts: dict[tuple[str, str], list[int]] = {}
    for j in items:
        for system in j.shown:
            cell = counts.setdefault((j.article, system), [0, 0])
            cell[1] += 1
            cell[0] += (system == j.best) - (system == j.worst)
    return {candidate: net / n for candidate, (net, n) in counts.items()}


def spearman(x: list[float], y: list[float]) -> float | None:
    """Spearman's rank correlation (ties get their average rank); None when either side is constant."""
    from scipy.stats import spearmanr

    if len(x) < 2 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    return float(spearmanr(x, y).statistic)


def split_half(items: list[Judgement], trials: int = TRIALS, seed: int = 0) -> float | None:
    """Mean Spearman correlation of random halves of the judgements of tuples judged twice or more (one criterion)."""
    by_tuple: dict[str, list[Judgement]] = {}
    for j in items:
        by_tuple.setdefault(j.tuple_id, []).append(j)
    shared = [sorted(group, key=lambda j: j.annotator) for _, group in sorted(by_tuple.items()) if len(group) > 1]
    if not shared:
        return None
    rng = random.Random(seed)
    values = []
    for _ in range(trials):
        halves: tuple[list[Judgement], list[Judgement]] = ([], [])
        for group in shared:
            group = rng.sample(group, len(group))
            # Odd sizes: the extra judgement goes to either half at random.
            middle = (len(group) + 1) // 2 if rng.random() < 0.5 else len(group) // 2
            halves[0].extend(group[:middle])
            halves[1].extend(group[middle:])
        first, second = (_candidate_scores(half) for half in halves)
        common = sorted(first.keys() & second.keys())
        value = spearman([first[c] for c in common], [second[c] for c in common])
        if value is not None:
            values.append(value)
    return sum(values) / len(values) if values else None


def agreement(items: list[Judgement]) -> dict[str, Any]:
    """{"alpha": Krippendorff's nominal alpha, "pairwise": mean pairwise agreement, "units": units judged twice+}."""
    import krippendorff
    import numpy as np

    units: dict[tuple[str, str], dict[str, str]] = {}
    for j in items:
        units.setdefault((j.tuple_id, "best"), {})[j.annotator] = j.best
        units.setdefault((j.tuple_id, "worst"), {})[j.annotator] = j.worst
    shared = {unit: picks for unit, picks in units.items() if len(picks) > 1}
    if not shared:
        return {"alpha": None, "pairwise": None, "units": 0}
    pairwise = [
        sum(a == b for a, b in itertools.combinations(picks.values(), 2)) / math.comb(len(picks), 2)
        for picks in shared.values()
    ]
    annotators = sorted({a for picks in shared.values() for a in picks})
    codes = {system: float(i) for i, system in enumerate(sorted({s for p in shared.values() for s in p.values()}))}
    data = np.array([[codes[p[a]] if a in p else np.nan for p in shared.values()] for a in annotators])
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")) if len(codes) > 1 else None
    return {"alpha": alpha, "pairwise": sum(pairwise) / len(pairwise), "units": len(shared)}


def score_plan(directory: Path, trials: int = TRIALS, seed: int = 0) -> dict[str, Any]:
    """Scores, reliability and agreement of a plan folder's answers (see the module docstring).

    Returns {"systems", "criteria", "scores": bws_scores(...), "reliability": {criterion: {"judgements",
    "annotators", "split_half", "alpha", "pairwise", "units"}}, "annotators": {name: tuples answered}}.

    Raises:
        FileNotFoundError: no plan or no answers in `directory`; ValueError: no answers stored yet, a
            plan.json / key.json that is not valid JSON, an answers.sqlite that is not a database.
    """
    directory = Path(directory)
    plan, key = load_plan(directory)
    if not (directory / ANSWERS).is_file():
        raise FileNotFoundError(f"no answers in {directory} (run `clsforge humaneval serve {directory}` first)")
    items = judgements(plan, key, AnswerStore(directory / ANSWERS, plan).rows())
    if not items:
        raise ValueError(f"{directory}: no answers stored yet")
    criteria, systems = list(plan["criteria"]), list(key["systems"])
    reliability = {}
    for criterion in criteria:
        mine = [j for j in items if j.criterion == criterion]
        reliability[criterion] = {
            "judgements": len(mine), "annotators": len({j.annotator for j in mine}),
            "split_half": split_half(mine, trials, seed), **agreement(mine),
        }
    answered: dict[str, set[str]] = {}
    for j in items:
        answered.setdefault(j.annotator, set()).add(j.tuple_id)
    return {
        "systems": systems, "criteria": criteria, "scores": bws_scores(items, systems, criteria),
        "reliability": reliability, "annotators": {a: len(t) for a, t in sorted(answered.items())},
        "tuples": len(plan["tuples"]),
    }


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(result: dict[str, Any]) -> tuple[str, str]:
    """(markdown, CSV) of a `score_plan` result: Table 4, then reliability per criterion."""
    criteria, scores = result["criteria"], result["scores"]
    lines = [
        "## Human evaluation (Best-Worst Scaling): best% - worst%, from -1 to 1",
        "",
        "| System | " + " | ".join(criteria) + " |",
        "|---|" + "---|" * len(criteria),
    ]
    for system in result["systems"]:
        cells = [f"{_fmt(scores[c][system]['score'])} (n={scores[c][system]['n']})" for c in criteria]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    done = ", ".join(f"{a} {n}/{result['tuples']}" for a, n in result["annotators"].items())
    lines += [
        "",
        f"n: judgements of tuples showing the system. Tuples answered: {done}.",
        "",
        "| Criterion | judgements | annotators | split-half reliability (Spearman) | Krippendorff's alpha (nominal) "
        "| pairwise agreement | units judged twice or more |",
        "|---|---|---|---|---|---|---|",
    ]
    for c, r in result["reliability"].items():
        lines.append(
            f"| {c} | {r['judgements']} | {r['annotators']} | {_fmt(r['split_half'])} | {_fmt(r['alpha'])} "
            f"| {_fmt(r['pairwise'])} | {r['units']} |"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["system", "criterion", "best", "worst", "n", "best_pct", "worst_pct", "score"])
    for c in criteria:
        for system in result["systems"]:
            cell = scores[c][system]
            pct = [_fmt(100 * cell[k] / cell["n"], 1) if cell["n"] else "" for k in ("best", "worst")]
            score = "" if cell["score"] is None else f"{cell['score']:.4f}"
            writer.writerow([system, c, cell["best"], cell["worst"], cell["n"], *pct, score])
    return "\n".join(lines) + "\n", buffer.getvalue()


def write_scores(directory: Path, out: Path | None = None, trials: int = TRIALS, seed: int = 0) -> dict[str, Any]:
    """Score a plan folder and write `table4.md` and `table4.csv` to `out` (default: the plan folder).

    Returns {"markdown": path, "csv": path, "result": score_plan(...)}.

    Raises:
        ValueError: an `out` that is a file (checked before scoring), and as `score_plan`.
    """
    out = Path(out or directory)
    check_output_folder(out)
    result = score_plan(directory, trials, seed)
    markdown, table = render(result)
    paths = {"markdown": out / "table4.md", "csv": out / "table4.csv"}
    write_text_atomic(paths["markdown"], markdown)
    write_text_atomic(paths["csv"], table)
    return {"markdown": str(paths["markdown"]), "csv": str(paths["csv"]), "result": result}
