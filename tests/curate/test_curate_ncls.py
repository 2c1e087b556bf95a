"""NCLS release parsing and the En2ZhLow / Zh2EnLow samplers (curate.ncls_format, curate.ncls)."""

import json
from collections import Counter
from pathlib import Path

import pytest

from curate.dataset import read_split, split_path, validate_dataset
from curate.ncls import build_ncls_low
from curate.ncls_format import iter_docs
from curate.splits import PoolTooSmallError

FIXTURES = Path(__file__).parent / "fixtures"
RELEASE = FIXTURES / "ncls"
EN2ZH = RELEASE / "NCLS-Data" / "EN2ZHSUM"
SPLITS = ("test", "validation", "train_2", "train_4", "train_6")


def ids(directory, split):
    return [r["id"] for r in read_split(split_path(directory, split), ["id"])]


def test_parser_is_lenient_and_reports_what_it_could_not_place(tmp_path):
    problems = Counter()
    docs = list(iter_docs(EN2ZH / "EN2ZHSUM_train.txt", problems))
    assert [d.id for d in docs] == [str(i) for i in range(14)]
    assert problems == {"text_outside_doc": 1}
    no_closing_tags, blank_lines = docs[3], docs[5]
    assert no_closing_tags.summary("en") == "Floods hit northern provinces . Thousands of people were evacuated ."
    assert no_closing_tags.summary("zh") == "暴雨导致北方多省发生洪水。数千人被疏散。"
    assert blank_lines.summary("zh") == "现代艺术博物馆在市中心开幕。第一周免费入场。"
    assert docs[12].summary("zh") == ""

    odd = tmp_path / "odd.txt"
    odd.write_text(
        '<doc id="7"><Article>One line article .</Article><EN-REF-2>second .</EN-REF-2><EN-REF-1>first .\n'
        "<ZH-REF-1>第一。\n<doc id=8>\n<Article>\nunclosed at the end\n",
        encoding="utf-8",
    )
    problems = Counter()
    docs = list(iter_docs(odd, problems))
    assert [(d.id, d.source_text(), d.summary("en"), d.summary("zh")) for d in docs] == [
        ("7", "One line article .", "first . second .", "第一。"),
        ("8", "unclosed at the end", "", ""),
    ]
    assert problems == {"unclosed_doc": 2}


def test_human_corrected_references_replace_their_own_sentence_only(tmp_path):
    # sentence 2 has no human correction: its machine-translated reference is kept, not dropped
    partial = tmp_path / "partial.txt"
    partial.write_text(
        "<doc id=0>\n<Article>\nA .\n</Article>\n<ZH-REF-1>一（机翻）</ZH-REF-1>\n"
        "<ZH-REF-1-human-corrected>一。</ZH-REF-1-human-corrected>\n<ZH-REF-2>二。</ZH-REF-2>\n"
        "<ZH-REF-3-human-corrected>三。</ZH-REF-3-human-corrected>\n<ZH-REF-3>三（机翻）</ZH-REF-3>\n</doc>\n",
        encoding="utf-8",
    )
    (doc,) = iter_docs(partial, Counter())
    assert doc.summary("zh") == "一。二。三。"


def test_en2zh_uses_ncls_eval_sets_prefers_human_references_and_reports_skips(tmp_path):
    result = build_ncls_low(RELEASE, "en2zh", tmp_path, train_sizes=(2, 4, 6), seed=0)
    assert result.splits == {"validation": 3, "test": 3, "train_2": 2, "train_4": 4, "train_6": 6}
    assert result.skipped == {"train": {"no_zh_summary": 1, "overlaps_validation_or_test": 1}}
    assert result.format_problems == {"EN2ZHSUM_train.txt": {"text_outside_doc": 1}}
    assert result.train_candidates == 12
    assert result.stats == json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert result.stats["splits"]["train_6"]["records"] == 6
    test = read_split(split_path(tmp_path, "test"))
    assert test[0]["id"] == "en2zh-test-0"
    assert test[0]["source_summary"] == "Plan to plant a million trees . Volunteers can join the effort ."
    assert test[0]["target_summary"] == "政府宣布种植一百万棵树的计划。志愿者可以参与。"  # not the "（机翻）" machine refs
    assert ids(tmp_path, "validation") == ["en2zh-validation-0", "en2zh-validation-1", "en2zh-validation-2"]
    train = ids(tmp_path, "train_6")
    assert ids(tmp_path, "train_2") == train[:2] and ids(tmp_path, "train_4") == train[:4]
    assert not {"en2zh-train-12", "en2zh-train-13"} & set(train)
    assert validate_dataset(tmp_path)["train_6"] == 6
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "license: other" in card and "## Terms of the NCLS data" in card
    assert "research purposes only" in card and "no_zh_summary" in card


