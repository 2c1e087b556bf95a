"""`create_app` / `serve_plan`: the annotation web page of a plan folder (FastAPI, served by uvicorn).

Routes: `GET /` the page (train/humaneval/page.html, self-contained: no CDN, no network);
`GET /api/plan` criteria and tuple count; `POST /api/annotators` {name} -> progress;
`GET /api/next?annotator=NAME` the next unanswered tuple with its article, or `done`;
`POST /api/answers` {annotator, tuple_id, answers: {criterion: {best, worst}}} -> stored or refused
(400 bad input, 409 a different answer to an answered tuple, 422 best == worst; see store.AnswerStore).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from train.humaneval.plan import ANSWERS, load_plan
from train.humaneval.store import AnswerRefused, AnswerStore, clean_name

PAGE = Path(__file__).with_name("page.html")


def create_app(directory: Path):
    """The FastAPI app serving the plan in `directory`; answers go to `directory/answers.sqlite`."""
    from fastapi import Body, FastAPI, Query
    from fastapi.responses import HTMLResponse, JSONResponse

    directory = Path(directory)
    plan, _ = load_plan(directory)  # the key stays on disk: the page never sees system names
    store = AnswerStore(directory / ANSWERS, plan)
    articles = {a["id"]: a for a in plan["articles"]}
    app = FastAPI(title="clsforge human evaluation", docs_url=None, redoc_url=None, openapi_url=None)
    page = PAGE.read_text(encoding="utf-8")

    @app.exception_handler(AnswerRefused)
    def refused(_request, exc: AnswerRefused) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return page

    @app.get("/api/plan")
    def plan_info() -> dict[str, Any]:
        return {"criteria": plan["criteria"], "tuples": len(plan["tuples"]), "tuple_size": plan["design"]["tuple_size"]}

    @app.post("/api/annotators")
    def annotator(name: str = Body(..., embed=True)) -> dict[str, Any]:
        name = clean_name(name)
        _, answered, total = store.next_tuple(name)
        return {"name": name, "answered": answered, "total": total}

    @app.get("/api/next")
    def next_tuple(annotator: str = Query(...)) -> dict[str, Any]:
        tuple_, answered, total = store.next_tuple(clean_name(annotator))
        if tuple_ is None:
            return {"done": True, "answered": answered, "total": total}
        article = articles[tuple_["article"]]
        candidates = [{"label": label, "text": article["candidates"][label]} for label in tuple_["candidates"]]
        return {
            "done": False, "answered": answered, "total": total,
            "tuple": {"id": tuple_["id"], "candidates": candidates},
            "article": {"id": article["id"], "source": article["source"]},
        }

    @app.post("/api/answers")
    def answer(
        annotator: str = Body(...), tuple_id: str = Body(...), answers: dict[str, Any] = Body(...)
    ) -> dict[str, Any]:
        stored = store.save(annotator, tuple_id, answers)
        _, answered, total = store.next_tuple(clean_name(annotator))
        return {"stored": stored, "duplicate": not stored, "answered": answered, "total": total}

    return app


def serve_plan(directory: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the annotation page until Ctrl-C (uvicorn, one process).

    Raises:
        OSError: the port is taken (checked before starting, so the error is one line).
    """
    import socket

    import uvicorn

    app = create_app(directory)
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OSError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port") from None
    print(f"human evaluation of {directory}: http://{host}:{port}/  (Ctrl-C stops)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
