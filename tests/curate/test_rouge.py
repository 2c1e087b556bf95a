"""Language-aware ROUGE: the batch API, its agreement with rouge-score, and `clsforge rouge`."""

import json
import multiprocessing
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

import curate.processes
import curate.rouge
from curate.languages import LANGUAGES, Language, WordTokenizer, get_language, register
from curate.rouge import RougeScores, lcs_length, mean_scores, score_pairs

CLSFORGE = Path(sys.executable).with_name("clsforge")


def test_identical_chinese_strings_score_100():
    assert score_pairs(["疫情已经过去"], ["疫情已经过去"], "zh") == [RougeScores(100.0, 100.0, 100.0)]


def test_default_rouge_score_gives_identical_chinese_zero():
    """The bug this module exists to avoid: rouge-score's default tokenizer drops every CJK character."""
    scores = rouge_scorer.RougeScorer(["rouge1"]).score("疫情已经过去", "疫情已经过去")
    assert scores["rouge1"].fmeasure == 0.0


def test_old_and_new_tone_marks_match():
    assert score_pairs(["hoà bình thuỷ lợi"], ["hòa bình thủy lợi"], "vi") == [RougeScores(100.0, 100.0, 100.0)]


SPELLING_PAIRS = [
    ("vi", "Chính phủ baỏ đảm lựơng hàng", "Chính phủ bảo đảm lượng hàng"),
    ("vi", "Kết quả thí nghịêm ở Ðà Nẵng", "Kết quả thí nghiệm ở Đà Nẵng"),
    ("vi", "Hoà bình và thuỷ lợi", "Hòa bình và thủy lợi"),
    ("vi", "Vi\u200bệt Nam\ufeff khu\u00adyến\u200c mãi", "Việt Nam khuyến mãi"),
    ("zh", "二〇\U00030000年\u200b市", "二 〇 \U00030000 年市"),  # 〇 and extension G were one run
    ("zh", "ＧＤＰ增长５%", "GDP增长5%"),
    ("zh", "疫\u200b情已经过去", "疫情已经过去"),
]


@pytest.mark.parametrize(("lang", "hyp", "ref"), SPELLING_PAIRS)
def test_two_spellings_of_the_same_text_score_100(lang, hyp, ref):
    assert score_pairs([hyp], [ref], lang) == [RougeScores(100.0, 100.0, 100.0)]


def test_han_outside_the_basic_block_counts_per_character():
    """A run of 〇 or of extension G/H characters was one token: one wrong character cost the whole run."""
    [score] = score_pairs(["\U00030000\U00030001\U00031350\U00030003\U00030004"],
                          ["\U00030000\U00030001\U00031350\U00030003\U00030005"], "zh")
    assert score == pytest.approx((80.0, 75.0, 80.0))
    # 5 characters each, 4 shared; bigrams 二〇 〇〇 shared of 4; LCS 4.
    assert score_pairs(["二〇〇八年"], ["二〇〇九年"], "zh")[0] == pytest.approx((80.0, 50.0, 80.0))


def test_nfd_input_scores_like_nfc_input():
    hyp, ref = "Hòa bình ở Đà Nẵng năm nay", "Hoà bình ở Đà Nẵng"
    nfd = [unicodedata.normalize("NFD", text) for text in (hyp, ref)]
    assert nfd[0] != hyp
    assert score_pairs([nfd[0]], [nfd[1]], "vi") == score_pairs([hyp], [ref], "vi")
    # 7 hypothesis and 5 reference syllables, all 5 shared: F1 = 10/12; bigrams 4 of 6 and 4 of 4: F2 = 0.8.
    assert score_pairs([hyp], [ref], "vi")[0] == pytest.approx((250 / 3, 80.0, 250 / 3))


def test_chinese_mixed_with_latin_and_digits():
    # hyp tokens: covid 19 疫 情 ; ref tokens: covid 19 疫 苗 -> 3 of 4 unigrams, 2 of 3 bigrams, LCS 3.
    [score] = score_pairs(["COVID-19疫情"], ["covid 19疫苗"], "zh")
    assert score.rouge1 == pytest.approx(75.0)
    assert score.rouge2 == pytest.approx(200 / 3)
    assert score.rougeL == pytest.approx(75.0)


def test_empty_lines_score_zero_and_count():
    scores = score_pairs(["", "xin chào", "xin chào"], ["xin chào", "", "xin chào"], "vi")
    assert scores == [RougeScores(0.0, 0.0, 0.0), RougeScores(0.0, 0.0, 0.0), RougeScores(100.0, 100.0, 100.0)]
    assert mean_scores(scores) == {"rouge1": pytest.approx(100 / 3), "rouge2": pytest.approx(100 / 3), "rougeL": pytest.approx(100 / 3), "n": 3}


def test_lcs_matches_rouge_score_table():
    rng = random.Random(7)
    for _ in range(300):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
        table = rouge_scorer._lcs_table(a, b)
        assert lcs_length(a, b) == table[-1][-1]


