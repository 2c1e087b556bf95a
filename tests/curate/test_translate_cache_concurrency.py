"""Many processes opening one fresh cache file at once (parallel flow shards) all succeed."""

import multiprocessing

from curate.translate.cache import TranslationCache

KEY = ("memory", "m", "vi", "zh")


def open_and_write(args):
    path, worker = args
    cache = TranslationCache(path)
    cache.put_many(KEY, [(f"câu {worker}", f"句子 {worker}")])
    cache.close()


def test_simultaneous_first_opens_of_one_file(tmp_path):
    # Before the set-up retry, about one open in sixteen failed with "database is locked".
    with multiprocessing.get_context("fork").Pool(8) as pool:
        for round_ in range(8):
            path = tmp_path / f"cache{round_}.sqlite"
            pool.map(open_and_write, [(path, worker) for worker in range(8)])
            cache = TranslationCache(path)
            assert len(cache.get_many(KEY, [f"câu {w}" for w in range(8)])) == 8
            cache.close()
