"""How ``--engine ray`` starts Ray, with a stand-in for the ``ray`` module (no Ray process is started here;
tests/review/test_ray_engine.py runs the real one)."""
from __future__ import annotations

import os
import sys
import types

import pytest

from review import ray_engine


class FakeRay(types.ModuleType):
    def __init__(self):
        super().__init__("ray")
        self.calls = []
        self.initialized = False

    def is_initialized(self):
        return self.initialized

    def init(self, address=None, **options):
        # what a raylet started now would inherit, and what the job asks its workers to have
        self.calls.append({"address": address, "runtime_env": options.get("runtime_env"),
                           "environ": {k: os.environ.get(k) for k in ray_engine.WORKER_ENV},
                           "ray_settings": {k: os.environ.get(k) for k in ray_engine.RAY_START_ENV}})
        self.initialized = True


@pytest.fixture
def fake_ray(monkeypatch):
    fake = FakeRay()
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    for key in (*ray_engine.WORKER_ENV, *ray_engine.RAY_START_ENV):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    return fake


def test_a_ray_of_its_own_gets_the_worker_environment_from_this_process_for_the_start_only(fake_ray):
    assert ray_engine.start(None) is True
    (call,) = fake_ray.calls
    assert call["address"] == "local"          # not a cluster that `ray start` left running here
    assert call["runtime_env"] is None         # no per-worker setup process: the prestarted workers serve
    assert call["environ"] == ray_engine.WORKER_ENV
    assert call["ray_settings"] == ray_engine.RAY_START_ENV  # the raylet's quick retries, for its start only
    assert os.environ["OMP_NUM_THREADS"] == "4" and "MTREVIEW_THREADS" not in os.environ  # restored
    assert not any(key in os.environ for key in ray_engine.RAY_START_ENV)


def test_a_ray_setting_the_user_gave_is_kept(fake_ray, monkeypatch):
    monkeypatch.setenv("RAY_raylet_client_connect_timeout_milliseconds", "2000")
    ray_engine.start(None)
    assert fake_ray.calls[0]["ray_settings"]["RAY_raylet_client_connect_timeout_milliseconds"] == "2000"
    assert os.environ["RAY_raylet_client_connect_timeout_milliseconds"] == "2000"


def test_a_cluster_gets_the_worker_environment_as_the_jobs_runtime_env(fake_ray, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/src/mtreview")
    assert ray_engine.start("auto") is True
    (call,) = fake_ray.calls
    assert call["address"] == "auto"
    assert call["runtime_env"] == {"env_vars": {**ray_engine.WORKER_ENV, "PYTHONPATH": "/src/mtreview"}}
    assert call["environ"]["OMP_NUM_THREADS"] == "4"  # this process's environment is left alone
    assert call["ray_settings"] == {key: None for key in ray_engine.RAY_START_ENV}


def test_ray_address_in_the_environment_is_a_cluster_too(fake_ray, monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.1:6379")
    assert not ray_engine.starts_own_ray(None)
    assert ray_engine.starts_own_ray("local")
    ray_engine.start(None)
    assert fake_ray.calls[0]["address"] is None and fake_ray.calls[0]["runtime_env"] is not None


def test_an_initialised_ray_is_used_as_it_is(fake_ray):
    fake_ray.initialized = True
    assert ray_engine.start(None) is False and fake_ray.calls == []
