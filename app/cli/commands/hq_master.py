"""`tillstone hq catalogue|tax|price|users|customers|stock count`: head office publishes master data.

Every change is validated whole, written with its `hq_audit` entry in one transaction, and picked
up by the tills' next pull. Bad input is one sentence on stderr and exit 2, with nothing written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from app.cli.context import CENTRAL_DB_HELP, central_url, domain_errors_as_cli, print_json
from app.cli.errors import CliError
from app.domain.permissions import ROLES
from app.hq import master, people
from db.central.schema import CentralUnavailable, connect
from kernel.errors import InvalidInput


def _now() -> datetime:
    return datetime.now(UTC)


def _actor(value: str) -> str:
    """argparse type of `--by`: who goes into hq_audit, as a short printable name."""
    if not 1 <= len(value) <= 80 or not value.isprintable() or value != value.strip():
        raise CliError("--by must be a name of 1 to 80 printable characters")
    return value


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    p.add_argument("--by", default="hq", type=_actor, help="who at head office makes the change (in hq_audit)")
    p.add_argument("--json", action="store_true")


def _run(args: argparse.Namespace, action: Callable[[psycopg.Connection, datetime], dict[str, object]]) -> int:
    try:
        conn = connect(args.db)
    except CentralUnavailable as exc:
        raise CliError(f"cannot reach the central database: {exc}") from None
    with conn:
        result = action(conn, _now())
    if args.json:
        print_json(result)
    else:
        print(", ".join(f"{k} {v}" for k, v in result.items()))
    return 0


def register(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = hsub.add_parser("catalogue", help="publish products, barcodes, prices, tax codes, cost, reorder levels")
    csub = c.add_subparsers(dest="hq_catalogue", required=True)
    ci = csub.add_parser("import", help="a .csv or .xlsx catalogue, all or nothing")
    _db(ci)
    ci.add_argument("file", type=Path)
    ci.add_argument("--store", help="list new products and set prices for this store only")
    ci.set_defaults(func=domain_errors_as_cli(run_catalogue))

    t = hsub.add_parser("tax", help="tax codes and rates")
    tsub = t.add_subparsers(dest="hq_tax", required=True)
    ts = tsub.add_parser("set", help="a tax code and its rate, for every store")
    _db(ts)
    ts.add_argument("--code", required=True, help="1 to 8 letters or digits, e.g. A")
    ts.add_argument("--name", required=True, help="e.g. 'Standard 20%%'")
    ts.add_argument("--rate", required=True, help="percent, e.g. 20 or 5.5")
    ts.set_defaults(func=domain_errors_as_cli(run_tax))

    p = hsub.add_parser("price", help="price changes")
    psub = p.add_subparsers(dest="hq_price", required=True)
    ps = psub.add_parser("set", help="a price now or from a time on, for one store or every store")
    _db(ps)
    ps.add_argument("--sku", required=True)
    ps.add_argument("--price", required=True, help="e.g. 2.49")
    ps.add_argument("--store")
    ps.add_argument("--from", dest="when", metavar="DATETIME",
                    help="ISO date-time with offset, e.g. 2026-12-24T06:00+01:00")
    ps.set_defaults(func=domain_errors_as_cli(run_price))

    u = hsub.add_parser("users", help="till staff: cashiers, supervisors, admins")
    usub = u.add_subparsers(dest="hq_users", required=True)
    for name, helptext in (("add", "a new till user"), ("set", "change a user"), ("disable", "stop a user")):
        q = usub.add_parser(name, help=helptext)
        _db(q)
        q.add_argument("--id", required=True)
        if name != "disable":
            q.add_argument("--name", required=name == "add")
            q.add_argument("--role", required=name == "add", choices=sorted(ROLES))
            q.add_argument("--pin", help="4 to 12 digits (or --pin-stdin, kept out of the process list)")
            q.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin")
            q.add_argument("--store", help="the user's store (default: every store; with set, * for every store)")
        q.set_defaults(func=domain_errors_as_cli(run_users), users_action=name)

    k = hsub.add_parser("customers", help="customers, their terms and credit limits")
    ksub = k.add_subparsers(dest="hq_customers", required=True)
    for name in ("add", "set", "block", "unblock"):
        q = ksub.add_parser(name, help=f"{name} a customer")
        _db(q)
        q.add_argument("--id", required=name != "add", help="customer id (add: default a new one)")
        if name in ("add", "set"):
            q.add_argument("--name", required=name == "add")
            q.add_argument("--type", choices=people.CUSTOMER_TYPES)
            q.add_argument("--contact", help="contact person")
            q.add_argument("--credit-limit", help="e.g. 500.00")
            q.add_argument("--terms", type=int, help="payment terms in days")
        q.set_defaults(func=domain_errors_as_cli(run_customers), customers_action=name)


def register_stock(ssub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`hq stock count`, next to `hq report stock`."""
    s = ssub.add_parser("count", help="a counted stock level per product (csv/xlsx with columns sku,counted)")
    _db(s)
    s.add_argument("--store", required=True)
    s.add_argument("file", type=Path)
    s.set_defaults(func=domain_errors_as_cli(run_stock_count))


