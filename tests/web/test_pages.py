"""Every console page over real imported tills, with the roles, CSRF, lockout and escaping."""

from __future__ import annotations

import psycopg
import pytest
from starlette.testclient import TestClient

from app.hq import web_users
from db.central import console_repo
from db.central.schema import connect
from tests.web.conftest import PASSWORD, csrf_of, login
from web.app import create_app

pytestmark = pytest.mark.pg
ALL_DATES = {"from": "2000-01-01", "to": "2100-01-01"}
HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "x'); DROP TABLE tills; --"]


def test_without_a_session_every_page_sends_to_login(site) -> None:
    client = TestClient(create_app(site.url, secure_cookies=False), follow_redirects=False)
    for path in ("/", "/days", "/sales", "/anomalies", "/users"):
        response = client.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path


def test_tills_page_shows_each_till_with_its_status(site) -> None:
    html = login(site, "vera").get("/").text
    assert site.real_till in html and site.silent_till in html and site.fork_till in html
    fork_row = html.split(f'id="till-{site.fork_till}"')[1].split("</tr>")[0]
    assert "status-fork" in fork_row and "fork at 4" in fork_row
    real_row = html.split(f'id="till-{site.real_till}"')[1].split("</tr>")[0]
    assert "status-verified" in real_row
    silent_row = html.split(f'id="till-{site.silent_till}"')[1].split("</tr>")[0]
    assert "never" in silent_row and "status-never_synced" in silent_row


def test_days_page_shows_report_and_a_till_that_never_synced(site) -> None:
    html = login(site, "vera").get("/days").text
    assert site.store_a in html and site.store_b in html
    assert "sent nothing for this day" in html  # the never-synced T02 of store A
    assert f"till {site.silent_till} sent nothing" in html  # the refusal reason from hq report daily
    assert "unresolved integrity problems" in html  # store B's fork blocks its day


def test_days_page_shows_the_consolidated_report_of_a_complete_day(site) -> None:
    from app.hq import report as hq_report

    with connect(site.url) as conn:
        day = conn.execute("SELECT min(business_date) FROM sales_docs WHERE store_id = %s",
                           (site.store_c,)).fetchone()[0]
        report = hq_report.daily(conn, site.store_c, day)
    html = login(site, "vera").get("/days").text
    row = [r for r in html.split('<tr class="day">') if f"<td>{site.store_c}</td>" in r][0]
    assert "status-verified" in row
    assert f"{report['sales_net']['amount']} ({report['sales_net']['count']})" in row
    assert report["cash"]["difference_amount"] in row


def test_sales_list_filters_and_pages_on_the_server(site) -> None:
    client = login(site, "vera")
    html = client.get("/sales", params=ALL_DATES).text
    assert site.real_till in html and "Page 1 of" in html
    only = client.get("/sales", params={**ALL_DATES, "till": site.fork_till}).text
    assert site.real_till not in only.split("<table>")[1]
    with connect(site.url) as conn:
        cashier = conn.execute(
            "SELECT convert_from(body, 'UTF8')::jsonb ->> 'actor' FROM raw_entries WHERE till = %s "
            "AND convert_from(body, 'UTF8')::jsonb ->> 'type' = 'sale.completed' LIMIT 1", (site.real_till,)
        ).fetchone()[0]
    by_cashier = client.get("/sales", params={**ALL_DATES, "cashier": cashier}).text
    assert by_cashier.count('class="sale"') >= 1
    assert client.get("/sales", params={**ALL_DATES, "cashier": "nobody"}).text.count('class="sale"') == 0
    page2 = client.get("/sales", params={**ALL_DATES, "page": "2"})
    assert page2.status_code == 200


@pytest.mark.parametrize("params", [{"from": "2026-13-01"}, {"page": "0"}, {"page": "abc"}, {"page": "-1"},
                                    {"from": "2026-03-05", "to": "2026-03-01"}, {"cashier": "x" * 500},
                                    {"cashier": "a\x00b"}, {"till": "\x00"}])
def test_bad_input_is_a_clear_400(site, params) -> None:
    response = login(site, "vera").get("/sales", params=params)
    assert response.status_code == 400 and 'class="error"' in response.text


def test_nul_in_a_store_filter_is_a_400_not_a_crash(site) -> None:
    assert login(site, "vera").get("/anomalies", params={"store": "S\x00"}).status_code == 400


def test_anomalies_page_lists_problems_across_stores(site) -> None:
    client = login(site, "vera")
    html = client.get("/anomalies").text
    assert "problem:fork" in html and site.fork_till in html
    filtered = client.get("/anomalies", params={"store": site.store_a}).text
    assert "problem:fork" not in filtered


