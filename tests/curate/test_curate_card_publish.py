"""Dataset card (curate.card), statistics (curate.stats) and Hub publishing (curate.publish)."""

import json
from pathlib import Path

import httpx
import pytest
import yaml
from huggingface_hub.errors import HfHubHTTPError

from curate.card import write_card
from curate.dataset import InvalidDatasetError, split_path
from curate.io import write_jsonl
from curate.publish import publish
from curate.splits import write_splits
from curate.stats import compute_stats

FILES = [
    "README.md",
    "data/test.parquet",
    "data/train_3.parquet",
    "data/train_6.parquet",
    "data/validation.parquet",
    "scores.png",
    "stats.json",
]


@pytest.fixture
def dataset(tmp_path) -> Path:
    """A Vi2Zh dataset directory: 2 test, 2 validation, train 3 and 6, stats, card, plot."""
    pool = [
        {
            "id": f"a{i}",
            "text": "Hà Nội hôm nay mưa to " + "gió " * i,  # 5 + i words
            "summary": f"Mưa to ở Hà Nội lần {i}",  # 7 words
            "summary_zh": "河内今天下大雨" + "。" * (i % 2),  # 7 characters; punctuation counts too
            "rt_rouge1": 90.0,
            "rt_rouge2": 80.0,
            "rt_rougeL": 85.0,
        }
        for i in range(10)
    ]
    write_jsonl(tmp_path / "pool.jsonl", pool)
    directory = tmp_path / "Vi2ZhLow"
    write_splits(tmp_path / "pool.jsonl", directory, "vi", "zh", train_sizes=(3, 6), validation=2, test=2)
    (directory / "scores.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_card(
        directory,
        {
            "recipe": "datasets/vi2zh_low.yaml",
            "translator": "google-v3",
            "filter": {"key": "mean", "cutoff": 85.0, "dropped": {"duplicate_summary": 4}},
            "seed": 0,
            "plot": "scores.png",
        },
    )
    return directory


def test_stats_use_each_language_unit(dataset):
    stats = compute_stats(dataset)
    assert stats["source_lang"] == "vi" and stats["target_lang"] == "zh"
    assert list(stats["splits"]) == ["train_3", "train_6", "validation", "test"]
    for split in stats["splits"].values():
        assert split["source_summary"] == {"unit": "words", "mean": 7.0}
        assert split["target_summary"]["unit"] == "chars" and 7 <= split["target_summary"]["mean"] <= 8
    assert stats["splits"]["train_6"]["records"] == 6
    assert json.loads((dataset / "stats.json").read_text()) == stats


def test_card_header_declares_one_config_per_train_size(dataset):
    text = (dataset / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["language"] == ["vi", "zh"]
    assert header["license"] == "other"
    assert header["task_categories"] == ["summarization", "translation"]
    assert header["size_categories"] == ["n<1K"]
    assert header["configs"] == [
        {
            "config_name": f"n{n}",
            "data_files": [
                {"split": "train", "path": f"data/train_{n}.parquet"},
                {"split": "validation", "path": "data/validation.parquet"},
                {"split": "test", "path": "data/test.parquet"},
            ],
            **({"default": True} if n == 6 else {}),
        }
        for n in (3, 6)
    ]
    assert "| train_6 | 6 | " in text
    assert "ranked by `mean`" in text and "cut-off 85.00\n" in text and "google-v3" in text
    assert "![Round-trip score distribution with the cut-off](scores.png)" in text
    assert "NCLS" not in text


def test_a_plot_outside_the_directory_is_copied_in(dataset, tmp_path):
    (tmp_path / "elsewhere.png").write_bytes(b"\x89PNG\r\n\x1a\nplot")
    write_card(dataset, {"plot": str(tmp_path / "elsewhere.png")})
    assert (dataset / "elsewhere.png").read_bytes().endswith(b"plot")
    assert "](elsewhere.png)" in (dataset / "README.md").read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="no score plot at"):
        write_card(dataset, {"plot": str(tmp_path / "missing.png")})


