"""Slots of the google-translate limit held by a killed run are freed when clsforge starts a server."""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate

from prefect.exceptions import ObjectAlreadyExists

from flows.runners import GOOGLE_LIMIT, free_stale_slots


def held(name: str) -> int:
    with get_client(sync_client=True) as client:
        return client.read_global_concurrency_limit_by_name(name).active_slots


def test_held_slots_are_freed_and_counted(prefect_api, capfd):
    with get_client(sync_client=True) as client:
        try:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=GOOGLE_LIMIT, limit=4))
        except ObjectAlreadyExists:  # another test's build created it
            pass
        client.update_global_concurrency_limit(GOOGLE_LIMIT, GlobalConcurrencyLimitUpdate(active_slots=3))
    assert held(GOOGLE_LIMIT) == 3
    assert free_stale_slots(prefect_api) == 3
    assert held(GOOGLE_LIMIT) == 0
    assert "clsforge: freed 3 slot(s) of the google-translate limit left held by a run that was killed" in capfd.readouterr().err
    assert free_stale_slots(prefect_api) == 0  # nothing held: nothing said
    assert "freed" not in capfd.readouterr().err


def test_a_limit_that_does_not_exist_is_left_alone(prefect_api):
    assert free_stale_slots(prefect_api, ("no-such-limit",)) == 0
