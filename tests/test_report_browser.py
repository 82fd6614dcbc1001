"""The HTML review report in a real headless browser (Debian's chromium + chromedriver through selenium): the page
opens from file:// without console errors, the filters hide and show findings, a card opens with its lazy sections,
hostile text never runs, and a screenshot is taken. Skips, saying why, where the browser or selenium is absent."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from test_report_html import fictional_report

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
                 if p and Path(p).exists()), None)
DRIVER = next((p for p in ("/usr/bin/chromedriver", shutil.which("chromedriver") or "") if p and Path(p).exists()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000"]


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    if CHROMIUM is None or DRIVER is None:
        pytest.skip("chromium or chromedriver not found (Debian: apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="docparse-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def visible(driver) -> int:
    return driver.execute_script("return document.querySelectorAll('li.finding:not([hidden])').length")


def choose(driver, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", select_id)).select_by_value(value)


def test_report_in_browser(browser, tmp_path):
    _, findings, html = fictional_report()
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    browser.get(page.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert browser.execute_script("return window.__xss") is None   # the hostile <img onerror> is text, not markup
    total = len(findings)
    assert visible(browser) == total
    assert browser.find_element("id", "f-count").text == f"{total} / {total} phát hiện"

    errors_only = sum(f.severity == "error" for f in findings)
    choose(browser, "f-severity", "error")
    assert visible(browser) == errors_only
    choose(browser, "f-code", "date.invalid")
    assert visible(browser) == 1
    browser.find_element("id", "f-reset").click()
    assert visible(browser) == total
    choose(browser, "f-doc", "2")                   # the report that cites the decision a day late
    assert visible(browser) == sum(any(e.document == "fic/c.txt" for e in f.spans) for f in findings)
    browser.find_element("id", "f-reset").click()
    row = browser.find_element("css selector", '[data-set-code="task.overdue"]')   # a summary row sets the filter
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)   # not under the sticky bars
    row.click()
    assert visible(browser) == sum(f.code == "task.overdue" for f in findings)
    browser.find_element("id", "f-reset").click()

    browser.execute_script("location.hash = '#doc-1'")   # a link to a card opens it and renders its sections
    card = browser.find_element("id", "doc-1")
    assert card.get_attribute("open") is not None
    rows = card.find_elements("css selector", ".lazy tbody tr")
    assert len(rows) >= 3 + 2 + 1                   # tasks, ratios, citations
    assert len(card.find_elements("css selector", "tr.overdue")) == 1
    assert len(card.find_elements("css selector", ".timeline .dot")) == 3
    assert card.find_elements("css selector", '.lazy a[href="#doc-0"]')   # the cited decision's card
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []

    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