def test_hostile_strings_are_rendered_escaped_and_harm_nothing(site) -> None:
    client = login(site, "boss")
    for text in HOSTILE:
        html = client.get("/sales", params={**ALL_DATES, "cashier": text}).text
        assert "<script>alert(1)</script>" not in html
        if text.startswith("<"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert client.get("/anomalies", params={"store": text}).status_code == 200
        form = client.get("/users").text
        response = client.post("/users", data={"name": text, "role": "viewer", "password": "long enough pw",
                                               "csrf": csrf_of(form)})
        assert response.status_code == 400 and "<script>alert(1)</script>" not in response.text
    with connect(site.url) as conn:
        assert conn.execute("SELECT count(*) FROM tills").fetchone()[0] == 4


def test_viewer_and_manager_get_403_on_the_admin_page_and_its_form(site) -> None:
    for name in ("vera", "mo"):
        client = login(site, name)
        assert client.get("/users").status_code == 403
        csrf = csrf_of(client.get("/").text)
        response = client.post("/users", data={"name": "sneaky", "role": "admin", "password": "long enough pw",
                                               "csrf": csrf})
        assert response.status_code == 403
    with connect(site.url) as conn:
        assert not console_repo.user_exists(conn, "sneaky")


def test_admin_adds_a_user_who_can_log_in(site) -> None:
    client = login(site, "boss")
    form = client.get("/users").text
    response = client.post("/users", data={"name": "newbie", "role": "viewer", "password": "a fine password",
                                           "csrf": csrf_of(form)})
    assert response.status_code == 200 and "User added." in response.text
    assert login(site, "newbie", "a fine password").get("/").status_code == 200


@pytest.mark.parametrize("token", [None, "", "forged-token-value"])
def test_missing_or_forged_csrf_token_is_refused(site, token) -> None:
    client = login(site, "boss")
    data = {"name": "csrfvictim", "role": "admin", "password": "long enough pw"}
    if token is not None:
        data["csrf"] = token
    assert client.post("/users", data=data).status_code == 403
    assert client.post("/logout", data={} if token is None else {"csrf": token}).status_code == 403
    with connect(site.url) as conn:
        assert not console_repo.user_exists(conn, "csrfvictim")
    fresh = TestClient(create_app(site.url, secure_cookies=False), follow_redirects=False)
    fresh.get("/login")
    assert fresh.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": "forged"}).status_code == 403


def test_cookies_are_httponly_samesite_strict_and_secure_under_tls(site) -> None:
    client = TestClient(create_app(site.url, secure_cookies=True), base_url="https://testserver",
                        follow_redirects=False)
    form = client.get("/login")
    response = client.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": csrf_of(form.text)})
    header = response.headers["set-cookie"].lower()
    assert "hq_session=" in header and "httponly" in header and "samesite=strict" in header and "secure" in header
    assert client.get("/").headers["x-frame-options"] == "DENY"


def test_lockout_after_repeated_failures_even_with_the_right_password(site) -> None:
    with connect(site.url) as conn:
        web_users.add_user(conn, "locky", "viewer", PASSWORD)
    client = TestClient(create_app(site.url, secure_cookies=False), follow_redirects=False)
    csrf = csrf_of(client.get("/login").text)
    for _ in range(web_users.MAX_FAILURES):
        assert client.post("/login", data={"name": "locky", "password": "wrong", "csrf": csrf}).status_code == 401
    response = client.post("/login", data={"name": "locky", "password": PASSWORD, "csrf": csrf})
    assert response.status_code == 401 and "Too many failed logins" in response.text


def test_logout_ends_the_session(site) -> None:
    client = login(site, "vera")
    csrf = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    assert client.get("/").status_code == 303


def test_german_catalogue(site) -> None:
    client = login(site, "vera")
    client.get("/lang/de")
    html = client.get("/").text
    assert "Kassen" in html and "Verzweigung" in html


def test_the_console_role_cannot_alter_till_rows(site) -> None:
    with connect(site.url, autocommit=True) as conn:
        console_repo.use_console_role(conn)
        assert conn.execute("SELECT count(*) FROM tills").fetchone()[0] == 4
        for statement in ("UPDATE tills SET key_id = 'x'", "DELETE FROM raw_entries",
                          "UPDATE chain_state SET accepted_seq = 0", "DELETE FROM problems",
                          "INSERT INTO problems (till, kind, detail) VALUES ('A-B', 'x', 'y')",
                          "UPDATE sales_docs SET gross = 0"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
