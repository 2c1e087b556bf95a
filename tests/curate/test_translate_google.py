"""The Google backends through the official clients against the local emulator: faults, limits, cache."""

from __future__ import annotations

import pytest

from curate.translate.cache import TranslationCache
from curate.translate.errors import TranslationStopped
from curate.translate.run import make_translator
from curate.translate.spec import TranslatorSpec
from tests.google_emulator import V2_MAX_SEGMENTS, V3_MAX_CODE_POINTS, V3_MAX_CONTENTS, fake_translate

FAST_RETRY = {"retry_initial": 0.01, "retry_maximum": 0.05, "progress": False}
TEXTS = [f"Tin số {i}: Hà Nội mưa lớn, giao thông ùn tắc ở {i % 7} quận." for i in range(600)]


def translator(emulator, backend="google-v3", cache=None, **options):
    """A translator for `backend` pointed at the emulator, retrying fast."""
    return make_translator(TranslatorSpec(backend=backend, google_endpoint=emulator.url), cache=cache, **{**FAST_RETRY, **options})


@pytest.mark.parametrize("backend", ["google-v3", "google-v2"])
def test_outputs_complete_and_in_order_under_twenty_percent_faults(google_emulator, backend, tmp_path):
    google_emulator.config.fault_rate = 0.2
    run = translator(google_emulator, backend, cache=tmp_path / "cache.sqlite", batch_chars=1500, concurrency=4)
    translations = run.translate(TEXTS, "vi", "zh")
    assert translations == [fake_translate(text, "vi", "zh-CN") for text in TEXTS]
    counters = run.counters.as_dict()
    failures = [fault for fault in google_emulator.faults_sent if fault != "slow"]
    assert failures, "the emulator injected no fault"
    assert counters["retries"] == len(failures)
    assert counters["requests"] == len(google_emulator.requests)
    assert counters["translated"] == len(TEXTS)
    assert sum(len(request.contents) for request in google_emulator.answered) == len(TEXTS)


def test_a_rerun_makes_zero_requests(google_emulator, tmp_path):
    first = translator(google_emulator, cache=tmp_path / "cache.sqlite")
    first.translate(TEXTS, "vi", "zh")
    first.close()
    sent = len(google_emulator.requests)
    second = translator(google_emulator, cache=tmp_path / "cache.sqlite")
    assert second.translate(TEXTS, "vi", "zh") == [fake_translate(text, "vi", "zh-CN") for text in TEXTS]
    assert len(google_emulator.requests) == sent == 2  # 33,000 code points: two requests the first time
    assert (second.counters.requests, second.counters.cache_hits, second.counters.characters_sent) == (0, len(TEXTS), 0)


def test_no_request_over_the_v2_segment_limit(google_emulator):
    texts = [f"câu {i}" for i in range(1000)]
    translator(google_emulator, "google-v2").translate(texts, "vi", "en")
    assert sorted((len(request.contents) for request in google_emulator.requests), reverse=True) == [V2_MAX_SEGMENTS] * 7 + [104]


def test_no_request_over_the_v3_limits_and_long_texts_are_split(google_emulator):
    sentence = "Một câu dài về kinh tế Việt Nam năm nay. "
    long_text = (sentence * 2000).strip()  # ~80,000 code points: more than two requests' worth
    texts = ["ngắn"] * 1 + [f"tin {i}" for i in range(2500)] + [long_text]
    result = translator(google_emulator, concurrency=2).translate(texts, "vi", "en")
    assert all(len(request.contents) <= V3_MAX_CONTENTS for request in google_emulator.requests)
    assert all(request.code_points <= V3_MAX_CODE_POINTS for request in google_emulator.requests)
    assert result[1:-1] == [f"<en>tin {i}" for i in range(2500)]
    pieces = result[-1].split("<en>")[1:]
    assert len(pieces) == 3 and all(piece.endswith(". ") or piece.endswith(".") for piece in pieces)
    assert result[-1].replace("<en>", "") == long_text


def test_wrong_count_is_retried_and_never_cached(google_emulator, tmp_path):
    google_emulator.config.scripted = ["count", "count"]
    run = translator(google_emulator, cache=tmp_path / "cache.sqlite", batch_chars=3000)
    assert run.translate(TEXTS[:100], "vi", "zh") == [fake_translate(text, "vi", "zh-CN") for text in TEXTS[:100]]
    assert run.counters.retries == 2
    cached = TranslationCache(tmp_path / "cache.sqlite").get_many(("google-v3", "general/nmt", "vi", "zh"), TEXTS[:100])
    assert cached == {text: fake_translate(text, "vi", "zh-CN") for text in TEXTS[:100]}


def test_persistent_wrong_count_gives_up_cleanly_and_caches_nothing(google_emulator, tmp_path):
    google_emulator.config.always = "count"
    run = translator(google_emulator, cache=tmp_path / "cache.sqlite", retry_timeout=0.3)
    with pytest.raises(TranslationStopped, match="gave up retrying .*ResponseCountError"):
        run.translate(TEXTS[:10], "vi", "zh")
    assert TranslationCache(tmp_path / "cache.sqlite").get_many(("google-v3", "general/nmt", "vi", "zh"), TEXTS[:10]) == {}


