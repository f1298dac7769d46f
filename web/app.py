"""The Starlette application: sessions, CSRF, role checks, and one route per page.

Each request opens its own connection and switches to the console's PostgreSQL role before any
query; Jinja2 autoescapes everything it renders.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from app.exports.files import FORMATS
from app.hq import console, web_users
from app.hq import exports as hq_exports
from app.hq.web_users import WebUser
from db.central import console_repo
from db.central.schema import connect
from kernel.errors import InvalidInput
from web.i18n import LANGUAGES, translator

HERE = Path(__file__).resolve().parent
SESSION_COOKIE, LOGIN_COOKIE, LANG_COOKIE = "hq_session", "hq_login_csrf", "hq_lang"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
MAX_TEXT = 200


class BadInput(ValueError):
    """A query or form value the page cannot use; answered with 400 and the reason."""


def create_app(db_url: str, *, secure_cookies: bool) -> Starlette:
    """The console over the central database at `db_url`; `secure_cookies` when served over TLS."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    @contextmanager
    def db() -> Iterator[psycopg.Connection]:
        with connect(db_url, autocommit=True) as conn:
            console_repo.use_console_role(conn)
            yield conn

    def render(request: Request, template: str, user: WebUser | None, status: int = 200, **ctx: Any) -> Response:
        lang = request.cookies.get(LANG_COOKIE, "en")
        lang = lang if lang in LANGUAGES else "en"
        html = env.get_template(template).render(_=translator(lang), user=user, lang=lang, path=request.url.path,
                                             status=status, **ctx)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def cookie(response: Response, key: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(key, value, max_age=max_age, httponly=True, samesite="strict", secure=secure_cookies,
                            path="/")

    def page(role: str) -> Callable[[Callable[..., Response]], Callable[[Request], Any]]:
        """A route that needs a session with at least `role`; POSTs also need the session's CSRF token."""
        def wrap(handler: Callable[..., Response]) -> Callable[[Request], Any]:
            async def endpoint(request: Request) -> Response:
                form = dict(await request.form()) if request.method == "POST" else {}
                with db() as conn:
                    user = web_users.session_user(conn, request.cookies.get(SESSION_COOKIE, ""))
                    if user is None:
                        return RedirectResponse("/login", status_code=303, headers=HEADERS)
                    if request.method == "POST" and not secrets.compare_digest(
                            str(form.get("csrf", "")), user.csrf):
                        return render(request, "error.html", user, 403, message="CSRF token missing or wrong.")
                    if not user.may(role):
                        return render(request, "error.html", user, 403, message="Your role does not allow this page.")
                    try:
                        return handler(request, conn, user, form)
                    except BadInput as exc:
                        return render(request, "error.html", user, 400, message=str(exc))
            return endpoint
        return wrap

    def arg(request: Request, key: str) -> str | None:
        value = request.query_params.get(key, "").strip()
        if len(value) > MAX_TEXT:
            raise BadInput(f"{key} is longer than {MAX_TEXT} characters")
        if any(ord(c) < 32 for c in value):
            raise BadInput(f"{key} contains control characters")
        return value or None

    def page_no(request: Request) -> int:
        raw = request.query_params.get("page", "1")
        if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
            raise BadInput("page must be a whole number from 1")
        return int(raw)

    def day_arg(request: Request, key: str, default: date) -> date:
        raw = arg(request, key)
        try:
            return date.fromisoformat(raw) if raw else default
        except ValueError:
            raise BadInput(f"{key} must be a date YYYY-MM-DD") from None

    async def login(request: Request) -> Response:
        if request.method == "GET":
            token = secrets.token_urlsafe(32)
            response = render(request, "login.html", None, csrf=token, error=None)
            cookie(response, LOGIN_COOKIE, token, 600)
            return response
        form = await request.form()
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
            return render(request, "error.html", None, 403, message="CSRF token missing or wrong.")
        name, password = str(form.get("name", ""))[:MAX_TEXT], str(form.get("password", ""))[:1000]
        with db() as conn:
            result = web_users.login(conn, name, password)
        if isinstance(result, str):
            error = "Too many failed logins: try again later." if result == "locked" else "Wrong name or password."
            return render(request, "login.html", None, 401, csrf=expected, error=error, name=name)
        response = RedirectResponse("/", status_code=303, headers=HEADERS)
        cookie(response, SESSION_COOKIE, result[0], web_users.SESSION_HOURS * 3600)
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    @page("viewer")
    def logout(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        web_users.logout(conn, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303, headers=HEADERS)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def language(request: Request) -> Response:
        lang = request.path_params["lang"]
        response = RedirectResponse("/", status_code=303, headers=HEADERS)
        if lang in LANGUAGES:
            cookie(response, LANG_COOKIE, lang, 365 * 86400)
        return response

    @page("viewer")
    def tills(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        return render(request, "tills.html", user, tills=console.tills(conn))

    @page("viewer")
    def days(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        return render(request, "days.html", user, result=console.days(conn, page_no(request)))

    @page("viewer")
    def sales(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        end = day_arg(request, "to", date.today())
        start = day_arg(request, "from", end - timedelta(days=30))
        if start > end:
            raise BadInput("from must not be after to")
        till, store, cashier = arg(request, "till"), arg(request, "store"), arg(request, "cashier")
        result = console.sales(conn, start, end, till, store, cashier, page_no(request))
        return render(request, "sales.html", user, result=result, start=start, end=end, till=till, store=store,
                      cashier=cashier, tills=console.till_ids(conn), stores=console.stores(conn),
                      query_without_page=urlencode([(k, v) for k, v in request.query_params.multi_items()
                                                    if k != "page"]) + "&",
                      download_query=urlencode([("from", start.isoformat()), ("to", end.isoformat()),
                                                *[(k, v) for k, v in (("store", store), ("till", till),
                                                                      ("cashier", cashier)) if v]]) + "&")

    @page("viewer")
    def sales_download(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        """The Sales page's filters as a file (every page of them), written by the export engine
        under the download role; hq_audit names the web user who took it."""
        fmt = arg(request, "format") or ""
        if fmt not in FORMATS:
            raise BadInput(f"format is one of: {', '.join(FORMATS)}")
        end = day_arg(request, "to", date.today())
        start = day_arg(request, "from", end - timedelta(days=30))
        if start > end:
            raise BadInput("from must not be after to")
        store = arg(request, "store")
        filters = {"from": start.isoformat(), "to": end.isoformat(), "till": arg(request, "till"),
                   "cashier": arg(request, "cashier")}
        folder = Path(tempfile.mkdtemp(prefix="tillstone-web-export-"))
        out = folder / f"sales-{start.isoformat()}-{end.isoformat()}.{'zip' if fmt == 'csv' else fmt}"
        try:
            with connect(db_url) as export_conn:
                console_repo.use_export_role(export_conn)
                hq_exports.export(export_conn, "sales", fmt, out, filters, stores=[store] if store else None,
                                  actor=f"web:{user.name}", via="web")
        except InvalidInput as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise BadInput(str(exc)) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return FileResponse(out, filename=out.name, headers=HEADERS,
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    @page("viewer")
    def anomalies(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        store = arg(request, "store")
        return render(request, "anomalies.html", user, result=console.anomalies(conn, store, page_no(request)),
                      store=store, stores=console.stores(conn))

    @page("admin")
    def users(request: Request, conn: psycopg.Connection, user: WebUser, form: dict[str, Any]) -> Response:
        message, error, status = None, None, 200
        if request.method == "POST":
            try:
                web_users.add_user(conn, str(form.get("name", "")), str(form.get("role", "")),
                                   str(form.get("password", "")))
                message = "User added."
            except web_users.WebUserError as exc:
                error, status = str(exc), 400
        return render(request, "users.html", user, status, users=console.users(conn), roles=web_users.ROLES,
                      message=message, error=error, form=form)

    routes = [
        Route("/login", login, methods=["GET", "POST"]), Route("/logout", logout, methods=["POST"]),
        Route("/lang/{lang}", language), Route("/", tills), Route("/days", days), Route("/sales", sales),
        Route("/sales/download", sales_download),
        Route("/anomalies", anomalies), Route("/users", users, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes)
