"""Shared fixtures of the train tests: a tiny vi->zh dataset and a tiny mBART built on its text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from train.tiny import build_tiny_mbart

# (source text, Vietnamese summary, Chinese summary): short news items written for these tests.
ITEMS = [
    ("Sáng nay Hà Nội có mưa lớn kéo dài. Nhiều tuyến phố bị ngập sâu, giao thông ùn tắc nghiêm trọng.",
     "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu.", "河内大雨，多条街道严重积水。"),
    ("Thủ tướng yêu cầu các bộ, ngành đẩy nhanh tiến độ giải ngân vốn đầu tư công trong quý cuối năm.",
     "Thủ tướng yêu cầu đẩy nhanh giải ngân vốn đầu tư công.", "总理要求加快公共投资资金拨付。"),
    ("Giá xăng dầu trong nước giảm nhẹ từ chiều nay sau kỳ điều hành của liên bộ Công Thương và Tài chính.",
     "Giá xăng dầu giảm nhẹ từ chiều nay.", "国内汽油价格从今天下午起小幅下调。"),
    ("Đội tuyển bóng đá Việt Nam thắng Thái Lan hai bàn không gỡ trong trận chung kết tối qua.",
     "Việt Nam thắng Thái Lan 2-0 ở chung kết.", "越南队在决赛中以二比零战胜泰国队。"),
    ("Thành phố Hồ Chí Minh khởi công tuyến metro số hai với tổng vốn đầu tư hơn bốn tỷ đô la.",
     "TP HCM khởi công tuyến metro số hai.", "胡志明市地铁二号线开工建设。"),
    ("Bộ Y tế khuyến cáo người dân tiêm vắc xin cúm trước mùa đông để bảo vệ sức khỏe.",
     "Bộ Y tế khuyến cáo tiêm vắc xin cúm.", "卫生部建议民众接种流感疫苗。"),
    ("Xuất khẩu gạo của Việt Nam tăng mạnh trong mười tháng đầu năm nhờ giá thế giới tăng cao.",
     "Xuất khẩu gạo tăng mạnh nhờ giá cao.", "越南大米出口因价格上涨而大幅增长。"),
    ("Một trận động đất nhỏ xảy ra ở tỉnh Kon Tum, không gây thiệt hại về người và tài sản.",
     "Động đất nhỏ ở Kon Tum, không gây thiệt hại.", "昆嵩省发生小地震，未造成损失。"),
]


def write_dataset(root: Path, train_sizes: tuple[int, ...] = (4, 8)) -> Path:
    """The dataset layout (data/train_N.parquet nested, validation, test) from ITEMS."""
    records = [
        {"id": f"doc{i}", "source_lang": "vi", "target_lang": "zh", "source_text": text,
         "source_summary": vi, "target_summary": zh}
        for i, (text, vi, zh) in enumerate(ITEMS)
    ]
    data = root / "data"
    data.mkdir(parents=True)
    for size in train_sizes:
        pd.DataFrame(records[:size]).to_parquet(data / f"train_{size}.parquet")
    pd.DataFrame(records[:3]).to_parquet(data / "validation.parquet")
    pd.DataFrame(records[3:6]).to_parquet(data / "test.parquet")
    return root


def corpus_texts() -> list[str]:
    """Every text of ITEMS plus a little English: what the tiny tokenizer is trained on."""
    return [t for item in ITEMS for t in item] + ["The prime minister asked ministries to speed up investment."]


@pytest.fixture(scope="session")
def items() -> list[tuple[str, str, str]]:
    """The fixture news items: (source text, Vietnamese summary, Chinese summary)."""
    return ITEMS


@pytest.fixture(scope="session")
def make_dataset():
    """`write_dataset(root, train_sizes)`, for tests that need their own dataset folder."""
    return write_dataset


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory) -> Path:
    """A tiny vi->zh dataset directory (train_4, train_8, validation 3, test 3)."""
    return write_dataset(tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random mBART with a tokenizer trained on the fixture texts."""
    return build_tiny_mbart(tmp_path_factory.mktemp("tiny_mbart"), corpus_texts(), vocab_size=300)


@pytest.fixture(scope="session")
def lively_model(tmp_path_factory) -> Path:
    """The tiny mBART with large random weights (init std 1.0): its greedy outputs differ from input to input."""
    return build_tiny_mbart(tmp_path_factory.mktemp("lively_mbart"), corpus_texts(), vocab_size=300, init_std=1.0)
