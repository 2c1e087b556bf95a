"""MinHash signatures of texts (datasketch), shared by the near_duplicates step and the leakage audit.

A text's shingles are its n-grams of normalised tokens: the text is folded with the shared
normalisation (crawl.normalize.fold: invisible characters removed, NFKC, case-folded, ð -> đ), then
cut into words at white space with punctuation stripped from their ends and each word's Vietnamese
tone mark put in its standard place (crawl.normalize.place_tone_marks, memoised) (vi, en: "word
5-grams"), or into its letters and digits for a language the registry counts in characters (zh:
character 5-grams). (crawl.normalize.tokens' regular expression over the whole text costs 2.5 times
as much, and near-duplicate detection reads every article.) Each token is hashed once with CRC-32 and the
n-gram hashes are combined in numpy (a polynomial over uint64, then folded to 32 bits): hashing every
n-gram string with datasketch's default SHA-1 costs about a microsecond each in Python, and a
700-word article has ~700 of them. datasketch then applies its permutations (`update_batch`) and
its LSH index finds the candidate pairs.
"""

from __future__ import annotations

import string
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from crawl.normalize import fold, place_tone_marks
from curate.languages import get_language

SEED = 1
_PRIME = np.uint64(1_000_003)
# Stripped from both ends of a word: ASCII punctuation and the quotes, dashes and ellipsis of news text.
_PUNCTUATION = string.punctuation + "“”‘’«»–—…·、，。：；！？（）"


def shingle_tokens(text: str, lang: str) -> list[str]:
    """The tokens shingles are made of (see the module docstring)."""
    folded = fold(text)
    if get_language(lang).unit == "chars":
        return [ch for ch in folded if ch.isalnum()]
    return [place_tone_marks(word) for word in (w.strip(_PUNCTUATION) for w in folded.split()) if word]


def shingle_hashes(text: str, lang: str, ngram: int) -> np.ndarray:
    """32-bit hashes of the token n-grams of `text` (one n-gram of every token when there are fewer)."""
    tokens = shingle_tokens(text, lang)
    hashes = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    if len(hashes) == 0:
        return hashes
    width = min(ngram, len(hashes))
    combined = np.zeros(len(hashes) - width + 1, dtype=np.uint64)
    for offset in range(width):  # uint64 arithmetic wraps around: a hash, not a number
        combined = combined * _PRIME + hashes[offset : offset + len(combined)]
    combined ^= combined >> np.uint64(29)
    return np.unique(combined & np.uint64(0xFFFFFFFF))


@lru_cache(maxsize=4)
def _empty(num_perm: int):
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=SEED, hashfunc=int)


def signature(text: str, lang: str, ngram: int, num_perm: int) -> np.ndarray | None:
    """The MinHash hash values (uint32, `num_perm` of them) of `text`; None for a text without tokens."""
    hashes = shingle_hashes(text, lang, ngram)
    if len(hashes) == 0:
        return None
    minhash = _empty(num_perm).copy()
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues


def signature_batch(texts: list[str], lang: str, ngram: int, num_perm: int) -> list[np.ndarray | None]:
    """`signature` of each text (a module-level function, so it runs in worker processes)."""
    return [signature(text, lang, ngram, num_perm) for text in texts]


def lean(values: np.ndarray):
    """A datasketch LeanMinHash over stored hash values (what the LSH index takes)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=SEED, hashvalues=values, scheme="affine32")


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values (MinHash.jaccard, on arrays)."""
    return float(np.count_nonzero(a == b)) / len(a)


def new_index(threshold: float, num_perm: int):
    """An empty datasketch MinHashLSH for `threshold` (bands and rows chosen by datasketch).

    Raises ValueError (one line, check_lsh_threshold) when no banding of `num_perm` reaches `threshold`.
    """
    from datasketch import MinHashLSH

    try:
        return MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError:
        check_lsh_threshold(threshold, num_perm)  # the one-line message naming the highest threshold
        raise


def check_lsh_threshold(threshold: float, num_perm: int) -> None:
    """ValueError (one line) when datasketch's MinHashLSH cannot band `num_perm` permutations for
    `threshold` (it needs at least 2 bands: 0.99 with 128 permutations, 0.87 with 16, are too high).
    The message names the highest threshold that works."""
    if not _bands(threshold, num_perm):
        highest = max(t / 100 for t in range(1, 100) if _bands(t / 100, num_perm))
        raise ValueError(
            f"threshold {threshold} is too high for MinHash LSH with num_perm {num_perm} (it needs at least 2 "
            f"bands): use at most {highest} or more permutations"
        )


@lru_cache(maxsize=1024)  # a recipe checks the same (threshold, num_perm) at every load; datasketch integrates
def _bands(threshold: float, num_perm: int) -> bool:
    """Whether datasketch's MinHashLSH can band `num_perm` permutations for `threshold`."""
    from datasketch import MinHashLSH

    try:
        MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError:
        return False
    return True


def best_match(index, values: np.ndarray, signatures: Sequence[np.ndarray]) -> tuple[float, object | None]:
    """(highest estimated Jaccard, its key) among the index's LSH candidates for `values` ((0.0, None) if none)."""
    best, key = 0.0, None
    for candidate in index.query(lean(values)):
        similarity = jaccard(values, signatures[candidate])
        if similarity > best or (similarity == best and key is not None and candidate < key):
            best, key = similarity, candidate
    return best, key
