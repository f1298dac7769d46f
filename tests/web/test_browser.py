"""A real browser (system Chromium, headless, via Selenium and the system chromedriver) against the
console served by uvicorn: log in, see the forked till in red. Also takes the README's screenshots
(1366x768) into TILLSTONE_SCREENSHOTS_DIR when that is set.

Without Chromium the test skips loudly, unless TILLSTONE_REQUIRE_BROWSER=1 (CI), where it fails."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
import warnings
from pathlib import Path

import pytest
import uvicorn

from tests.web.conftest import PASSWORD
from web.app import create_app

pytestmark = pytest.mark.pg
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1366,768"]


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).exists()]
    if missing:
        message = f"{', '.join(missing)} not installed: real-browser console tests NOT RUN"
        if os.environ.get("TILLSTONE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(site):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(site.url, secure_cookies=False), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="hq-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _login(driver, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(base + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login").click()


def test_log_in_and_see_the_forked_till_in_red(site, server, browser) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, server, "boss")
    badge = browser.find_element(By.CSS_SELECTOR, f"#till-{site.fork_till} .status")
    assert badge.text == "fork"
    assert badge.value_of_css_property("background-color") in ("rgba(198, 40, 40, 1)", "rgb(198, 40, 40)")
    ok = browser.find_element(By.CSS_SELECTOR, f"#till-{site.real_till} .status")
    assert ok.text == "verified" and "46, 125, 50" in ok.value_of_css_property("background-color")


def test_screenshots_of_every_page(site, server, browser, tmp_path) -> None:
    out = Path(os.environ.get("TILLSTONE_SCREENSHOTS_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    browser.get(server + "/login")
    browser.save_screenshot(str(out / "hq-login.png"))
    _login(browser, server, "boss")
    pages = {"tills": "/", "days": "/days", "sales": "/sales?from=2000-01-01&to=2100-01-01",
             "anomalies": "/anomalies", "users": "/users"}
    for name, path in pages.items():
        browser.get(server + path)
        assert "Error" not in browser.title
        browser.save_screenshot(str(out / f"hq-{name}.png"))
    for name in ("login", *pages):
        assert (out / f"hq-{name}.png").stat().st_size > 5000