def test_load_dataset_reads_each_config(dataset, tmp_path):
    import datasets

    n3 = datasets.load_dataset(str(dataset), "n3", cache_dir=str(tmp_path / "cache"))
    assert {name: len(split) for name, split in n3.items()} == {"train": 3, "validation": 2, "test": 2}
    assert n3["train"].column_names[:6] == [
        "id", "source_lang", "target_lang", "source_text", "source_summary", "target_summary"
    ]
    n6 = datasets.load_dataset(str(dataset), "n6", cache_dir=str(tmp_path / "cache"))
    assert set(n3["train"]["id"]) < set(n6["train"]["id"])


def test_dry_run_prints_exactly_the_files_and_uploads_nothing(dataset, capsys, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_value")
    result = publish(dataset, "me/vi2zh-low", dry_run=True, api=object())
    out = capsys.readouterr().out
    assert result["files"] == FILES and result["commit_url"] is None
    assert [line.split("\t")[0].strip() for line in out.splitlines()[1:]] == FILES
    assert "hf_secret_token_value" not in out


def test_files_outside_the_dataset_layout_are_left_out_and_named(dataset, capsys, monkeypatch):
    # `clsforge export --out DIR/data` or a note beside the card must not reach the Hub with the dataset.
    (dataset / "data" / "train_vi2zh_dataset.csv").write_text("id,text\n", encoding="utf-8")
    (dataset / "notes.txt").write_text("mine", encoding="utf-8")
    result = publish(dataset, "me/vi2zh-low", dry_run=True, api=object())
    captured = capsys.readouterr()
    assert result["files"] == FILES
    assert result["left_out"] == ["data/train_vi2zh_dataset.csv", "notes.txt"]
    assert "not uploaded (not part of the dataset layout): data/train_vi2zh_dataset.csv, notes.txt" in captured.err


class FakeHub:
    """Records calls; answers HTTP 429 to the first `rate_limited` commits."""

    def __init__(self, rate_limited=0, status=429):
        self.calls, self.rate_limited, self.status = [], rate_limited, status

    def create_repo(self, repo_id, **kwargs):
        self.calls.append(("create_repo", repo_id, kwargs))

    def create_commit(self, **kwargs):
        self.calls.append(("create_commit", kwargs["repo_id"], [op.path_in_repo for op in kwargs["operations"]]))
        if self.rate_limited:
            self.rate_limited -= 1
            request = httpx.Request("POST", "https://huggingface.co/api/datasets/me/x/commit/main")
            raise HfHubHTTPError("slow down", response=httpx.Response(self.status, request=request))
        return type("Commit", (), {"commit_url": "https://huggingface.co/datasets/me/x/commit/abc"})()


def test_publish_creates_the_repo_and_uploads_in_one_commit_retrying_on_429(dataset):
    hub, waits = FakeHub(rate_limited=2), []
    result = publish(dataset, "me/x", private=True, api=hub, sleep=waits.append)
    assert hub.calls[0] == ("create_repo", "me/x", {"repo_type": "dataset", "private": True, "exist_ok": True})
    assert [call[0] for call in hub.calls] == ["create_repo"] + ["create_commit"] * 3
    assert hub.calls[-1][2] == FILES
    assert waits == [2.0, 4.0]
    assert result["commit_url"] == "https://huggingface.co/datasets/me/x/commit/abc"


def test_other_hub_errors_are_not_retried(dataset):
    hub, waits = FakeHub(rate_limited=1, status=403), []
    with pytest.raises(HfHubHTTPError):
        publish(dataset, "me/x", api=hub, sleep=waits.append)
    assert waits == [] and len(hub.calls) == 2


def test_publish_refuses_an_invalid_directory_before_touching_the_hub(dataset):
    hub = FakeHub()
    with pytest.raises(ValueError, match="OWNER/NAME"):
        publish(dataset, "no-owner", api=hub)
    split_path(dataset, "validation").unlink()
    with pytest.raises(InvalidDatasetError, match="missing split validation"):
        publish(dataset, "me/x", api=hub)
    assert hub.calls == []


def test_ncls_data_is_published_only_privately(tmp_path):
    from curate.ncls import build_ncls_low

    build_ncls_low(Path(__file__).parent / "fixtures" / "ncls", "en2zh", tmp_path / "ds", train_sizes=(2,))
    hub = FakeHub()
    with pytest.raises(ValueError, match="NCLS, whose terms forbid redistribution: publish it with --private"):
        publish(tmp_path / "ds", "me/en2zh", api=hub)
    assert hub.calls == []
    publish(tmp_path / "ds", "me/en2zh", private=True, api=hub, sleep=lambda s: None)
    assert hub.calls[0][2]["private"] is True


def test_publish_refuses_files_that_contain_the_token(dataset, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_value")
    (dataset / "leakage.json").write_text('{"note": "token hf_secret_token_value"}\n')  # an uploaded file
    hub = FakeHub()
    with pytest.raises(ValueError, match="leakage.json contains the Hugging Face token") as error:
        publish(dataset, "me/x", api=hub)
    assert "hf_secret_token_value" not in str(error.value)
    assert [call[0] for call in hub.calls] == []


def test_the_pushed_card_names_the_repo_it_goes_to(dataset):
    class Recorder(FakeHub):
        def create_commit(self, **kwargs):
            self.operations = kwargs["operations"]
            return super().create_commit(**kwargs)

    hub = Recorder()
    before = (dataset / "README.md").read_text(encoding="utf-8")
    publish(dataset, "someone/Elsewhere", api=hub, sleep=lambda s: None)
    card = next(op for op in hub.operations if op.path_in_repo == "README.md")
    pushed = card.path_or_fileobj.decode("utf-8")
    assert 'load_dataset("someone/Elsewhere", "n3")' in pushed
    assert pushed == before.replace('load_dataset("<this directory or repo id>"', 'load_dataset("someone/Elsewhere"')
    assert (dataset / "README.md").read_text(encoding="utf-8") == before  # the local card is left as it was


def test_the_card_names_each_translator_from_its_spec():
    from curate.card import translation_engine
    from curate.translate.spec import TranslatorSpec

    assert translation_engine(TranslatorSpec(backend="google-v3", google_project="p")) == (
        "Google Cloud Translation v3 (Advanced, NMT model)")
    assert translation_engine(TranslatorSpec(backend="hf", model="facebook/nllb-200-distilled-600M")) == (
        "the Hugging Face model facebook/nllb-200-distilled-600M")
    assert translation_engine(TranslatorSpec(backend="memory", memory="/data/demo/t.jsonl")) == (
        "a translation memory replayed from t.jsonl")


def test_a_built_card_describes_columns_translation_terms_and_citation(tmp_path, dataset):
    write_card(dataset, {
        "engine": "Google Cloud Translation v3 (Advanced, NMT model)", "back_engine": "a translation memory replayed from t.jsonl",
        "sites": ["vnexpress", "dantri"], "filter": {"key": "mean", "cutoff": 39.85536666666667}, "repo_id": "me/Vi2ZhLow",
        "warnings": ["filter.k is 300 but only 40 of 40 scored records were left to keep: the dataset has 40"],
    })
    text = (dataset / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---\n")[1])
    assert (header["license"], header["license_name"]) == ("other", "news-publishers-copyright")
    assert "- `source_summary`: the article's lead summary (sapo) as its publisher wrote it\n" in text
    assert "- `rt_rouge2`: ROUGE-2 F x 100 between `source_summary` and its back-translation (round-trip score)\n" in text
    assert ("`target_summary` is a machine translation of `source_summary` by Google Cloud Translation v3 "
            "(Advanced, NMT model); no person wrote or checked it.") in text
    assert "crawled from news sites (vnexpress, dantri), obeying robots.txt; their publishers hold the copyright" in text
    assert "cut-off 39.86\n" in text and "39.855" not in text
    assert "doi     = {10.3934/mbe.2024047}" in text and "@software{clsforge," in text
    assert 'load_dataset("me/Vi2ZhLow", "n3")' in text
    assert "- **Warning:** filter.k is 300 but only 40 of 40 scored records were left to keep" in text