def test_sampling_is_seeded_and_byte_identical(tmp_path):
    build_ncls_low(EN2ZH, "en2zh", tmp_path / "a", train_sizes=(2, 4, 6), seed=3)
    build_ncls_low(RELEASE, "en2zh", tmp_path / "b", train_sizes=(2, 4, 6), seed=3)
    build_ncls_low(RELEASE, "en2zh", tmp_path / "c", train_sizes=(2, 4, 6), seed=4)
    for split in SPLITS:
        assert split_path(tmp_path / "a", split).read_bytes() == split_path(tmp_path / "b", split).read_bytes()
    assert ids(tmp_path / "a", "train_6") != ids(tmp_path / "c", "train_6")
    assert ids(tmp_path / "a", "test") == ids(tmp_path / "c", "test")


def test_zh2en_takes_source_texts_from_lcsts_by_doc_id(tmp_path):
    # 11 of the 12 train records have an LCSTS text, so train_11 holds every one of them
    result = build_ncls_low(RELEASE, "zh2en", tmp_path, train_sizes=(2, 11), lcsts=FIXTURES / "lcsts" / "PART_I.txt")
    assert result.lcsts_resolved == 11
    assert result.skipped == {"train": {"no_en_summary": 1, "no_source_text": 1}}
    train = {r["id"]: r for r in read_split(split_path(tmp_path, "train_11"))}
    assert sorted(train) == sorted(f"zh2en-train-{i}" for i in range(11))
    three = train["zh2en-train-3"]
    assert three["source_text"] == "据报道，暴雨导致北方多省发生洪水。数千人被疏散。有关部门表示，这是第3条消息，后续情况将继续关注。"
    assert three["source_summary"] == "暴雨导致北方多省发生洪水。"
    assert three["target_summary"] == "Floods hit northern provinces ."
    assert all(r["source_lang"] == "zh" and r["target_lang"] == "en" for r in train.values())
    assert read_split(split_path(tmp_path, "test"))[0]["source_summary"] == "政府宣布种植一百万棵树的计划。"


def test_missing_inputs_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="pass --lcsts"):
        build_ncls_low(RELEASE, "zh2en", tmp_path, train_sizes=(2,))
    with pytest.raises(PoolTooSmallError, match="gave 12 usable sampled records, fewer than the largest train size 50"):
        build_ncls_low(RELEASE, "en2zh", tmp_path, train_sizes=(50,))
    with pytest.raises(FileNotFoundError, match="no ZH2ENSUM_valid.txt in"):
        build_ncls_low(EN2ZH, "zh2en", tmp_path)
    with pytest.raises(ValueError, match="unknown NCLS direction 'fr2en'"):
        build_ncls_low(RELEASE, "fr2en", tmp_path)


def test_a_wrong_lcsts_path_fails_before_any_ncls_file_is_read(tmp_path, monkeypatch):
    read = []
    monkeypatch.setattr("curate.ncls.iter_docs", lambda path, problems: read.append(path) or iter(()))
    with pytest.raises(FileNotFoundError, match=r"no LCSTS data at .*nowhere \(a PART_I.txt file or a folder"):
        build_ncls_low(RELEASE, "zh2en", tmp_path / "out", train_sizes=(2,), lcsts=tmp_path / "nowhere")
    assert read == [] and not (tmp_path / "out").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no LCSTS data at"):
        build_ncls_low(RELEASE, "zh2en", tmp_path / "out", train_sizes=(2,), lcsts=tmp_path / "empty")
    assert read == []


def test_bytes_that_are_not_utf8_are_counted_per_line(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"<doc id=1>\n<Article>\nA \xff\xfe b .\n</Article>\n<EN-REF-1>\nok .\n</EN-REF-1>\n</doc>\n")
    problems = Counter()
    (doc,) = iter_docs(broken, problems)
    assert problems == {"not_utf8_line": 1}
    assert doc.source_text() == "A \ufffd\ufffd b ." and doc.summary("en") == "ok ."


