"""The customers screen with the real window, worker and event loop: a supervisor adds a customer
(no type preselected) and changes contact details, a cashier needs a supervisor's approval, each
action has its banner and empties the form, a logout empties it too, names are shown and not
customer numbers, and hostile input is refused with a sentence and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from tests.ui.conftest import off_gui
from tests.ui.test_sale_flows import open_shift


def _rows(ctx: Any, sql: str) -> list[Any]:
    with ctx.uow(read_only=True) as uow:
        return list(uow.conn.execute(text(sql)))


def rows(driver: Any, sql: str) -> list[Any]:
    return off_gui(_rows, driver.till.ctx, sql)


def form_values(driver: Any) -> dict[str, str]:
    return {k: f.text() for k, f in driver.shell.screens["customers"].form.inputs.items()}


def open_form(driver: Any, user: str = "sofia") -> None:
    open_shift(driver, user)
    driver.tap("btnCustomer")
    driver.tap("custNew")
    assert driver.shell.screens["customers"].pages.currentIndex() == 1


def fill(driver: Any, **values: str) -> None:
    for key, value in values.items():
        driver.find(f"cust_{key}").setText(value)


def test_a_supervisor_adds_a_customer_type_chosen_by_hand(driver: Any) -> None:
    open_form(driver)
    screen = driver.shell.screens["customers"]
    assert not any(b.isChecked() for b in screen.form.types.values())  # nothing preselected
    assert driver.find("cust_credit_limit").isVisible()  # the test till is standalone
    fill(driver, name="Bäckerei Nord")  # QTest types ASCII only
    driver.type("cust_contact_person", "Jo Frank")
    driver.type("cust_phone", "+49 30 1234")
    driver.type("cust_email", "jo@example.org")
    driver.type("cust_credit_limit", "250")
    driver.tap("custSave")
    assert "Choose RETAIL or WHOLESALE" in driver.banner()
    assert rows(driver, "SELECT count(*) FROM customers WHERE name = 'Bäckerei Nord'")[0][0] == 0
    driver.tap("custType_wholesale")
    driver.tap("custSave")
    assert driver.banner() == "Customer Bäckerei Nord added."
    assert screen.pages.currentIndex() == 0 and set(form_values(driver).values()) == {""}
    assert screen.form.chosen_type is None
    [(cid, kind, limit)] = rows(driver, "SELECT id, customer_type, credit_limit FROM customers "
                                        "WHERE name = 'Bäckerei Nord'")
    assert (kind, limit) == ("wholesale", 25_000)
    driver.qtbot.waitUntil(lambda: "Bäckerei Nord" in driver.find("custDetail").text(), timeout=3000)
    detail = driver.find("custDetail").text()
    assert "Jo Frank" in detail and "jo@example.org" in detail and cid not in detail
    driver.qtbot.waitUntil(lambda: driver.find("custList").count() == 3, timeout=3000)
    listed = [driver.find("custList").item(i).text() for i in range(driver.find("custList").count())]
    assert any(t.startswith("Bäckerei Nord") for t in listed) and not any("c-1" in t or cid in t for t in listed)
    [body] = rows(driver, "SELECT body FROM audit_log WHERE type = 'customer.created'")
    assert json.loads(body[0])["data"]["customer_id"] == cid
    driver.tap("custEdit")  # the customer just added is the one shown, not the one shown before
    assert form_values(driver)["name"] == "Bäckerei Nord" and form_values(driver)["credit_limit"] == "250.00"


def test_a_cashier_adds_one_with_a_supervisors_approval(driver: Any) -> None:
    open_form(driver, "anna")
    driver.type("cust_name", "Kiosk am Markt")
    driver.tap("custType_retail")
    driver.tap("custSave")
    driver.approve("sofia", "new account")
    assert driver.banner() == "Customer Kiosk am Markt added."
    [body] = rows(driver, "SELECT body FROM audit_log WHERE type = 'customer.created'")
    entry = json.loads(body[0])
    assert (entry["actor"], entry["data"]["approved_by"]) == ("anna", "sofia")


def test_contact_details_change_and_the_form_starts_from_the_customer(driver: Any) -> None:
    open_shift(driver, "sofia")
    driver.tap("btnCustomer")
    driver.tap("custEdit")
    assert "Choose a customer first" in driver.banner()
    screen = driver.shell.screens["customers"]
    screen.select("c-1")
    driver.idle()
    driver.tap("custEdit")
    assert form_values(driver)["name"] == "Café Lumière" and screen.form.chosen_type == "wholesale"
    driver.type("cust_phone", "030 555 01")
    driver.tap("custSave")
    assert driver.banner() == "Details of Café Lumière saved."
    assert screen.pages.currentIndex() == 0 and form_values(driver)["phone"] == ""
    driver.qtbot.waitUntil(lambda: "030 555 01" in driver.find("custDetail").text(), timeout=3000)
    [body] = rows(driver, "SELECT body FROM audit_log WHERE type = 'customer.updated'")
    assert json.loads(body[0])["data"]["changes"] == {"phone": {"from": "", "to": "030 555 01"}}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "x" * 10_000, "at most 120 characters"),
    ("name", "Evil\x1b[2J\x07", "control characters"),
    ("email", "not-an-email", "is not an e-mail address"),
    ("phone", "ring me", "phone number"),
    ("terms_days", "-5", "number of days"),
    ("credit_limit", "-100", "not an amount"),
])
def test_hostile_input_in_the_form_is_refused_and_writes_nothing(driver: Any, field: str, value: str,
                                                                  message: str) -> None:
    open_form(driver)
    before = rows(driver, "SELECT count(*) FROM audit_log")[0][0]
    fill(driver, name="Fine Name")
    fill(driver, **{field: value})
    driver.tap("custType_retail")
    driver.tap("custSave")
    assert message in driver.banner()
    assert len(driver.banner()) < 200  # one sentence, not the 10,000 characters back
    assert rows(driver, "SELECT count(*) FROM customers")[0][0] == 2
    assert rows(driver, "SELECT count(*) FROM audit_log")[0][0] == before
    assert driver.shell.screens["customers"].pages.currentIndex() == 1  # kept, to be corrected


def test_a_negative_or_garbage_payment_is_refused_with_a_sentence(driver: Any) -> None:
    open_shift(driver, "anna")
    driver.tap("btnCustomer")
    driver.shell.screens["customers"].select("c-1")
    driver.idle()
    for typed in ("-5", "1e9", "12,345"):
        driver.find("custAmount").setText(typed)
        driver.tap("custPayCash")
        assert "is not an amount" in driver.banner()
    driver.find("custAmount").setText("0")
    driver.tap("custPayCash")
    assert "more than zero" in driver.banner()
    assert rows(driver, "SELECT count(*) FROM customer_ledger")[0][0] == 0


def test_a_logout_empties_the_form(driver: Any) -> None:
    open_form(driver)
    driver.type("cust_name", "Half typed")
    driver.tap("custType_retail")
    driver.shell.logout()
    driver.idle()
    screen = driver.shell.screens["customers"]
    assert set(form_values(driver).values()) == {""} and screen.form.chosen_type is None
    assert screen.pages.currentIndex() == 0


def test_a_balance_adjustment_needs_a_reason_and_a_supervisor(driver: Any) -> None:
    open_shift(driver, "anna")
    driver.tap("btnCustomer")
    driver.shell.screens["customers"].select("c-1")
    driver.idle()
    driver.find("custAmount").setText("25")
    driver.tap("custAdjustUp")
    assert "Give a reason" in driver.banner()
    driver.find("custReason").setText("bad\x1b[2Jreason")
    driver.tap("custAdjustUp")
    assert "control characters" in driver.banner()
    assert rows(driver, "SELECT count(*) FROM customer_ledger")[0][0] == 0
    driver.find("custReason").setText("Opening balance")
    driver.tap("custAdjustUp")
    driver.approve("sofia", "checked the old ledger")
    assert driver.banner() == "Balance adjusted. New balance 25.00 €."
    assert driver.find("custAmount").text() == "" and driver.find("custReason").text() == ""
    [body] = rows(driver, "SELECT body FROM audit_log WHERE type = 'credit.adjusted'")
    data = json.loads(body[0])["data"]
    assert (data["kind"], data["amount"], data["approved_by"]) == ("adjustment", "25.00", "sofia")
    driver.qtbot.waitUntil(lambda: "Balance 25.00" in driver.find("custDetail").text(), timeout=3000)
