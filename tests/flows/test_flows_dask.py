"""The curate stages on a Dask cluster (a LocalCluster of threads, reached by its address)."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.io import write_jsonl
from flows.recipe import Recipe
from flows.runners import task_runner

pytestmark = pytest.mark.slow

SUMMARIES = [
    "Hà Nội thí điểm làn riêng cho xe buýt trên đường Nguyễn Trãi",
    "Giá cà phê lập đỉnh mới, nông dân Tây Nguyên tăng diện tích tái canh",
    "Hơn 98.000 thí sinh TP HCM thi vào lớp 10 công lập",
    "Ca sốt xuất huyết ở TP HCM tăng gần 30% sau đợt mưa đầu mùa",
    "Nhóm nhà khoa học chế tạo cảm biến giấy đo độ mặn giá rẻ",
    "Nhiều ngân hàng hạ lãi suất cho vay hộ kinh doanh",
    "Đà Nẵng mở thêm tuyến buýt nối sân bay với trung tâm",
    "Cần Thơ khởi công cầu mới bắc qua sông Hậu",
    "Học sinh Huế giành huy chương vàng Olympic Tin học",
    "Nông dân miền Tây trúng mùa lúa đông xuân",
]


def test_task_runner_choices() -> None:
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    assert isinstance(task_runner(None), ThreadPoolTaskRunner)
    assert task_runner("local:threads").cluster_kwargs == {"processes": False, "n_workers": 1}
    assert task_runner("tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    assert isinstance(task_runner("local"), DaskTaskRunner)
    with pytest.raises(ValueError, match="--dask takes"):
        task_runner("10.0.0.5")


def test_curate_stages_on_a_dask_cluster(prefect_api: str, google_emulator, tmp_path: Path) -> None:
    from distributed import LocalCluster

    from flows.build import curate_pool

    pool = tmp_path / "pool.jsonl"
    write_jsonl(pool, (
        {"id": f"a{i:02d}", "url": f"https://example.vn/{i}", "site": "generic", "lang": "vi", "title": s,
         "summary": s, "text": f"{s}. Bài viết số {i} kể chi tiết về sự việc và ý kiến của người dân địa phương."}
        for i, s in enumerate(SUMMARIES)
    ))
    recipe = Recipe(
        name="DaskVi2En", source_lang="vi", target_lang="en", sites=[{"site": "generic"}], shard_size=4,
        translate={"backend": "google-v3", "google_endpoint": google_emulator.url, "google_project": "p"},
        back_translate={"backend": "google-v3", "google_endpoint": google_emulator.url, "google_project": "p"},
        filter={"k": 8}, splits={"train_sizes": [2, 4], "validation": 2, "test": 2},
    )
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        curate = curate_pool.with_options(task_runner=task_runner(cluster.scheduler_address))
        result = curate(recipe, str(tmp_path / "work"), str(pool), [{"stage": "crawled", "records": 10}])
        ran_on_dask = {prefix.split("-")[0] for prefix in cluster.scheduler.task_prefixes}
    assert {"shard", "translate_shard", "score_shard", "concatenate", "filter_pool", "split", "audit_leakage", "describe"} <= ran_on_dask
    assert [count["records"] for count in result["counts"]] == [10, 10, 8, 8]
    assert result["splits"] == {"test": 2, "validation": 2, "train_2": 2, "train_4": 4}
    assert len(list((tmp_path / "work" / "shards" / "scored").glob("*.jsonl"))) == 3
