"""The Best-Worst Scaling tuple design of one article: which candidates are shown together.

For n candidates and tuples of k, the design is cyclic: a base block D = {d_1 < ... < d_k} of
Z_n (d_1 = 0) and its n shifts B_i = {i + d mod n : d in D}, i = 0..n-1. Every candidate then
appears in exactly k tuples, and the pair {a, a + delta} appears together lambda(delta) times, the
number of ordered pairs (d, d') of D with d - d' = +-delta (mod n). The base block is the one whose
pair counts are the most even (smallest max - min, then smallest sum of squares; the first in
lexicographic order on ties): a perfect difference set gives a balanced incomplete block design
(every pair equally often, e.g. n = 7, k = 3, D = {0, 1, 3}); when none exists the counts differ by
the least possible. k = n is one tuple holding every candidate; k = n - 1 gives all n subsets.

Written here rather than taken from bwsample: its design functions draw tuples from one pool
(tuples would mix articles), and it pins numpy below the version this project uses.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from math import comb

# Base blocks tried for large n: beyond this many, a seeded random sample of them is searched.
MAX_BLOCKS = 20_000


def pair_counts(n: int, tuples: list[tuple[int, ...]]) -> dict[tuple[int, int], int]:
    """How often each pair (a < b) of the n candidates shares a tuple (0 for pairs never together)."""
    counts = {pair: 0 for pair in itertools.combinations(range(n), 2)}
    for block in tuples:
        for pair in itertools.combinations(sorted(block), 2):
            counts[pair] += 1
    return counts


def appearances(n: int, tuples: list[tuple[int, ...]]) -> list[int]:
    """How many tuples each of the n candidates appears in."""
    seen = Counter(item for block in tuples for item in block)
    return [seen[item] for item in range(n)]


def cyclic_tuples(n: int, base: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The n shifts of `base` in Z_n, each sorted."""
    return [tuple(sorted((i + d) % n for d in base)) for i in range(n)]


def _difference_counts(n: int, base: tuple[int, ...]) -> list[int]:
    """lambda(delta) for delta = 1..n//2: how often a pair at cyclic distance delta shares a shift."""
    counts = Counter(min((a - b) % n, (b - a) % n) for a, b in itertools.combinations(base, 2))
    # A pair at distance n/2 (n even) is counted from both sides of the cycle.
    return [counts[delta] * (2 if 2 * delta == n else 1) for delta in range(1, n // 2 + 1)]


def _evenness(n: int, base: tuple[int, ...]) -> tuple[int, int]:
    """(max - min, sum of squares) of the pair counts the base block gives: smaller is more even."""
    # Each distance delta < n/2 stands for n pairs, n/2 stands for n/2 pairs; both counted above.
    lam = _difference_counts(n, base)
    weights = [n // 2 if 2 * (delta + 1) == n else n for delta in range(len(lam))]
    return max(lam) - min(lam), sum(w * x * x for w, x in zip(weights, lam))


def base_block(n: int, k: int, seed: int = 0) -> tuple[int, ...]:
    """The most even base block of k elements of Z_n containing 0 (see the module docstring).

    Searched exhaustively when there are at most MAX_BLOCKS candidate blocks, else over a sample
    of MAX_BLOCKS seeded by `seed`.

    Raises:
        ValueError: k < 2 or k > n.
    """
    if not 2 <= k <= n:
        raise ValueError(f"tuple size {k} needs 2 <= k <= {n} (the number of candidates per article)")
    rest = range(1, n)
    blocks = itertools.combinations(rest, k - 1)
    if comb(n - 1, k - 1) > MAX_BLOCKS:
        rng = random.Random(seed)
        blocks = (tuple(sorted(rng.sample(rest, k - 1))) for _ in range(MAX_BLOCKS))
    return min(((0, *block) for block in blocks), key=lambda block: (_evenness(n, block), block))


def design(n: int, k: int, seed: int = 0) -> list[tuple[int, ...]]:
    """The tuples (as sorted candidate indices 0..n-1) of one article: one tuple if k == n, else n.

    Every candidate appears in k tuples (once if k == n); pair counts are as even as a cyclic design allows.
    """
    if k == n:
        return [tuple(range(n))]
    return cyclic_tuples(n, base_block(n, k, seed))

