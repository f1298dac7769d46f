"""A till's enrolled password and its TLS settings are what let it into a real, locked-down server.

The shared test server trusts local logins, so these tests start their own cluster that accepts
only TLS with a SCRAM password (tests/support/pg_cluster.py) and drive the real CLI: `central
init`, `central enroll --sslmode --sslrootcert`, `central connect`, `sync --once`, `sync --status`.
Every refused login must leave the till's unsynced entries in place, land nothing on the server,
say why in one line, and drain once the till has the right settings again.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from psycopg import sql

from app.bootstrap import init_till, open_till
from app.cli.main import main
from app.simulate.runner import simulate
from app.usecases.checkpoints import ensure_till_key
from app.usecases.setup import load_demo
from tests.central.tills import audit_rows
from tests.support import pg_cluster

pytestmark = pytest.mark.pg

DBNAME = "tillstone"


@pytest.fixture(scope="module")
def cluster():
    try:
        pg_cluster.server_bindir()
    except pg_cluster.ClusterUnavailable as exc:
        pg_cluster.unavailable(str(exc))
    # log_statement=ddl, as many production servers run: enrolment must not leave a password in the log
    with pg_cluster.running_cluster({"log_statement": "ddl"}) as running:
        yield running


@pytest.fixture(scope="module")
def url(cluster) -> str:
    with cluster.admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DBNAME)))
    assert main(["central", "init", "--db", cluster.url(DBNAME)]) == 0
    return cluster.url(DBNAME)


def cli_json(capsys, argv: list[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def selling_till(data: Path, store: str) -> Path:
    """A till that sold offline (real use cases) and has never synced."""
    ctx = init_till(data, store=store, till="T01")
    load_demo(ctx)
    simulate(ctx, 1, 3, seed=7)
    return data


def enroll(capsys, url: str, cluster, store: str, data: Path, out: Path, *extra: str) -> dict:
    public = ensure_till_key(data).hex()  # the till's own key, as an operator would copy it
    code, answer = cli_json(capsys, [
        "central", "enroll", "--db", url, "--store", store, "--till", "T01", "--public-key", public,
        "--sslmode", "verify-full", "--sslrootcert", str(cluster.ca_file), "--out", str(out), *extra])
    assert code == 0, answer
    return json.loads(out.read_text())


def server_rows(cluster, till: str) -> list[tuple[int, str]]:
    with cluster.admin(DBNAME) as conn:
        return [(int(s), str(h)) for s, h in conn.execute(
            "SELECT seq, hash FROM raw_entries WHERE till = %s ORDER BY seq, hash", (till,))]


def status(capsys, data: Path) -> dict:
    code, answer = cli_json(capsys, ["--data-dir", str(data), "sync", "--status"])
    assert code == 0
    return answer


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_enrolled_till_syncs_over_verified_tls(cluster, url, tmp_path, capsys) -> None:
    data = selling_till(tmp_path / "till", "S1")
    settings = enroll(capsys, url, cluster, "S1", data, tmp_path / "s1.json")
    # the TLS options reach the file exactly as given, and from there libpq
    assert settings["conninfo"]["sslmode"] == "verify-full"
    assert settings["conninfo"]["sslrootcert"] == str(cluster.ca_file)
    assert main(["--data-dir", str(data), "central", "connect", str(tmp_path / "s1.json")]) == 0
    before = status(capsys, data)
    assert before["unsynced"] > 0
    code, pushed = cli_json(capsys, ["--data-dir", str(data), "sync", "--once"])
    assert code == 0 and pushed["ok"] and pushed["inserted"] == before["unsynced"]
    after = status(capsys, data)
    assert after["unsynced"] == 0 and after["last_error"] is None and after["last_success"]
    assert server_rows(cluster, "S1-T01") == audit_rows(open_till(data))


def _wrong_password(info: dict, tmp: Path) -> dict:
    return {**info, "password": info["password"][::-1] + "x"}


def _other_ca(info: dict, tmp: Path) -> dict:
    other = tmp / "other-ca.crt"
    other.write_bytes(pg_cluster.make_authority("Someone else's CA").cert_pem())
    return {**info, "sslrootcert": str(other)}


def _tls_off(info: dict, tmp: Path) -> dict:
    return {**info, "sslmode": "disable"}


def _missing_root_cert(info: dict, tmp: Path) -> dict:
    """The right CA at connect time, removed before the sync (connect itself refuses a missing one)."""
    moved = tmp / "moved-root.crt"
    moved.write_bytes(Path(info["sslrootcert"]).read_bytes())
    return {**info, "sslrootcert": str(moved)}


@pytest.mark.parametrize(("store", "spoil", "reason"), [
    ("SPW", _wrong_password, 'password authentication failed for user "{role}"'),
    ("SCA", _other_ca, "certificate verify failed"),
    ("SOFF", _tls_off, 'no pg_hba.conf entry for host "127.0.0.1", user "{role}"'),
    ("SNOCA", _missing_root_cert, 'moved-root.crt" does not exist'),
], ids=["wrong-password", "other-ca", "sslmode-disable", "missing-sslrootcert"])
def test_refused_login_loses_nothing_and_drains_once_fixed(
        cluster, url, tmp_path, capsys, store: str, spoil: Callable[[dict, Path], dict], reason: str) -> None:
    till = f"{store}-T01"
    data = selling_till(tmp_path / "till", store)
    good = tmp_path / "good.json"
    settings = enroll(capsys, url, cluster, store, data, good)
    reason = reason.format(role=settings["conninfo"]["user"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**settings, "conninfo": spoil(settings["conninfo"], tmp_path)}))
    assert main(["--data-dir", str(data), "central", "connect", str(bad)]) == 0
    (tmp_path / "moved-root.crt").unlink(missing_ok=True)
    before = status(capsys, data)
    assert before["unsynced"] > 0

    code, answer = cli_json(capsys, ["--data-dir", str(data), "sync", "--once"])
    assert code == 1 and not answer["ok"] and reason in answer["error"]
    refused = status(capsys, data)
    assert reason in refused["last_error"] and "\n" not in refused["last_error"]
    assert refused["state"] == "error"
    assert (refused["unsynced"], refused["pushed_seq"]) == (before["unsynced"], before["pushed_seq"])
    assert server_rows(cluster, till) == []

    assert main(["--data-dir", str(data), "central", "connect", str(good)]) == 0
    code, pushed = cli_json(capsys, ["--data-dir", str(data), "sync", "--once"])
    assert code == 0 and pushed["inserted"] == before["unsynced"]
    drained = status(capsys, data)
    assert drained["unsynced"] == 0 and drained["last_error"] is None
    assert server_rows(cluster, till) == audit_rows(open_till(data))


def test_enrolment_stores_a_scram_verifier_and_keeps_the_password_private(cluster, url, tmp_path, capsys) -> None:
    data = selling_till(tmp_path / "till", "S2")
    out = tmp_path / "s2.json"
    # reached by name this time: the server certificate carries DNS localhost as well as IP 127.0.0.1
    settings = enroll(capsys, url, cluster, "S2", data, out, "--host", "localhost")
    password = settings["conninfo"]["password"]
    assert settings["conninfo"]["host"] == "localhost"
    assert mode(out) == 0o600
    with cluster.admin(DBNAME) as conn:
        (verifier,) = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                   (settings["conninfo"]["user"],)).fetchone()
    assert verifier.startswith("SCRAM-SHA-256$") and password not in verifier
    log = cluster.log_text()
    assert f'CREATE ROLE "{settings["conninfo"]["user"]}"' in log  # the server did log the statement...
    assert password not in log  # ...but it never saw the password
    assert main(["--data-dir", str(data), "central", "connect", str(out)]) == 0
    assert mode(data / "central.json") == 0o600
    code, pushed = cli_json(capsys, ["--data-dir", str(data), "sync", "--once"])
    assert code == 0 and pushed["inserted"] > 0


def test_enroll_refuses_an_unknown_sslmode(cluster, url, tmp_path) -> None:
    out = tmp_path / "x.json"
    assert main(["central", "enroll", "--db", url, "--store", "S3", "--till", "T01", "--sslmode", "verify-some",
                 "--out", str(out)]) == 2
    assert not out.exists()
    with cluster.admin(DBNAME) as conn:
        assert conn.execute("SELECT count(*) FROM tills WHERE till = 'S3-T01'").fetchone()[0] == 0


@pytest.mark.parametrize(("store", "root"), [("SR1", "no-such-root.crt"), ("SR2", "relative/ca.crt"),
                                            ("SR3", "/nowhere/ca.crt")])
def test_connect_refuses_a_root_certificate_that_is_not_on_the_till(cluster, url, tmp_path, capsys,
                                                                    store: str, root: str) -> None:
    data = selling_till(tmp_path / "till", store)
    settings = enroll(capsys, url, cluster, store, data, tmp_path / "good.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**settings, "conninfo": {**settings["conninfo"], "sslrootcert": root}}))
    capsys.readouterr()
    assert main(["--data-dir", str(data), "central", "connect", str(bad)]) == 2
    assert "sslrootcert" in capsys.readouterr().err
    assert not (data / "central.json").exists()