@pytest.mark.parametrize("fault", ["403-daily", "429-daily"])
def test_daily_quota_stops_cleanly_keeps_answers_and_the_rerun_resumes(google_emulator, tmp_path, fault):
    google_emulator.config.scripted = [None, None] + [fault] * 10
    cache = tmp_path / "cache.sqlite"
    run = translator(google_emulator, cache=cache, batch_chars=3000, concurrency=1)
    with pytest.raises(TranslationStopped, match="daily quota is used up .*midnight US Pacific") as stopped:
        run.translate(TEXTS, "vi", "zh")
    assert run.counters.retries == 0
    answered = [text for request in google_emulator.answered for text in request.contents]
    assert f"{len(answered)} of {len(TEXTS)} texts answered" in str(stopped.value)
    google_emulator.config.scripted = []
    google_emulator.reset()
    rerun = translator(google_emulator, cache=cache, batch_chars=3000)
    assert rerun.translate(TEXTS, "vi", "zh") == [fake_translate(text, "vi", "zh-CN") for text in TEXTS]
    assert rerun.counters.cache_hits == len(answered)
    assert sum(len(request.contents) for request in google_emulator.requests) == len(TEXTS) - len(answered)


def test_permission_denied_stops_at_once_with_advice(google_emulator):
    google_emulator.config.always = "403-denied"
    with pytest.raises(TranslationStopped, match="permission denied .*Cloud Translation API is enabled"):
        translator(google_emulator).translate(TEXTS[:5], "vi", "zh")
    assert len(google_emulator.requests) == 1


def test_v2_sends_plain_text_and_unescapes_entities(google_emulator):
    google_emulator.config.escape_entities = True
    texts = ["Tom's \"5 > 2\" & co", "  ", "", "Xin chào"]
    assert translator(google_emulator, "google-v2").translate(texts, "en", "vi") == [
        "<vi>Tom's \"5 > 2\" & co",
        "",
        "",
        "<vi>Xin chào",
    ]
    assert [request.contents for request in google_emulator.requests] == [["Tom's \"5 > 2\" & co", "Xin chào"]]
    assert google_emulator.requests[0].plain_text and google_emulator.requests[0].source == "en"


def test_texts_are_nfc_and_duplicates_sent_once(google_emulator):
    decomposed = "Hà Nội".replace("à", "a\u0300")
    result = translator(google_emulator).translate([decomposed, "Hà Nội", " Hà Nội "], "vi", "zh")
    assert result == ["<zh-CN>Hà Nội"] * 3
    assert [request.contents for request in google_emulator.requests] == [["Hà Nội"]]
    request = google_emulator.requests[0]
    assert (request.api, request.plain_text, request.source, request.target) == ("v3", True, "vi", "zh-CN")


PATHS = {"google-v2": "/language/translate/v2?prettyPrint=false",
         "google-v3": "/v3/projects/local/locations/global:translateText?%24alt=json%3Benum-encoding%3Dint"}
PAGE = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


@pytest.mark.parametrize("backend", ["google-v2", "google-v3"])
@pytest.mark.parametrize(("fault", "detail"), [
    ("404-html", f"404: POST {{url}}{{path}}: {PAGE}"),  # a proxy or another web server
    ("404", "404 notfound: POST {url}{path}: Requested entity was not found."),  # the API's own wording
])
def test_a_404_names_the_endpoint_as_the_likely_cause(google_emulator, backend, fault, detail):
    google_emulator.config.always = fault
    with pytest.raises(TranslationStopped) as stopped:
        translator(google_emulator, backend).translate(TEXTS[:2], "vi", "zh")
    url = google_emulator.url
    then = "; if it is right, check the project, location and model" if backend == "google-v3" else ""
    assert str(stopped.value) == (
        f"{backend}: {url} answered 404 Not Found to the translate request "
        f"({detail.format(url=url, path=PATHS[backend])}): the endpoint is the likely cause (a wrong host, port or "
        f"path, or a proxy in between), not the language codes; check --google-endpoint and any proxy{then} "
        "(0 of 2 texts answered and cached in this run; a rerun resumes from there)"
    )
    assert len(google_emulator.requests) == 1


def test_a_rejected_request_is_one_line_however_long_the_answer(google_emulator, monkeypatch):
    from tests import google_emulator as emulator_module

    page = "<html>\n<body>\n" + "x" * 500 + "\n</body>\n</html>\n"
    monkeypatch.setitem(emulator_module.PAGE_FAULTS, "404-html", (404, page))
    google_emulator.config.always = "404-html"
    with pytest.raises(TranslationStopped) as stopped:
        translator(google_emulator, "google-v2").translate(TEXTS[:2], "vi", "zh")
    message = str(stopped.value)
    assert "\n" not in message
    # the client's message (`POST URL: answer`), whitespace collapsed, at most 200 characters
    shown = f"POST {google_emulator.url}{PATHS['google-v2']}: <html> <body> {'x' * 500}"[:200]
    assert f"(404: {shown}...): the endpoint is the likely cause" in message
