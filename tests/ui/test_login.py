"""Log-in by touch: user button, PIN keypad; wrong PINs count down and lock the user out."""

from __future__ import annotations

from typing import Any


def test_login_opens_shift_screen_then_lockout(driver: Any) -> None:
    driver.login("anna")
    assert driver.shell.user.id == "anna"
    assert driver.shell.current() == "shift"  # no shift yet: count the float first
    assert "Anna" in driver.find("st_user").text()
    driver.shell.logout()
    driver.idle()
    screen = driver.shell.screens["login"]
    driver.tap("user_ben")
    for _ in range(4):
        driver.keypad(screen, "0000")
        driver.enter(screen)
    assert "1 attempt left" in screen.message.text()
    driver.keypad(screen, "0000")
    driver.enter(screen)
    assert "locked" in screen.message.text()
    assert driver.shell.user is None
