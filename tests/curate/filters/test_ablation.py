"""Filter-ablation variants (--variants) and the table of test ROUGE per variant."""

from __future__ import annotations

import pytest

from curate.filters.ablation import ablation_table, parse_variants
from curate.filters.spec import filter_steps

RECIPE = filter_steps([{"step": "language_id"}, {"step": "near_duplicates"}, {"step": "roundtrip_rouge", "k": 32}])


def test_default_variants_leave_each_step_out():
    variants = parse_variants(None, RECIPE)
    assert {name: [e["step"] for e in steps] for name, steps in variants.items()} == {
        "recipe": ["language_id", "near_duplicates", "roundtrip_rouge"],
        "without-language_id": ["near_duplicates", "roundtrip_rouge"],
        "without-near_duplicates": ["language_id", "roundtrip_rouge"],
        "without-roundtrip_rouge": ["language_id", "near_duplicates"],
    }


def test_inline_variants_take_the_recipe_parameters_and_may_be_empty(tmp_path):
    variants = parse_variants("rt=roundtrip_rouge; lid-rt=language_id,roundtrip_rouge; len=length_ratio; none=", RECIPE)
    assert variants["rt"] == [{"step": "roundtrip_rouge", "key": "mean", "k": 32, "min_scores": None}]
    assert [e["step"] for e in variants["lid-rt"]] == ["language_id", "roundtrip_rouge"]
    assert variants["len"] == [{"step": "length_ratio", "min_ratio": 0.2, "max_ratio": 5.0, "max_summary_share": 1.0}]
    assert variants["none"] == []
    (tmp_path / "v.yaml").write_text("strict: [{step: roundtrip_rouge, k: 10}]\nnothing: []\n")
    assert parse_variants(str(tmp_path / "v.yaml"), RECIPE) == {
        "strict": [{"step": "roundtrip_rouge", "key": "mean", "k": 10, "min_scores": None}], "nothing": []
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rt=roundtrip", "variant rt: step 1: unknown filter step 'roundtrip'; known steps:"),
        ("roundtrip_rouge", "--variants: 'roundtrip_rouge' is not NAME=STEP,STEP"),
        ("a=language_id;a=near_duplicates", "--variants: variant 'a' is given twice"),
        ("missing.yaml", "No such variants file"),
        ("../../etc=language_id", "variant name '../../etc' is not a folder name: use letters, digits, - and _"),
        ("x/y=language_id", "variant name 'x/y' is not a folder name"),
        (".=language_id", "variant name '.' is not a folder name"),
        ("a=language_id,,near_duplicates", "--variants: variant a has an empty step between commas"),
        ("a=language_id,language_id", "variant a: step 2: language_id is given twice with the same parameters"),
        ("a=language_id;b=language_id", "variants a and b have the same filter list: they would train on the same data"),
        ("a=language_id;A=near_duplicates", "variants a and A differ only in case: their folders would be one"),
    ],
)
def test_bad_variants_are_one_line(text, message):
    with pytest.raises((ValueError, FileNotFoundError)) as error:
        parse_variants(text, RECIPE)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_table_puts_test_rouge_next_to_the_pool_sizes():
    filters = {"input": 40, "kept": 32, "steps": [
        {"step": "language_id", "dropped": {}}, {"step": "roundtrip_rouge", "dropped": {"below_top_k": 8}},
    ]}
    rows = [
        {"variant": "recipe", "steps": RECIPE[::2], "filters": filters, "method": "tflcls", "train_size": 24,
         "test": {"rouge1": 12.3456, "rouge2": 4.5, "rougeL": 10.0, "n": 4}},
        {"variant": "none", "steps": [], "filters": {"input": 40, "kept": 40, "steps": []}, "method": "tflcls",
         "train_size": 24, "test": {"rouge1": 11.0, "rouge2": 4.0, "rougeL": 9.0, "n": 4}},
    ]
    shared = {"test": ["a", "b", "c", "d"], "validation": ["e", "f"], "common": 32, "seed": 7}
    lines = ablation_table(rows, shared).splitlines()
    assert lines[2] == "| recipe | language_id, roundtrip_rouge | 40 | 32 | language_id 0, roundtrip_rouge 8 | tflcls | 24 | 4 | 12.35 | 4.50 | 10.00 |"
    assert lines[3] == "| none | (none) | 40 | 40 | - | tflcls | 24 | 4 | 11.00 | 4.00 | 9.00 |"
    assert lines[5].startswith(
        "Every variant is scored on the same 4 test records (and selects its checkpoint on the same 2 "
        "validation records), drawn with seed 7 from the 32 records that every variant's filter kept;"
    )


def test_an_empty_filter_mapping_is_refused_not_read_as_the_default():
    with pytest.raises(ValueError, match=r"^`filter: \{\}` names no filter: give a list of steps"):
        filter_steps({})
    assert filter_steps([]) == []


def test_a_step_listed_twice_gives_a_leave_one_out_variant_per_entry():
    twice = filter_steps([{"step": "roundtrip_rouge", "min_scores": {"rouge2": 5}}, {"step": "language_id"},
                          {"step": "roundtrip_rouge", "k": 32}])
    variants = parse_variants(None, twice)
    assert list(variants) == ["recipe", "without-roundtrip_rouge-1", "without-language_id", "without-roundtrip_rouge-2"]
    assert [e.get("k") for e in variants["without-roundtrip_rouge-1"]] == [None, 32]
    assert [e.get("k") for e in variants["without-roundtrip_rouge-2"]] == [None, None]