def test_tag_like_text_inside_an_article_is_text_or_counted_formatting(tmp_path):
    """Only the release's tags are structure: nothing of the article is cut off at `<br>` or `<b>`."""
    path = tmp_path / "tags.txt"
    path.write_text(
        "<doc id=1>\n<Article>\nThe bank cut the forecast <br> analysts said <b>growth</b> would slow ,\n"
        "citing <Reuters> data and a<br/>b <P CLASS=x>last</p> line .\n</Article>\n"
        "<EN-REF-1>Bank cuts <i>forecast</i> .</EN-REF-1>\n<ZH-REF-1>银行下调<br>预测。</ZH-REF-1>\n</doc>\n",
        encoding="utf-8",
    )
    problems = Counter()
    (doc,) = iter_docs(path, problems)
    assert sorted(doc.tags) == ["article", "en-ref-1", "zh-ref-1"]
    assert doc.source_text() == (
        "The bank cut the forecast analysts said growth would slow , citing <Reuters> data and a b last line ."
    )
    assert doc.summary("en") == "Bank cuts forecast ."
    assert doc.summary("zh") == "银行下调 预测。"
    assert problems == {"html_tag_removed": 9, "tag_like_text": 1}


def ncls_doc(key: str, doc_id: str | None = "auto", article: bool = True, en: bool = True, zh: bool = True) -> str:
    """One En2Zh `<doc>` whose texts are unique to `key` (docs with the same key repeat each other)."""
    head = "<doc>" if doc_id is None else f"<doc id={key if doc_id == 'auto' else doc_id}>"
    parts = [head]
    if article:
        parts.append(f"<Article>\nThe full article about topic {key} , in several words .\n</Article>")
    if en:
        parts.append(f"<EN-REF-1>\nSummary of topic {key} .\n</EN-REF-1>")
    if zh:
        parts.append(f"<ZH-REF-1>\n主题{key}的摘要。\n</ZH-REF-1>")
    return "\n".join(parts + ["</doc>"]) + "\n"


def test_every_ncls_record_read_is_kept_or_skipped_for_one_reason(tmp_path):
    """Per split: docs read == records kept + skipped.total, each skip reason present on a tiny release."""
    folder = tmp_path / "EN2ZHSUM"
    folder.mkdir()
    files = {
        "valid": [ncls_doc("v0"), ncls_doc("v1"), ncls_doc("v1", doc_id="v2"),  # v2 repeats v1: duplicate
                  ncls_doc("v3", doc_id=None), ncls_doc("v4", zh=False), ncls_doc("v5", article=False)],
        "test": [ncls_doc("t0"), ncls_doc("v0", doc_id="t1"),  # t1 repeats validation's v0
                 ncls_doc("t2", en=False), ncls_doc("t3")],
        "train": [ncls_doc("g0"), ncls_doc("g1"), ncls_doc("g2"), ncls_doc("g3", doc_id=None),
                  ncls_doc("g4", en=False), ncls_doc("g5", zh=False), ncls_doc("t0", doc_id="g6")],  # g6 repeats test's t0
    }
    for split, docs in files.items():
        (folder / f"EN2ZHSUM_{split}.txt").write_text("".join(docs), encoding="utf-8")
    result = build_ncls_low(tmp_path, "en2zh", tmp_path / "ds", train_sizes=(1, 3))
    assert result.skipped == {
        "validation": {"duplicate": 1, "missing_id": 1, "no_source_text": 1, "no_zh_summary": 1},
        "test": {"no_en_summary": 1, "overlaps_validation_or_test": 1},
        "train": {"missing_id": 1, "no_en_summary": 1, "no_zh_summary": 1, "overlaps_validation_or_test": 1},
    }
    kept = {"validation": result.splits["validation"], "test": result.splits["test"], "train": result.splits["train_3"]}
    assert kept == {"validation": 2, "test": 2, "train": 3}
    read = {"validation": 6, "test": 4, "train": 7}
    assert {split: kept[split] + result.skipped[split].total for split in read} == read
    assert result.train_candidates == 3 and result.format_problems == {}
    assert set(result.as_dict()) == {
        "direction", "splits", "skipped", "format_problems", "train_candidates", "lcsts_resolved", "stats"
    }
    assert result.as_dict()["skipped"]["test"] == {"no_en_summary": 1, "overlaps_validation_or_test": 1}


def parse(tmp_path, text: str) -> tuple[list, Counter]:
    path = tmp_path / "release.txt"
    path.write_text(text, encoding="utf-8")
    problems = Counter()
    return list(iter_docs(path, problems)), problems


