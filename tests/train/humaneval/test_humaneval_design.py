"""The BWS tuple design: every candidate equally often, pairs as even as a cyclic design allows (exact counts)."""

from __future__ import annotations

import pytest

from train.humaneval.design import appearances, base_block, cyclic_tuples, design, pair_counts


def test_seven_candidates_in_triples_is_the_fano_plane() -> None:
    # {0, 1, 3} is a perfect difference set mod 7: every pair together exactly once.
    assert base_block(7, 3) == (0, 1, 3)
    tuples = design(7, 3)
    assert tuples == [(0, 1, 3), (1, 2, 4), (2, 3, 5), (3, 4, 6), (0, 4, 5), (1, 5, 6), (0, 2, 6)]
    assert appearances(7, tuples) == [3] * 7
    assert set(pair_counts(7, tuples).values()) == {1}


def test_five_candidates_in_fours_gives_all_five_subsets() -> None:
    # The paper's setting with the reference: 4 systems + reference, tuples of 4.
    tuples = design(5, 4)
    assert sorted(tuples) == [(0, 1, 2, 3), (0, 1, 2, 4), (0, 1, 3, 4), (0, 2, 3, 4), (1, 2, 3, 4)]
    assert appearances(5, tuples) == [4] * 5
    assert set(pair_counts(5, tuples).values()) == {3}


def test_four_candidates_in_triples_and_one_tuple_when_k_equals_n() -> None:
    assert sorted(design(4, 3)) == [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)]
    assert design(4, 4) == [(0, 1, 2, 3)]


def test_unbalanceable_sizes_differ_by_one_at_most() -> None:
    # n = 6, k = 3: 18 pair slots over 15 pairs; {0, 1, 3} puts the 3 pairs at distance 3 together twice.
    tuples = design(6, 3)
    counts = pair_counts(6, tuples)
    assert appearances(6, tuples) == [3] * 6
    assert sorted(counts.values()) == [1] * 12 + [2] * 3
    assert {pair for pair, c in counts.items() if c == 2} == {(0, 3), (1, 4), (2, 5)}


@pytest.mark.parametrize("n", range(3, 13))
def test_every_size_up_to_twelve_is_equireplicate_and_near_balanced(n: int) -> None:
    for k in range(3, n):
        tuples = design(n, k)
        counts = pair_counts(n, tuples).values()
        assert len(tuples) == n and appearances(n, tuples) == [k] * n
        assert max(counts) - min(counts) <= 1, (n, k)
        assert sum(counts) == n * k * (k - 1) // 2


def test_cyclic_tuples_are_the_shifts_of_the_base() -> None:
    assert cyclic_tuples(5, (0, 1, 3)) == [(0, 1, 3), (1, 2, 4), (0, 2, 3), (1, 3, 4), (0, 2, 4)]


@pytest.mark.parametrize(("n", "k"), [(4, 1), (3, 4)])
def test_tuple_size_outside_two_to_n_is_refused(n: int, k: int) -> None:
    with pytest.raises(ValueError, match=f"tuple size {k} needs 2 <= k <= {n}"):
        design(n, k)
