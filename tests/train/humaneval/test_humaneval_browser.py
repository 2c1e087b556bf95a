"""The annotation page in headless Chromium: two annotators complete a small plan at the same time, one
closes the page midway and resumes; `clsforge humaneval score` then gives the values computed by hand."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import CLSFORGE, REPO, clsforge
from tests.train.humaneval.conftest import ARTICLES, LABELS, METHODS, prediction

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
T, M, W, R = "TFLCLS", "mBART-CLS (w/o TraMul)", "TFLCLS w/o Mul", "reference"
PREFERENCE = [T, M, W, R]  # both annotators rank the summaries so, except B once on fluency
CRITERIA = ("IF", "CC", "FL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(runs: list[Path], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`clsforge humaneval prepare` (3 runs + reference, 2 articles, tuples of 3) and `serve`: (URL, plan folder)."""
    plan = tmp_path / "plan"
    prepared = clsforge("humaneval", "prepare", *map(str, runs), "--out", str(plan), "--articles", "2",
                        "--tuple-size", "3", "--include-reference")
    assert prepared.returncode == 0, prepared.stderr
    assert json.loads(prepared.stdout)["tuples"] == 8
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([*CLSFORGE, "humaneval", "serve", str(plan), "--port", str(port)], cwd=REPO,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/plan", timeout=2).read()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        yield url, plan
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        process.wait(timeout=30)
        log.close()


def systems_by_text() -> dict[str, tuple[str, str]]:
    """{summary text: (article, system)} of the fixture runs and references."""
    texts = {ARTICLES[a][1]: (a, R) for a in ARTICLES}
    texts |= {prediction(a, method): (a, LABELS[method]) for a in ARTICLES for method in METHODS.values()}
    return texts


class Annotator:
    """One simulated annotator in their own browser context (own localStorage), following PREFERENCE."""

    def __init__(self, browser, url: str, name: str, swap_fl_in: str | None = None) -> None:
        self.context, self.url, self.name, self.swap_fl_in = browser.new_context(), url, name, swap_fl_in
        self.page = None
        self.given: dict[str, dict] = {}  # tuple id -> the answer posted (labels)

    def open(self, prefilled: str = "") -> None:
        self.page = self.context.new_page()
        self.page.goto(self.url)
        assert self.page.locator("#name").input_value() == prefilled  # the name is remembered in this browser
        self.page.fill("#name", self.name)
        self.page.click("#start")
        self.page.locator("#progress-text").wait_for()

    def progress(self) -> str:
        return self.page.locator("#progress-text").inner_text()

    def shown(self) -> tuple[str, dict[str, str]]:
        """(article id, {label: system}) of the tuple on screen, read from the page's texts."""
        texts, article, shown = systems_by_text(), None, {}
        for card in self.page.locator(".candidate").all():
            article, system = texts[card.locator(".text").inner_text()]
            shown[card.get_attribute("data-label")] = system
        return article, shown

    def answer(self) -> None:
        """Answer the tuple on screen: best / worst by PREFERENCE (B inverts FL once); wait for the next one."""
        from playwright.sync_api import expect

        before = int(self.progress().split(" of ")[0])
        article, shown = self.shown()
        ranked = sorted(shown, key=lambda label: PREFERENCE.index(shown[label]))
        answer = {}
        for criterion in CRITERIA:
            best, worst = ranked[0], ranked[-1]
            if criterion == "FL" and article == self.swap_fl_in and set(shown.values()) == {T, M, W}:
                best, worst = worst, best
            self.page.check(f'input[name="{criterion}-best"][value="{best}"]')
            self.page.check(f'input[name="{criterion}-worst"][value="{worst}"]')
            answer[criterion] = {"best": best, "worst": worst}
        tuple_id = self.page.evaluate("current.tuple.id")
        self.page.click("#save")
        expect(self.page.locator("#progress-text")).to_have_text(f"{before + 1} of 8 tuples done")
        self.given[tuple_id] = answer


@pytest.mark.browser
def test_two_annotators_complete_a_plan_and_score_matches_hand_values(served: tuple[str, Path]) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    url, plan_dir = served
    plan = json.loads((plan_dir / "plan.json").read_text(encoding="utf-8"))
    first_article = plan["articles"][0]["id"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        lan, minh = Annotator(browser, url, "Lan"), Annotator(browser, url, "Minh", swap_fl_in=first_article)
        lan.open()
        assert lan.progress() == "0 of 8 tuples done"
        # The page: source collapsed until clicked, Vietnamese / Chinese / English shown as written.
        article, shown = lan.shown()
        assert not lan.page.locator("#article").evaluate("node => node.open")
        lan.page.click("#article summary")
        assert lan.page.locator("#source").inner_text() == ARTICLES[article][0]
        assert set(shown.values()) <= {T, M, W, R} and len(shown) == 3
        assert lan.page.locator(".definition").first.inner_text().startswith("How much of the source article")
        # best == worst is refused on the page, nothing is saved.
        label = next(iter(shown))
        lan.page.check(f'input[name="IF-best"][value="{label}"]')
        lan.page.check(f'input[name="IF-worst"][value="{label}"]')
        lan.page.click("#save")
        expect(lan.page.locator("#message")).to_have_text("IF: the best and the worst summary must differ")
        assert lan.progress() == "0 of 8 tuples done"

        minh.open()
        for _ in range(3):  # both at once, interleaved
            lan.answer()
            minh.answer()
        lan.page.close()  # Lan closes the browser tab midway ...
        minh.answer()
        lan.open(prefilled="Lan")  # ... and comes back: same name, the 3 answers are kept
        assert lan.progress() == "3 of 8 tuples done"
        while len(lan.given) < 8 or len(minh.given) < 8:
            for annotator in (lan, minh):
                if len(annotator.given) < 8:
                    annotator.answer()
        for annotator in (lan, minh):
            expect(annotator.page.locator("#done-text")).to_have_text(f"8 of 8 tuples answered by {annotator.name}.")

        # A tuple posted twice: the same answer changes nothing, another one is refused (409).
        tuple_id, answer = next(iter(lan.given.items()))
        again = lan.page.request.post(f"{url}/api/answers", data={"annotator": "Lan", "tuple_id": tuple_id, "answers": answer})
        assert again.status == 200 and again.json()["duplicate"] is True
        changed = answer | {"CC": {"best": answer["CC"]["worst"], "worst": answer["CC"]["best"]}}
        refused = lan.page.request.post(f"{url}/api/answers", data={"annotator": "Lan", "tuple_id": tuple_id, "answers": changed})
        assert refused.status == 409 and "already answered" in refused.json()["detail"]
        browser.close()

    scored = clsforge("humaneval", "score", str(plan_dir))
    assert scored.returncode == 0, scored.stderr
    rows = {(r["system"], r["criterion"]): r for r in csv.DictReader((plan_dir / "table4.csv").open(encoding="utf-8"))}
    # Each of the 4 candidates of an article is in 3 of its 4 tuples: n = 3 x 2 articles x 2 annotators = 12.
    # By PREFERENCE, in each article T is best in its 3 tuples, M best once (the tuple without T), W worst once
    # (the tuple with T and M), R worst in its 3. On FL, Minh swapped T and W in one tuple: T 11/1, W 1/3.
    expected = {
        "IF": {T: (12, 0, "1.0000"), M: (4, 0, "0.3333"), W: (0, 4, "-0.3333"), R: (0, 12, "-1.0000")},
        "FL": {T: (11, 1, "0.8333"), M: (4, 0, "0.3333"), W: (1, 3, "-0.1667"), R: (0, 12, "-1.0000")},
    }
    expected["CC"] = expected["IF"]
    for criterion, systems in expected.items():
        for system, (best, worst, score) in systems.items():
            row = rows[(system, criterion)]
            assert (int(row["best"]), int(row["worst"]), int(row["n"]), row["score"]) == (best, worst, 12, score)
    # Reliability on FL (16 units (tuple, best|worst), 2 disagree): pairwise 14/16 = 0.875; alpha with values
    # T 12, M 4, W 4, R 12 of 32: 1 - (4/32) / ((32^2 - 320) / (32 * 31)) = 145/176 = 0.824. Split-half: the halves
    # differ only in the swapped tuple, whatever the split: candidate scores [1, 1/3, -1/3, -1] x 2 articles vs
    # [1/3, 1/3, 1/3, -1, 1, 1/3, -1/3, -1]; Spearman = 34 / sqrt(40 x 36.5) = 0.890. IF and CC: full agreement.
    markdown = (plan_dir / "table4.md").read_text(encoding="utf-8")
    assert f"| {T} | 1.000 (n=12) | 1.000 (n=12) | 0.833 (n=12) |" in markdown
    assert "| IF | 16 | 2 | 1.000 | 1.000 | 1.000 | 16 |" in markdown
    assert "| FL | 16 | 2 | 0.890 | 0.824 | 0.875 | 16 |" in markdown
    assert "Tuples answered: Lan 8/8, Minh 8/8." in markdown