def test_scores_equal_rouge_score_with_our_tokenizer():
    rng = random.Random(3)
    words = "người dân hòa bình thủy lợi kinh tế tăng trưởng năm nay đường sắt".split()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=get_language("vi").tokenizer)
    hyps = [" ".join(rng.choices(words, k=rng.randint(5, 30))) for _ in range(50)]
    refs = [" ".join(rng.choices(words, k=rng.randint(5, 30))) for _ in range(50)]
    for ours, hyp, ref in zip(score_pairs(hyps, refs, "vi"), hyps, refs):
        theirs = scorer.score(ref, hyp)
        assert ours == pytest.approx(tuple(100 * theirs[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")))


def test_parallel_scoring_keeps_order(monkeypatch):
    monkeypatch.setattr(curate.rouge, "PARALLEL_THRESHOLD", 10)
    hyps = [f"câu số {i} hôm nay" for i in range(40)]
    refs = [f"câu số {i % 7} hôm qua" for i in range(40)]
    assert score_pairs(hyps, refs, "vi", workers=2) == score_pairs(hyps, refs, "vi", workers=1)


def test_parallel_scoring_sees_a_language_registered_at_run_time(monkeypatch):
    # Prefect callers run threads, so workers come from forkserver, which re-imports the registry
    # and would not know a language registered in this process after start-up.
    monkeypatch.setattr(curate.rouge, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(curate.processes, "process_context", lambda: multiprocessing.get_context("forkserver"))
    monkeypatch.setitem(LANGUAGES, "lo", LANGUAGES["en"])  # restored after the test
    register(Language("lo", "Lao", google="lo", mbart="lo_LA", tokenizer=WordTokenizer(), unit="words"))
    hyps = [f"word {i} here" for i in range(20)]
    refs = [f"word {i % 3} there" for i in range(20)]
    assert score_pairs(hyps, refs, "lo", workers=2) == score_pairs(hyps, refs, "en", workers=1)


def test_misaligned_inputs_are_an_error():
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        score_pairs(["a", "b"], ["a"], "en")


def run_cli(*args):
    return subprocess.run([str(CLSFORGE), "rouge", *args], capture_output=True, text=True, timeout=60)


def test_cli_prints_mean_scores(tmp_path):
    (tmp_path / "hyp.txt").write_text("疫情已经过去\n\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("疫情已经过去\n今天\n", encoding="utf-8")
    result = run_cli("--lang", "zh", "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"rouge1": 50.0, "rouge2": 50.0, "rougeL": 50.0, "n": 2, "blank": 1}


def test_cli_scores_blank_pairs_zero_as_rouge_score_and_counts_them(tmp_path):
    (tmp_path / "hyp.txt").write_text("xin chào\n\n  \nhôm nay\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("xin chào\n\nhôm nay\n\t\n", encoding="utf-8")
    result = run_cli("--lang", "vi", "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"rouge1": 25.0, "rouge2": 25.0, "rougeL": 25.0, "n": 4, "blank": 3}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"])
    assert {key: score.fmeasure for key, score in scorer.score("", "").items()} == {"rouge1": 0, "rouge2": 0, "rougeL": 0}


@pytest.mark.parametrize(
    ("hyp_text", "ref_text", "bad"),
    [("", "", "hyp.txt"), ("\n \n", "a\nb\n", "hyp.txt"), ("a\n", "\n", "ref.txt"), ("a\n", "", "ref.txt")],
)
def test_cli_refuses_a_file_without_text(tmp_path, hyp_text, ref_text, bad):
    (tmp_path / "hyp.txt").write_text(hyp_text, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(ref_text, encoding="utf-8")
    result = run_cli("--lang", "vi", "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"clsforge: error: {tmp_path / bad}: no lines to score (the file is empty or blank)\n"


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_cli_gives_100_for_each_pair_of_spellings(tmp_path, lang):
    pairs = [(hyp, ref) for code, hyp, ref in SPELLING_PAIRS if code == lang]
    (tmp_path / "hyp.txt").write_text("".join(hyp + "\n" for hyp, _ in pairs), encoding="utf-8")
    (tmp_path / "ref.txt").write_text("".join(ref + "\n" for _, ref in pairs), encoding="utf-8")
    result = run_cli("--lang", lang, "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0, "n": len(pairs), "blank": 0}


@pytest.mark.parametrize(
    ("hyp_text", "lang", "missing", "message"),
    [
        ("a\nb\n", "en", False, "has 2 lines but"),
        ("a\n", "xx", False, "unknown language 'xx'; known languages: en, vi, zh"),
        ("a\n", "en", True, "No such file or directory"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, hyp_text, lang, missing, message):
    (tmp_path / "hyp.txt").write_text(hyp_text, encoding="utf-8")
    (tmp_path / "ref.txt").write_text("a\n", encoding="utf-8")
    ref = tmp_path / ("absent.txt" if missing else "ref.txt")
    result = run_cli("--lang", lang, "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(ref))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("clsforge: error: ") and message in result.stderr


@pytest.mark.parametrize(
    ("make_hyp", "message"),
    [
        (lambda p: p.write_bytes(b"\xffbad\n"), "hyp: not UTF-8 text (byte 0: invalid start byte)"),
        (lambda p: p.mkdir(), "Is a directory: "),
    ],
)
def test_cli_unreadable_hypotheses_are_one_line(tmp_path, make_hyp, message):
    make_hyp(tmp_path / "hyp")
    (tmp_path / "ref").write_text("a\n", encoding="utf-8")
    result = run_cli("--lang", "vi", "--hyp", str(tmp_path / "hyp"), "--ref", str(tmp_path / "ref"))
    assert (result.returncode, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("clsforge: error: ") and message in result.stderr
