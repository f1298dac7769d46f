"""`hq users add-web` and `hq serve`'s refusals: one sentence and exit 2, nothing half-written."""

from __future__ import annotations

import io

import pytest

from app.cli.main import main
from db.central import console_repo
from db.central.schema import connect

pytestmark = pytest.mark.pg


def _add(site, monkeypatch, *args: str, password: str = "a long password\n") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password))
    return main(["hq", "users", "add-web", "--db", site.url, *args, "--password-stdin"])


def test_add_web_creates_a_user_that_logs_in(site, monkeypatch, capsys) -> None:
    assert _add(site, monkeypatch, "--name", "cliadmin", "--role", "admin") == 0
    assert "cliadmin (admin) added" in capsys.readouterr().out
    from tests.web.conftest import login

    assert login(site, "cliadmin", "a long password").get("/users").status_code == 200


@pytest.mark.parametrize(("args", "password", "says"), [
    (["--name", "x' OR 1=1 --", "--role", "admin"], "a long password\n", "name must be"),
    (["--name", "shorty", "--role", "admin"], "short\n", "at least 10"),
    (["--name", "boss", "--role", "viewer"], "a long password\n", "already exists"),
])
def test_add_web_refuses_bad_input(site, monkeypatch, capsys, args, password, says) -> None:
    assert _add(site, monkeypatch, *args, password=password) == 2
    assert says in capsys.readouterr().err
    with connect(site.url) as conn:
        assert not console_repo.user_exists(conn, "shorty")
        assert conn.execute("SELECT role FROM web_users WHERE name = 'boss'").fetchone()[0] == "admin"


def test_add_web_refuses_an_unknown_role(site, monkeypatch) -> None:
    assert _add(site, monkeypatch, "--name", "someone", "--role", "root") == 2


@pytest.mark.parametrize(("args", "says"), [
    (["--bind", "0.0.0.0:8080"], "refusing plain HTTP"),
    (["--bind", "10.1.2.3:443"], "refusing plain HTTP"),
    (["--bind", "nonsense"], "HOST:PORT"),
    (["--bind", "127.0.0.1:99999"], "HOST:PORT"),
    (["--tls-cert", "/nonexistent/cert.pem"], "go together"),
    (["--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"], "not a readable file"),
])
def test_serve_refuses_unsafe_or_bad_settings(site, capsys, args, says) -> None:
    assert main(["hq", "serve", "--db", site.url, *args]) == 2
    assert says in capsys.readouterr().err


def test_serve_refuses_an_unreachable_database(capsys) -> None:
    assert main(["hq", "serve", "--db", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    assert "cannot reach" in capsys.readouterr().err
