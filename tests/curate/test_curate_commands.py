"""The `clsforge ncls`, `stats`, `publish --dry-run` and `export` commands, end to end."""

import json
from pathlib import Path

from tests.cli import clsforge

RELEASE = Path(__file__).parent / "fixtures" / "ncls"




def test_ncls_then_stats_publish_dry_run_and_export(tmp_path):
    out = tmp_path / "En2ZhLow"
    ncls = clsforge("ncls", "--input", str(RELEASE), "--direction", "en2zh", "--out", str(out), "--train-sizes", "2,4")
    assert ncls.returncode == 0, ncls.stderr
    assert json.loads(ncls.stdout)["splits"] == {"validation": 3, "test": 3, "train_2": 2, "train_4": 4}
    stats = clsforge("stats", str(out), "--json")
    assert json.loads(stats.stdout)["splits"]["train_4"]["records"] == 4
    table = clsforge("stats", str(out))
    assert "validation" in table.stdout and "stats.json" in table.stdout
    public = clsforge("publish", str(out), "--repo-id", "me/en2zh-low", "--dry-run")
    assert public.returncode == 2 and "NCLS, whose terms forbid redistribution" in public.stderr and not public.stdout
    dry = clsforge("publish", str(out), "--repo-id", "me/en2zh-low", "--dry-run", "--private")
    assert dry.returncode == 0, dry.stderr
    assert "would upload 6 files" in dry.stdout and "data/train_4.parquet" in dry.stdout
    export = clsforge("export", str(out), "--format", "tflcls-csv", "--out", str(tmp_path / "csv"))
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "csv" / "train_en2zhen_sum_dataset.csv").is_file()


def test_bad_input_is_one_line_and_exit_status_2(tmp_path):
    bad = clsforge("ncls", "--input", str(tmp_path), "--direction", "en2zh", "--out", str(tmp_path / "o"))
    assert bad.returncode == 2
    assert bad.stderr.strip() == f"clsforge: error: no EN2ZHSUM_valid.txt in {tmp_path} (expected the NCLS release folder or its EN2ZHSUM/)"
    sizes = clsforge("ncls", "--input", str(RELEASE), "--direction", "en2zh", "--out", str(tmp_path), "--train-sizes", "1k")
    assert sizes.returncode == 2 and "--train-sizes must be comma-separated integers" in sizes.stderr
    export = clsforge("export", str(tmp_path), "--format", "jsonl", "--out", str(tmp_path / "x"))
    assert export.returncode == 2 and "unknown export format 'jsonl'" in export.stderr


def test_a_corrupted_split_is_one_line_naming_the_file_for_stats_and_publish(tmp_path):
    out = tmp_path / "ds"
    built = clsforge("ncls", "--input", str(RELEASE), "--direction", "en2zh", "--out", str(out), "--train-sizes", "2")
    assert built.returncode == 0, built.stderr
    (out / "stats.json").unlink()
    (out / "data" / "test.parquet").write_bytes(b"not parquet")
    message = f"clsforge: error: {out / 'data' / 'test.parquet'} is not a readable Parquet file: "
    for args in (("stats", str(out)), ("publish", str(out), "--repo-id", "me/x", "--dry-run")):
        result = clsforge(*args)
        assert result.returncode == 2
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert not (out / "stats.json").exists()


def test_stats_refuses_a_dataset_without_a_validation_split(tmp_path):
    out = tmp_path / "ds"
    built = clsforge("ncls", "--input", str(RELEASE), "--direction", "en2zh", "--out", str(out), "--train-sizes", "2")
    assert built.returncode == 0, built.stderr
    (out / "data" / "validation.parquet").unlink()
    result = clsforge("stats", str(out))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"clsforge: error: {out} has no validation split (data/validation.parquet): not a dataset directory\n"
    )


def test_stats_of_a_missing_folder_says_so(tmp_path):
    result = clsforge("stats", str(tmp_path / "nosuch"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"clsforge: error: No such folder: {tmp_path / 'nosuch'}\n"
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = clsforge("stats", str(tmp_path / "afile"))
    assert (result.returncode, result.stderr) == (2, f"clsforge: error: Not a folder: {tmp_path / 'afile'}\n")


def test_export_to_an_existing_file_says_the_output_folder_is_a_file(tmp_path):
    out = tmp_path / "ds"
    built = clsforge("ncls", "--input", str(RELEASE), "--direction", "en2zh", "--out", str(out), "--train-sizes", "2")
    assert built.returncode == 0, built.stderr
    (tmp_path / "afile").write_text("keep", encoding="utf-8")
    result = clsforge("export", str(out), "--out", str(tmp_path / "afile"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"clsforge: error: the output folder is a file: {tmp_path / 'afile'}\n"
    inside = clsforge("export", str(out), "--out", str(tmp_path / "afile" / "csv"))
    assert (inside.returncode, inside.stderr) == (2, result.stderr)
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "ds"]