def test_tag_names_of_other_formats_inside_an_en2zh_article_are_text(tmp_path):
    """Inside `<Article>` only `</Article>`, `<doc>`/`</doc>` or an `<EN-REF-k>`/`<ZH-REF-k>` opening a line end it."""
    docs, problems = parse(tmp_path, (
        "<doc id=1>\n<Article>\n"
        "Officials said the <source> of the leak was a faulty valve , and engineers replaced it overnight .\n"
        "<summary> tags like <text> , <short_text> and <human_label> are quoted in the manual .\n"
        "Spelling follows <EN-GB> and <zh-CN> , see <back-translated-x> notes </summary> here .\n"
        "</Article>\n<EN-REF-1>the <summary> leak came from a faulty valve .</EN-REF-1>\n"
        "<ZH-REF-1>泄漏来自一个有故障的阀门。</ZH-REF-1>\n</doc>\n"
        "<doc id=2>\n<Article>\nsee the <EN-REF-2> marker , the <Article> word and </EN-REF-2> .\n"
        "<EN-REF-1>Valve fixed .\n<ZH-REF-1>阀门修好了。\n</doc>\n"
        "<doc id=3>\n<Article>\nshort one </doc>\n"
    ))
    assert [(d.id, sorted(d.tags)) for d in docs] == [
        ("1", ["article", "en-ref-1", "zh-ref-1"]), ("2", ["article", "en-ref-1", "zh-ref-1"]), ("3", ["article"])]
    assert docs[0].source_text() == (
        "Officials said the <source> of the leak was a faulty valve , and engineers replaced it overnight . "
        "<summary> tags like <text> , <short_text> and <human_label> are quoted in the manual . "
        "Spelling follows <EN-GB> and <zh-CN> , see <back-translated-x> notes </summary> here ."
    )
    assert (docs[0].summary("en"), docs[0].summary("zh")) == (
        "the <summary> leak came from a faulty valve .", "泄漏来自一个有故障的阀门。")
    assert docs[1].source_text() == "see the <EN-REF-2> marker , the <Article> word and </EN-REF-2> ."
    assert (docs[1].summary("en"), docs[1].summary("zh")) == ("Valve fixed .", "阀门修好了。")
    assert docs[2].source_text() == "short one"
    assert problems == {"tag_like_text": 13}


def test_tag_names_of_other_formats_inside_a_zh2en_source_are_text(tmp_path):
    """Zh2En (`<summary>`, `<en-summary>`): a `<summary>` opening a line ends an unclosed source;
    one inside a line, and tags of other formats, are text."""
    docs, problems = parse(tmp_path, (
        "<doc id=5>\n<summary>\n市议会批准了预算。\n</summary>\n<en-summary>\nCouncil approves budget .\n</en-summary>\n"
        "<short_text>\n据报道，<summary>标签、<Article>和<EN-GB>都是正文。\n"
        "<source> 在行首也是正文，<en-summary>不在行首。</short_text>\n</doc>\n"
        "<doc id=6>\n<Article>\n正文<ZH-REF-1>里的<zh-CN>标签。\n<summary>\n国家队夺冠。\n<en-summary>\nTeam wins .\n"
        "<back-translated-zh-summary>\n国家队夺冠了。\n</doc>\n"
    ))
    assert [(d.id, sorted(d.tags)) for d in docs] == [
        ("5", ["en-summary", "short_text", "summary"]),
        ("6", ["article", "back-translated-zh-summary", "en-summary", "summary"])]
    assert docs[0].source_text() == "据报道，<summary>标签、<Article>和<EN-GB>都是正文。 <source> 在行首也是正文，<en-summary>不在行首。"
    assert (docs[0].summary("zh"), docs[0].summary("en")) == ("市议会批准了预算。", "Council approves budget .")
    assert docs[1].source_text() == "正文<ZH-REF-1>里的<zh-CN>标签。"
    assert (docs[1].summary("zh"), docs[1].summary("en")) == ("国家队夺冠。", "Team wins .")
    assert problems == {"tag_like_text": 7}


def test_lcsts_tags_inside_an_lcsts_short_text(tmp_path):
    docs, problems = parse(tmp_path, (
        "<doc id=0>\n    <human_label>5</human_label>\n    <summary>\n        预算获批。\n    </summary>\n"
        "    <short_text>\n        正文<human_label>与<en-summary>和<Article>。\n"
        "        <summary>\n        新的摘要。\n</doc>\n"
    ))
    assert [(sorted(d.tags), d.source_text(), d.tags["summary"]) for d in docs] == [
        (["human_label", "short_text", "summary"], "正文<human_label>与<en-summary>和<Article>。", ["预算获批。", "新的摘要。"])]
    assert problems == {"tag_like_text": 3}


def test_a_byte_order_mark_at_the_start_of_a_release_file_is_no_text(tmp_path):
    docs, problems = parse(tmp_path, "\ufeff<doc id=1>\n<Article>\nA full article .\n</Article>\n"
                                     "<EN-REF-1>\nA summary .\n</EN-REF-1>\n<ZH-REF-1>\n摘要。\n</ZH-REF-1>\n</doc>\n")
    assert [d.id for d in docs] == ["1"]
    assert problems == Counter()
