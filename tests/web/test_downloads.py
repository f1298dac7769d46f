"""The Sales page's download buttons over real imported tills: the file is the export engine's
(the same Sales rows as `hq export sales` for the same filters), hq_audit names the web user and
holds the file's SHA-256, the temporary folder is gone afterwards, hostile parameters are a 400
that writes nothing, and the console's page role still cannot write hq_audit or any till row."""

from __future__ import annotations

import hashlib
import json
import tempfile
from io import BytesIO
from pathlib import Path

import openpyxl
import psycopg
import pytest
from starlette.testclient import TestClient

from app.cli.main import main
from db.central import console_repo
from db.central.schema import connect
from tests.web.conftest import login
from web.app import create_app

pytestmark = pytest.mark.pg
DATES = {"from": "2000-01-01", "to": "2100-01-01"}


def audit_rows(url: str) -> list[dict]:
    with psycopg.connect(url) as conn:
        return [json.loads(bytes(r[0])) for r in conn.execute("SELECT body FROM hq_audit ORDER BY seq")]


def leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("tillstone-web-export-*")}


def sales_rows(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(BytesIO(content), read_only=True)
    return [row for row in book["Sales"].iter_rows(min_row=2, values_only=True)]


def test_the_sales_page_downloads_its_filters_as_the_engines_file(site, tmp_path) -> None:
    client = login(site, "vera")
    page = client.get("/sales", params={**DATES, "store": site.store_c}).text
    assert 'id="download-xlsx"' in page and f"store={site.store_c}" in page
    before = leftovers()
    response = client.get("/sales/download", params={**DATES, "store": site.store_c, "format": "xlsx"})
    assert response.status_code == 200, response.text[:500]
    assert "attachment" in response.headers["content-disposition"]
    assert leftovers() == before  # the temporary folder went with the response
    entry = audit_rows(site.url)[-1]
    assert (entry["type"], entry["actor"]) == ("export.created", "web:vera")
    assert entry["data"]["via"] == "web" and entry["data"]["stores"] == [site.store_c]
    assert entry["data"]["sha256"] == hashlib.sha256(response.content).hexdigest()
    cli_out = tmp_path / "cli.xlsx"
    assert main(["hq", "export", "sales", "--db", site.url, "--store", site.store_c, "--format", "xlsx",
                 "--out", str(cli_out), "--from", DATES["from"], "--to", DATES["to"]]) == 0
    web_rows = sales_rows(response.content)
    assert web_rows and web_rows == sales_rows(cli_out.read_bytes())
    assert main(["hq", "verify", "--db", site.url]) in (0, 1)  # the fork till is flagged; hq_audit is not:
    with psycopg.connect(site.url) as conn:
        from app.hq import hq_audit
        walked, problems = hq_audit.verify(conn)
    assert walked == len(audit_rows(site.url)) and problems == []


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_csv_and_pdf_download_too(site, fmt) -> None:
    response = login(site, "mo").get("/sales/download", params={**DATES, "store": site.store_c, "format": fmt})
    assert response.status_code == 200
    assert response.content[:4] == (b"PK\x03\x04" if fmt == "csv" else b"%PDF")
    assert audit_rows(site.url)[-1]["actor"] == "web:mo"


@pytest.mark.parametrize("params", [{"format": "exe"}, {"format": "xlsx", "from": "2026-13-01"},
                                    {"format": "xlsx", "from": "2026-03-05", "to": "2026-03-01"},
                                    {"format": "xlsx", "cashier": "a\x00b"}, {"format": "xlsx", "till": "x" * 500},
                                    {"format": "../../etc/passwd"}])
def test_hostile_download_parameters_are_a_400_that_writes_nothing(site, params) -> None:
    before, files = len(audit_rows(site.url)), leftovers()
    response = login(site, "vera").get("/sales/download", params=params)
    assert response.status_code == 400 and "Traceback" not in response.text
    assert len(audit_rows(site.url)) == before and leftovers() == files


def test_no_session_no_file(site) -> None:
    client = TestClient(create_app(site.url, secure_cookies=False), follow_redirects=False)
    before = len(audit_rows(site.url))
    response = client.get("/sales/download", params={"format": "xlsx"})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert len(audit_rows(site.url)) == before


def test_the_page_role_still_writes_no_hq_audit_and_the_download_role_no_till_row(site) -> None:
    with connect(site.url) as conn:
        console_repo.use_console_role(conn)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO hq_audit (seq, ts, type, actor, body, prev, hash) "
                         "VALUES (999999, now(), 'x', 'x', '\\x00', 'x', 'x')")
    with connect(site.url) as conn:
        console_repo.use_export_role(conn)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE sales_docs SET actor = 'forged'")
    with connect(site.url) as conn:
        console_repo.use_export_role(conn)
        with pytest.raises(psycopg.errors.RaiseException):
            conn.execute("UPDATE hq_locks SET name = 'x' WHERE name = 'hq_audit'")
    with connect(site.url) as conn:
        console_repo.use_export_role(conn)
        with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException)):
            conn.execute("DELETE FROM hq_audit")
