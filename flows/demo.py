"""`clsforge demo`: the lifecycle on datasets/demo.yaml, offline, then a summary of what it made."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from flows.recipe import Recipe, bundled_recipe, first_error, load_recipe


def demo_recipe(max_steps: int | None = None, methods: list[str] | None = None) -> Recipe:
    """datasets/demo.yaml, with `max_steps`/`methods` (when given) replacing its training grid's."""
    recipe = load_recipe(bundled_recipe("demo"))
    training = recipe.training.model_dump()
    training.update({key: value for key, value in (("max_steps", max_steps), ("methods", methods)) if value})
    try:
        return Recipe.model_validate(recipe.model_dump() | {"training": training})
    except ValidationError as exc:
        raise ValueError(f"demo: {first_error(exc)}") from None


def run_demo(workdir: Path, recipe: Recipe | None = None) -> dict:
    """Run the lifecycle on the demo recipe (`demo_recipe()` unless given) in `workdir`; return its result."""
    from flows.lifecycle import lifecycle

    return lifecycle(recipe=recipe or demo_recipe(), workdir=str(Path(workdir).resolve()))


def summary(result: dict) -> str:
    """The Table-2-style result and where everything is, as printed at the end of the demo."""
    build, finetune = result["build"], result.get("finetune", {})
    publish = build.get("publish") or {}
    lines = [
        "",
        finetune.get("table", "(no training in this recipe)").strip(),
        "",
        "(a tiny random model trained for a few steps: the numbers show the plumbing, not the method)",
        "",
        "records:  " + ", ".join(f"{count['stage']} {count['records']}" for count in build["counts"]),
        f"dataset:  {build['dataset']}",
        f"card:     {build['card']}",
    ]
    lines += [f"warning:  {warning}" for warning in build.get("warnings") or []]
    if publish:
        verb = "would push" if publish.get("dry_run") else "pushed"
        lines.append(f"publish:  {verb} {len(publish.get('files', []))} files to {publish.get('repo_id')}")
    if finetune.get("runs"):
        lines.append(f"runs:     {Path(finetune['runs'][0]).parent}")
        lines += [f"report:   {path}" for path in finetune["report"].values()]
    return "\n".join(lines)
