"""The deployments `clsforge ui` serves: named after what they do, every form field described."""

from __future__ import annotations

from pathlib import Path


def test_every_deployment_and_form_field_is_described(tmp_path: Path) -> None:
    from flows.server import deployments

    served = deployments(tmp_path)
    assert [f"{d.flow_name}/{d.name}" for d in served] == [
        "build-dataset/crawl-translate-filter", "build-ncls-low/sample-ncls", "finetune/local", "lifecycle/build-and-train"
    ]
    for deployment in served:
        assert deployment.description, deployment.name
        fields = deployment._parameter_openapi_schema.properties
        assert {name for name, field in fields.items() if not field.get("description")} == set(), deployment.name
    lifecycle = served[-1]._parameter_openapi_schema.properties
    assert lifecycle["dask"]["description"].startswith("run the curate stages on Dask: a scheduler address")
