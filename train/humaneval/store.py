"""`AnswerStore`: the annotators' BWS answers in SQLite (DIR/answers.sqlite), one commit per tuple.

A tuple's answer (best and worst for each criterion) is written in one transaction, so a closed
browser or a killed server loses at most the tuple on screen. An answer is final: the same answer
posted again is accepted and changes nothing (a double click, a retried request); a different one
for a tuple already answered is refused and logged in `refused`, and the first stays.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import unicodedata
from contextlib import closing
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    annotator TEXT NOT NULL, tuple_id TEXT NOT NULL, criterion TEXT NOT NULL,
    best TEXT NOT NULL, worst TEXT NOT NULL, answered_at REAL NOT NULL,
    PRIMARY KEY (annotator, tuple_id, criterion)
);
CREATE TABLE IF NOT EXISTS refused (
    annotator TEXT NOT NULL, tuple_id TEXT NOT NULL, payload TEXT NOT NULL, reason TEXT NOT NULL, at REAL NOT NULL
);
"""
MAX_NAME = 40


class AnswerRefused(ValueError):
    """A posted answer that is not stored: `status` is the HTTP status the web page gets (400, 409, 422)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class AnswersUnreadable(ValueError):
    """answers.sqlite exists but SQLite cannot read it (damaged, or another kind of file)."""


def clean_name(name: str) -> str:
    """An annotator name as stored: NFC, inner whitespace collapsed; 1..40 printable characters or ValueError."""
    name = " ".join(unicodedata.normalize("NFC", str(name)).split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise AnswerRefused(f"an annotator name is 1 to {MAX_NAME} printable characters", 400)
    return name


class AnswerStore:
    """Answers to the tuples of one plan (`plan` as loaded from plan.json), stored in `path`.

    Raises:
        AnswersUnreadable: `path` exists but is not an SQLite database.
    """

    def __init__(self, path: Path, plan: dict[str, Any]) -> None:
        self.path = Path(path)
        self.plan = plan
        self.criteria = list(plan["criteria"])
        self.tuples = {t["id"]: t for t in plan["tuples"]}
        try:
            with closing(self._connect()) as db:
                db.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer (several annotators)
                db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:  # a damaged or foreign file: name it, one line, exit status 2
            raise AnswersUnreadable(f"{self.path} is not an SQLite database ({exc})") from None

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def spelling(self, annotator: str) -> str:
        """The annotator's name as first stored: "alice" after "Alice" is the same annotator (names
        compare case-insensitively), not a second one whose answers would count as agreement."""
        name = clean_name(annotator)
        with closing(self._connect()) as db:
            known = [row[0] for row in db.execute("SELECT DISTINCT annotator FROM answers ORDER BY rowid")]
        return next((k for k in known if k.casefold() == name.casefold()), name)

    def order(self, annotator: str) -> list[str]:
        """The tuple ids in the order this annotator sees them: a fixed shuffle per name (plan seed + name)."""
        annotator = self.spelling(annotator)
        seed = self.plan.get("seed", 0)
        return sorted(self.tuples, key=lambda t: hashlib.sha256(f"{seed}\n{annotator}\n{t}".encode()).hexdigest())

    def answered(self, annotator: str) -> set[str]:
        """Ids of the tuples this annotator has answered."""
        annotator = self.spelling(annotator)
        with closing(self._connect()) as db:
            rows = db.execute("SELECT DISTINCT tuple_id FROM answers WHERE annotator = ?", (annotator,))
            return {row[0] for row in rows}

    def next_tuple(self, annotator: str) -> tuple[dict[str, Any] | None, int, int]:
        """(the next unanswered tuple or None when all are done, how many are answered, how many in all)."""
        done = self.answered(annotator)
        pending = [t for t in self.order(annotator) if t not in done]
        return (self.tuples[pending[0]] if pending else None), len(done), len(self.tuples)

    def save(self, annotator: str, tuple_id: str, choices: dict[str, dict[str, str]]) -> bool:
        """Store one tuple's answer: {criterion: {"best": label, "worst": label}} for every criterion.

        Returns True when stored, False when this exact answer was already stored (nothing changes).

        Raises:
            AnswerRefused: an unknown tuple (400), a missing criterion or a label not in the tuple
                (400), best == worst (422), a different answer to a tuple already answered (409).
        """
        annotator = self.spelling(annotator)
        tuple_ = self.tuples.get(tuple_id)
        if tuple_ is None:
            raise AnswerRefused(f"unknown tuple {tuple_id!r}", 400)
        answer = self._checked(tuple_, choices)
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time: two tabs posting the same tuple cannot both insert
            try:
                stored = {
                    c: {"best": b, "worst": w}
                    for c, b, w in db.execute(
                        "SELECT criterion, best, worst FROM answers WHERE annotator = ? AND tuple_id = ?",
                        (annotator, tuple_id),
                    )
                }
                if stored:
                    if stored != answer:
                        reason = "a different answer to a tuple already answered"
                        db.execute(
                            "INSERT INTO refused VALUES (?, ?, ?, ?, ?)",
                            (annotator, tuple_id, json.dumps(answer, ensure_ascii=False), reason, time.time()),
                        )
                        db.execute("COMMIT")
                        message = f"tuple {tuple_id} is already answered by {annotator}; answers are final"
                        raise AnswerRefused(message, 409)
                    db.execute("COMMIT")
                    return False
                now = time.time()
                db.executemany(
                    "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                    [(annotator, tuple_id, c, a["best"], a["worst"], now) for c, a in answer.items()],
                )
                db.execute("COMMIT")
                return True
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _checked(self, tuple_: dict[str, Any], choices: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """The answer restricted to the plan's criteria, each with a best and a worst label of the tuple."""
        if not isinstance(choices, dict):
            raise AnswerRefused("answers must be {criterion: {best, worst}}", 400)
        answer = {}
        for criterion in self.criteria:
            choice = choices.get(criterion)
            if not isinstance(choice, dict) or not choice.get("best") or not choice.get("worst"):
                raise AnswerRefused(f"{criterion}: choose a best and a worst summary", 400)
            best, worst = str(choice["best"]), str(choice["worst"])
            for label in (best, worst):
                if label not in tuple_["candidates"]:
                    raise AnswerRefused(f"{criterion}: {label!r} is not a summary of tuple {tuple_['id']}", 400)
            if best == worst:
                raise AnswerRefused(f"{criterion}: the best and the worst summary must differ", 422)
            answer[criterion] = {"best": best, "worst": worst}
        extra = set(choices) - set(self.criteria)
        if extra:
            raise AnswerRefused(f"unknown criteria: {', '.join(sorted(extra))}", 400)
        return answer

    def rows(self) -> list[dict[str, Any]]:
        """Every stored judgement: {annotator, tuple_id, criterion, best, worst}, in answer order."""
        with closing(self._connect()) as db:
            db.row_factory = sqlite3.Row
            query = "SELECT annotator, tuple_id, criterion, best, worst FROM answers ORDER BY answered_at, rowid"
            return [dict(row) for row in db.execute(query)]
