"""Per-input outputs (the flow's mapped tasks) merge into the records and counts of one sequential run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from crawl.warc.merge import merge_outputs
from crawl.warc.run import extract_warcs, input_key

from .conftest import read_records
from .test_warc_resume import three_inputs

SITES = ["vnexpress", "dantri"]


def test_merged_per_input_outputs_equal_one_sequential_run(tmp_path: Path) -> None:
    inputs = three_inputs(tmp_path)
    whole = extract_warcs(SITES, inputs, tmp_path / "whole", progress=False)
    folders = [tmp_path / "files" / input_key(name) for name in inputs]
    for name, folder in zip(inputs, folders):
        extract_warcs(SITES, [name], folder, progress=False)
    outs = {site: tmp_path / site for site in SITES}
    merged = merge_outputs(folders, outs)
    merge_again = merge_outputs(folders, outs)  # a rerun of the merge replaces, never appends

    assert merge_again == merged
    by_id = lambda records: sorted(records, key=lambda record: record["id"])  # noqa: E731
    assert by_id(read_records(outs["vnexpress"]) + read_records(outs["dantri"])) == by_id(read_records(tmp_path / "whole"))
    for site in SITES:
        assert merged[site]["outcomes"] == whole["sites"][site]["outcomes"]
        assert merged[site]["dropped"] == whole["sites"][site]["dropped"]
        assert sum(merged[site]["outcomes"].values()) == merged[site]["records"] == whole["sites"][site]["records"]
        assert (merged[site]["files_done"], merged[site]["records_read"]) == (3, whole["records_read"])
    assert merged["vnexpress"]["dropped"] == {"duplicate_url": 2, "no_summary": 2}
    assert Counter(whole["dropped"]) == Counter(merged["vnexpress"]["dropped"]) + Counter(merged["dantri"]["dropped"])