def run_catalogue(args: argparse.Namespace) -> int:
    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        r = master.import_catalogue(conn, args.file, store=args.store, now=now, actor=args.by)
        return {"products": r.products, "added": r.added, "updated": r.updated, "prices": r.prices,
                "hq_audit_seq": r.audit_seq}
    return _run(args, act)


def run_tax(args: argparse.Namespace) -> int:
    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        seq = master.set_tax_rate(conn, code=args.code, name=args.name, rate=args.rate, now=now, actor=args.by)
        return {"code": args.code, "hq_audit_seq": seq}
    return _run(args, act)


def run_price(args: argparse.Namespace) -> int:
    when = master.parse_when(args.when)

    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        seq = master.set_price(conn, sku=args.sku, price=args.price, store=args.store, effective_from=when,
                               now=now, actor=args.by)
        return {"sku": args.sku, "price": args.price, "hq_audit_seq": seq}
    return _run(args, act)


def _pin(args: argparse.Namespace) -> str | None:
    if args.pin_stdin:
        if args.pin is not None:
            raise InvalidInput("Give the PIN with --pin or --pin-stdin, not both.")
        return sys.stdin.readline().strip()
    return str(args.pin) if args.pin is not None else None


def run_users(args: argparse.Namespace) -> int:
    action = args.users_action
    pin = _pin(args) if action != "disable" else None
    if action == "add" and pin is None:
        raise InvalidInput("A new user needs a PIN (--pin or --pin-stdin).")

    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        if action == "add":
            assert pin is not None
            seq = people.add_user(conn, user_id=args.id, name=args.name, role=args.role, pin=pin, store=args.store,
                                  now=now, actor=args.by)
        elif action == "set":
            change = people.UserChange(name=args.name, role=args.role, pin=pin, store=args.store)
            seq = people.set_user(conn, user_id=args.id, change=change, now=now, actor=args.by)
        else:
            seq = people.disable_user(conn, user_id=args.id, now=now, actor=args.by)
        return {"user": args.id, "hq_audit_seq": seq}
    return _run(args, act)


def run_customers(args: argparse.Namespace) -> int:
    action = args.customers_action

    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        if action in ("add", "set"):
            fields = people.CustomerFields(name=args.name, customer_type=args.type, contact_person=args.contact,
                                           credit_limit=args.credit_limit, terms_days=args.terms)
            if action == "add":
                cid, seq = people.add_customer(conn, customer_id=args.id, fields=fields, now=now, actor=args.by)
                return {"customer": cid, "hq_audit_seq": seq}
            seq = people.set_customer(conn, customer_id=args.id, fields=fields, now=now, actor=args.by)
        else:
            seq = people.set_customer(conn, customer_id=args.id, blocked=action == "block", now=now, actor=args.by)
        return {"customer": args.id, "hq_audit_seq": seq}
    return _run(args, act)


def run_stock_count(args: argparse.Namespace) -> int:
    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        seq = master.stock_count(conn, args.file, store=args.store, now=now, actor=args.by)
        return {"store": args.store.upper(), "hq_audit_seq": seq}
    return _run(args, act)
