"""A central store with real imported tills for the console tests: a real till of store A that
sold, synced and was imported, a second till of A that never synced, and a till of store B whose
chain forked. Users: an admin and a viewer."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.testclient import TestClient

from app.audit import checkpoint
from app.hq import enrol as enrolment
from app.hq import web_users
from app.hq.importer import import_all
from app.sync import worker
from db.central import push_repo
from db.central.schema import connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import pg_url, unique_store  # noqa: F401 - pg_url is a fixture
from tests.central.tills import make_synced_till
from web.app import create_app

WITNESS = Ed25519PrivateKey.generate()
PASSWORD = "correct horse battery"


@dataclass
class Site:
    url: str
    store_a: str
    store_b: str
    real_till: str
    silent_till: str
    fork_till: str
    store_c: str  # one real till, every day complete


def _push(settings, rows) -> None:  # type: ignore[no-untyped-def]
    with psycopg.connect(**settings.kwargs(), connect_timeout=5) as conn:
        push_repo.push_batch(conn, till=settings.till, batch_id=uuid.uuid4(), rows=rows, till_time=datetime.now(UTC))


@pytest.fixture(scope="module")
def site(pg_url, tmp_path_factory) -> Site:  # noqa: F811
    upgrade(pg_url)
    a, b = unique_store(), unique_store()
    ctx, settings = make_synced_till(pg_url, tmp_path_factory.mktemp("till"), a, "T01", days=2, sales=8)
    worker.sync_once(ctx, settings)
    c = unique_store()
    ctx_c, settings_c = make_synced_till(pg_url, tmp_path_factory.mktemp("till_c"), c, "T01", days=1, sales=5,
                                         seed=3)
    worker.sync_once(ctx_c, settings_c)
    silent = enrolment.enrol(pg_url, store=a, till_id="T02",
                             public_key=checkpoint.public_bytes(Ed25519PrivateKey.generate()))
    key = Ed25519PrivateKey.generate()
    forked = enrolment.enrol(pg_url, store=b, till_id="T01", public_key=checkpoint.public_bytes(key))
    chain = Chain(forked.till, key=key)
    chain.day("2026-03-02", 3)
    _push(forked, chain.rows)
    with connect(pg_url) as conn:
        import_all(conn, WITNESS)
    restored = Chain(chain.till, key=key, rows=chain.rows[:3])
    restored.sale("2026-03-02", 99)
    _push(forked, restored.rows)
    with connect(pg_url) as conn:
        import_all(conn, WITNESS)
        web_users.add_user(conn, "boss", "admin", PASSWORD)
        web_users.add_user(conn, "vera", "viewer", PASSWORD)
        web_users.add_user(conn, "mo", "manager", PASSWORD)
    return Site(pg_url, a, b, settings.till, silent.till, forked.till, c)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def login(site: Site, name: str, password: str = PASSWORD) -> TestClient:
    client = TestClient(create_app(site.url, secure_cookies=False), follow_redirects=False)
    form = client.get("/login")
    response = client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(form.text)})
    assert response.status_code == 303, response.text[:2000]
    return client
