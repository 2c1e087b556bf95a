"""`write_report` / `clsforge report`: Table 2 from run folders; only seeds of one setup are averaged."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from train.config import TrainConfig
from train.report import write_report

CLSFORGE = str(Path(sys.executable).parent / "clsforge")
VERSIONS = {"python": "3.11.2", "torch": "2.13.0", "transformers": "5.24.0"}


def make_run(root: Path, name: str, method: str, size: int, scores: tuple[float, float, float], pair=("vi", "zh"),
             dataset="d" * 64, backbone=("facebook/mbart-large-cc25", "b" * 64), versions=VERSIONS, **options) -> Path:
    """A run folder with the metrics.json `run_training` writes (scores and identity)."""
    run = root / name
    run.mkdir()
    config = TrainConfig(method=method, data=root / "dataset", train_size=size, out=run, model=backbone[0], **options)
    metrics = {"method": method, "train_size": size, "loss": None if method == "mbart-cls" else config.loss,
               "r": None if method == "mbart-cls" else config.r, "seed": config.seed,
               "source_lang": pair[0], "target_lang": pair[1],
               "test": dict(zip(("rouge1", "rouge2", "rougeL"), scores), n=3),
               "options": config.to_json(), "backbone": {"name": backbone[0], "fingerprint": backbone[1]},
               "dataset": {"fingerprint": dataset, "train_fingerprint": f"{dataset[:4]}-{size}", "path": "x"},
               "versions": versions}
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return run


def table(paths: dict) -> list[str]:
    return Path(paths["markdown"]).read_text(encoding="utf-8").splitlines()


@pytest.fixture
def runs(tmp_path):
    return [
        make_run(tmp_path, "a", "mbart-cls", 1000, (30.0, 9.664, 25.0)),
        make_run(tmp_path, "b", "tflcls", 1000, (29.0, 11.489, 26.0)),
        make_run(tmp_path, "c", "tflcls", 3000, (33.0, 12.0, 27.0)),
        make_run(tmp_path, "d", "tflcls", 1000, (31.0, 10.0, 24.0), loss="sum"),
        make_run(tmp_path, "e", "mbart-cls", 5000, (20.0, 5.631, 18.0), pair=("zh", "en"), dataset="e" * 64),
    ]


def test_table2_layout_and_best_marks(runs, tmp_path):
    paths = write_report(runs, tmp_path / "report")
    lines = table(paths)
    assert lines[0] == ("## vi2zh (dataset dddddddd): test ROUGE F x 100, mean ± std over seeds "
                        "(best mean per column in bold)")
    assert lines[2] == ("| Method | 1000 R-1 | 1000 R-2 | 1000 R-L | 1000 seeds | 3000 R-1 | 3000 R-2 | 3000 R-L "
                        "| 3000 seeds |")
    assert lines[4] == "| mBART-CLS (w/o TraMul) | 30.000 | 9.664 | 25.000 | 1 | - | - | - | - |"
    assert lines[5] == "| TFLCLS | 29.000 | **11.489** | **26.000** | 1 | **33.000** | **12.000** | **27.000** | 1 |"
    assert lines[6] == "| TFLCLS (loss sum) | **31.000** | 10.000 | 24.000 | 1 | - | - | - | - |"
    assert "| mBART-CLS (w/o TraMul) | **20.000** | **5.631** | **18.000** | 1 |" in lines
    rows = list(csv.reader(Path(paths["csv"]).open(encoding="utf-8")))
    assert rows[0][:10] == ["pair", "dataset", "Method", "1000 R-1", "1000 R-2", "1000 R-L", "1000 R-1 std",
                            "1000 R-2 std", "1000 R-L std", "1000 seeds"]
    assert rows[2][:10] == ["vi2zh", "dddddddd", "TFLCLS", "29.000", "11.489*", "26.000*", "", "", "", "1"]
    assert len(rows) == 4 + 2  # vi2zh: header + 3 rows; zh2en: header + 1 row
    assert (paths["runs"], paths["skipped"]) == (5, [])


def test_seeds_of_one_setup_give_mean_std_and_count_and_a_folder_counts_once(tmp_path):
    first = make_run(tmp_path, "s0", "tflcls", 1000, (30.0, 10.0, 20.0), seed=0)
    second = make_run(tmp_path, "s1", "tflcls", 1000, (32.0, 12.0, 22.0), seed=1)
    paths = write_report([first, second, first, tmp_path / "." / "s1"], tmp_path)
    assert table(paths)[4] == "| TFLCLS | **31.000** ± 1.414 | **11.000** ± 1.414 | **21.000** ± 1.414 | 2 |"
    assert paths["runs"] == 2


@pytest.mark.parametrize(("options", "label"), [
    (dict(r=1.5), "TFLCLS (r 1.5)"),
    (dict(lr=1e-3), "TFLCLS (lr 0.001)"),
    (dict(c_lr=0.01), "TFLCLS (c-lr 0.01)"),
    (dict(epochs=1), "TFLCLS (epochs 1)"),
    (dict(max_steps=5), "TFLCLS (max-steps 5)"),
    (dict(backbone=("/models/tiny", "f" * 64)), "TFLCLS (model /models/tiny ffffffff)"),
    (dict(versions={**VERSIONS, "transformers": "5.30.0"}), "TFLCLS (version transformers 5.30.0)"),
])
def test_runs_that_differ_in_more_than_the_seed_get_their_own_row(tmp_path, options, label):
    default = make_run(tmp_path, "base", "tflcls", 1000, (30.0, 10.0, 20.0))
    other = make_run(tmp_path, "other", "tflcls", 1000, (32.0, 12.0, 22.0), seed=1, **options)
    lines = table(write_report([default, other], tmp_path))
    assert lines[4].startswith("| TFLCLS (") or lines[4] == "| TFLCLS | 30.000 | 10.000 | 20.000 | 1 |"
    assert f"| {label} | **32.000** | **12.000** | **22.000** | 1 |" in lines
    assert len(lines) == 6


def test_two_datasets_of_one_pair_and_a_repeated_seed_are_refused(tmp_path):
    one = make_run(tmp_path, "one", "tflcls", 1000, (30.0, 10.0, 20.0))
    other_data = make_run(tmp_path, "other", "tflcls", 1000, (30.0, 10.0, 20.0), dataset="f" * 64, seed=1)
    with pytest.raises(ValueError, match=f"^{one} and {other_data} use different datasets \\(their validation/test "
                                         "files differ\\): report them separately$"):
        write_report([one, other_data], tmp_path)
    twin = make_run(tmp_path, "twin", "tflcls", 1000, (31.0, 11.0, 21.0))
    with pytest.raises(ValueError, match=f"^{one} and {twin} are the same setup with the same seed \\(0\\)"):
        write_report([one, twin], tmp_path)


def test_an_old_metrics_file_is_refused(tmp_path):
    run = tmp_path / "old"
    run.mkdir()
    (run / "metrics.json").write_text(json.dumps({"method": "tflcls", "train_size": 1, "test": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match=f"^{run}: metrics.json does not record the run's options and dataset"):
        write_report([run], tmp_path)


def test_cli_report_skips_unfinished_runs_and_one_line_errors(runs, tmp_path):
    unfinished = tmp_path / "f"
    (unfinished / "stage1").mkdir(parents=True)
    done = subprocess.run([CLSFORGE, "report", *map(str, runs), str(unfinished), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"clsforge: skipped {unfinished} (no metrics.json: unfinished?)"
    assert (tmp_path / "r" / "table2.md").is_file() and "**11.489**" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["runs"] == 5 and summary["skipped"] == [f"{unfinished} (no metrics.json: unfinished?)"]
    missing = subprocess.run([CLSFORGE, "report", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"clsforge: error: no such run folder: {tmp_path / 'nope'}"
    only_unfinished = subprocess.run([CLSFORGE, "report", str(unfinished)], capture_output=True, text=True)
    assert only_unfinished.returncode == 2
    assert only_unfinished.stderr.strip() == (f"clsforge: error: no finished run among the folders given (skipped: "
                                              f"{unfinished} (no metrics.json: unfinished?))")
    bad = subprocess.run([CLSFORGE, "train", "--method", "mbart", "--data", str(tmp_path), "--train-size", "5",
                          "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "clsforge: error: unknown method 'mbart'; choose one of tflcls, mbart-cls, no-stage1, no-mono"
    )


def test_the_w_o_mul_reading_is_always_in_its_label(tmp_path):
    stage1 = make_run(tmp_path, "s1", "no-mono", 1000, (30.0, 10.0, 20.0), no_mono_settings="stage1")
    paper = make_run(tmp_path, "tf", "tflcls", 1000, (31.0, 11.0, 21.0), no_mono_settings="stage1")  # ignored there
    lines = table(write_report([stage1, paper], tmp_path))
    assert lines[4:6] == ["| TFLCLS w/o Mul (no-mono-settings stage1) | 30.000 | 10.000 | 20.000 | 1 |",
                          "| TFLCLS | **31.000** | **11.000** | **21.000** | 1 |"]


def test_a_damaged_metrics_file_a_missing_folder_and_a_file_as_out_are_named(runs, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "metrics.json").write_text('{\n"method": "tflcls",\n', encoding="utf-8")
    with pytest.raises(ValueError, match=f"^{bad / 'metrics.json'} is not valid JSON \\(Expecting property name "
                                         "enclosed in double quotes at line 3, column 1\\)$"):
        write_report([runs[0], bad], tmp_path / "r")
    (bad / "metrics.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match=f"^{bad / 'metrics.json'} does not hold a JSON object$"):
        write_report([runs[0], bad], tmp_path / "r")
    with pytest.raises(FileNotFoundError, match=f"^no such run folder: {tmp_path / 'nope'}$"):
        write_report([runs[0], tmp_path / "nope"], tmp_path / "r")
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match=f"^{afile} is not a folder$"):
        write_report([runs[0], afile], tmp_path / "r")
    done = subprocess.run([CLSFORGE, "report", str(runs[0]), "--out", str(afile)], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", f"clsforge: error: the output folder is a file: {afile}\n")
    assert afile.read_text(encoding="utf-8") == "x" and not (tmp_path / "r").exists()


def edit_metrics(run: Path, edit) -> Path:
    """Rewrite `run`/metrics.json with `edit(metrics)` applied (NaN written as JSON's NaN, as Python does)."""
    path = run / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))
    edit(metrics)
    path.write_text(json.dumps(metrics), encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "problem"), [
    (lambda m: m["test"].update(rouge2=float("nan")), "test.rouge2 is NaN: Input should be a finite number"),
    (lambda m: m["options"].update(r=float("nan")), "options.r is NaN: Input should be a finite number"),
    (lambda m: m["options"].update(lr=float("inf")), "options.lr is Infinity: Input should be a finite number"),
    (lambda m: m.update(r=float("nan")), "r is NaN: Input should be a finite number"),
    (lambda m: m["test"].update(rouge2=None), "test.rouge2 is null: Input should be a valid number"),
    (lambda m: m["test"].update(rouge2=250), "test.rouge2 is 250: Input should be less than or equal to 100 "
                                             "(a ROUGE F x 100 score)"),
    (lambda m: m["test"].update(rougeL=-1.5), "test.rougeL is -1.5: Input should be greater than or equal to 0 "
                                              "(a ROUGE F x 100 score)"),
    (lambda m: m["test"].update(rouge1="Infinity"), 'test.rouge1 is "Infinity": Input should be a finite number'),
    (lambda m: m.update(method="TFLCLS"), 'method is "TFLCLS": Value error, unknown method \'TFLCLS\'; registered: tflcls, mbart-cls, no-stage1, no-mono'),
    (lambda m: m.pop("test"), "no test scores (`test` is missing)"),
    (lambda m: m["test"].pop("rouge1"), "`test.rouge1` is missing"),
    (lambda m: m["test"].pop("n"), "`test.n` is missing"),
    (lambda m: m["test"].update(n=-2), "test.n is -2: Input should be greater than or equal to 0"),
    (lambda m: m.update(test=[1, 2, 3]), "test is [1, 2, 3]: Input should be a valid dictionary"),
    (lambda m: m["test"].update(rouge1=True), "test.rouge1 is true: Input should be a number, not true or false"),
    (lambda m: m["options"].update(seed=False), "options.seed is false: Input should be a number, not true or false"),
    (lambda m: m["options"].update(seed=1.5), "options.seed is 1.5: Input should be a valid integer, got a number "
                                              "with a fractional part"),
    (lambda m: m.update(dataset=None), "dataset is null: Input should be a valid dictionary"),
    (lambda m: m["options"].pop("seed"), "`options.seed` is missing"),
    (lambda m: m["options"].update(seed="x"), 'options.seed is "x": Input should be a valid integer, unable to '
                                              "parse string as an integer"),
    (lambda m: m["dataset"].pop("fingerprint"), "`dataset.fingerprint` is missing"),
    (lambda m: m["dataset"].update(fingerprint=None), "dataset.fingerprint is null: Input should be a valid string"),
    (lambda m: m.pop("source_lang"), "`source_lang` is missing"),
    (lambda m: m.update(train_size="many"), 'train_size is "many": Input should be a valid integer, unable to parse '
                                            "string as an integer"),
    (lambda m: m.update(backbone={"name": "x"}), "`backbone.fingerprint` is missing"),
])
def test_a_damaged_metrics_file_is_refused_naming_the_file_and_the_field(tmp_path, edit, problem):
    good = make_run(tmp_path, "good", "tflcls", 1000, (30.0, 10.0, 20.0))
    path = edit_metrics(make_run(tmp_path, "bad", "tflcls", 1000, (31.0, 11.0, 21.0), seed=1), edit)
    with pytest.raises(ValueError) as raised:
        write_report([good, path.parent], tmp_path / "r")
    assert str(raised.value) == f"{path}: {problem}"
    assert not (tmp_path / "r").exists()
    done = subprocess.run([CLSFORGE, "report", str(good), str(path.parent), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"clsforge: error: {path}: {problem}\n")


def test_a_run_that_scored_no_test_example_is_skipped_and_named(tmp_path):
    one = make_run(tmp_path, "s0", "tflcls", 1000, (30.0, 10.0, 20.0))
    empty = edit_metrics(make_run(tmp_path, "s1", "tflcls", 1000, (0.0, 0.0, 0.0), seed=1),
                         lambda m: m["test"].update(n=0))
    why = f"{empty} (test.n is 0: no test example was scored)"
    paths = write_report([one, empty.parent], tmp_path / "r")
    assert (paths["runs"], paths["skipped"]) == (1, [why])
    lines = table(paths)
    assert lines[4] == "| TFLCLS | **30.000** | **10.000** | **20.000** | 1 |"
    assert lines[-1] == f"Skipped: {why}"
    done = subprocess.run([CLSFORGE, "report", str(one), str(empty.parent), "--out", str(tmp_path / "r2")],
                          capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, f"clsforge: skipped {why}\n")
    alone = subprocess.run([CLSFORGE, "report", str(empty.parent), "--out", str(tmp_path / "r3")],
                           capture_output=True, text=True)
    assert (alone.returncode, alone.stderr) == (
        2, f"clsforge: error: no finished run among the folders given (skipped: {why})\n")


@pytest.mark.parametrize("seed", ["0", " 0", 0.0])
def test_a_seed_written_as_a_string_or_float_is_the_same_seed(tmp_path, seed):
    one = make_run(tmp_path, "s0", "tflcls", 1000, (30.0, 10.0, 20.0))
    twin = make_run(tmp_path, "s0b", "tflcls", 1000, (31.0, 11.0, 21.0))
    edit_metrics(twin, lambda m: m["options"].update(seed=seed))
    with pytest.raises(ValueError, match=f"^{one} and {twin} are the same setup with the same seed \\(0\\): "
                                         "give each seed once$"):
        write_report([one, twin], tmp_path / "r")
    other = make_run(tmp_path, "s1", "tflcls", 1000, (32.0, 12.0, 22.0))
    edit_metrics(other, lambda m: m["options"].update(seed="1", stage1_lr=str(m["options"]["stage1_lr"])))
    assert table(write_report([one, other], tmp_path / "r"))[4] == (
        "| TFLCLS | **31.000** ± 1.414 | **11.000** ± 1.414 | **21.000** ± 1.414 | 2 |")
