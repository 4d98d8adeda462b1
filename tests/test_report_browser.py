"""The report as a reviewer sees it: opened in headless Chromium, links followed, screenshot kept.

Skipped only when Chromium is not installed here; `.ci/run` installs it, so CI runs these.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from test_report import SCRIPT, make_result, make_run, make_table, total_finding

from pipeline.cli import main
from pipeline.report import render_report

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("screenshot", ROOT / "docs" / "screenshot.py")
assert _spec and _spec.loader
screenshot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshot)

pytestmark = pytest.mark.skipif(
    not (screenshot.CHROMIUM.exists() and screenshot.CHROMEDRIVER.exists()),
    reason=f"{screenshot.CHROMIUM} or {screenshot.CHROMEDRIVER} missing: apt-get install chromium chromium-driver",
)
TARGET = "return document.querySelector(':target')"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    driver = screenshot.open_chromium(tmp_path_factory.mktemp("profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole pipeline over raw/, as `make reconcile` runs it."""
    out = tmp_path_factory.mktemp("outputs")
    assert main(["run", str(ROOT / "raw"), "--out", str(out)]) == 0
    return out / "report.html"


def _severe(browser: WebDriver) -> list[dict[str, str]]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _in_view(browser: WebDriver, element: WebElement) -> bool:
    return bool(browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;", element))


def test_report_renders_without_console_errors(browser: WebDriver, report: Path) -> None:
    browser.get(report.as_uri())
    assert browser.title == "Rapport d’écarts ITIE"
    assert browser.find_elements(By.CSS_SELECTOR, ".verdicts .verdict"), "a verdict per document"
    assert _severe(browser) == []
    broken = browser.execute_script(
        "return [...document.querySelectorAll('a[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));")
    assert broken == []
    assert browser.execute_script(
        "const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length - new Set(ids).size;") == 0
    (ROOT / "outputs").mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ROOT / "outputs" / "report-browser.png"))


def test_following_a_finding_lands_on_its_highlighted_cell_and_back(browser: WebDriver, report: Path) -> None:
    browser.get(report.as_uri())
    link = browser.find_element(By.CSS_SELECTOR, ".finding dd > a[href^='#cell-']")
    cell_id = link.get_attribute("href").split("#", 1)[1]
    finding_id = browser.execute_script("return arguments[0].closest('.finding').id", link)
    link.click()
    target = browser.execute_script(TARGET)
    assert target is not None and target.get_attribute("id") == cell_id and target.tag_name == "td"
    assert "flagged" in target.get_attribute("class")
    assert target.value_of_css_property("background-color") == "rgba(255, 243, 176, 1)", "the :target style"
    assert _in_view(browser, target)
    assert browser.save_screenshot(str(ROOT / "outputs" / "report-target.png"))
    target.find_element(By.CSS_SELECTOR, f".marks a[href='#{finding_id}']").click()
    back = browser.execute_script(TARGET)
    assert back is not None and back.get_attribute("id") == finding_id and _in_view(browser, back)
    assert _severe(browser) == []


def test_script_from_a_document_is_shown_as_text(browser: WebDriver, tmp_path: Path) -> None:
    table = make_table(title=f"Tableau {SCRIPT}", first_name=SCRIPT)
    page = tmp_path / "report.html"
    page.write_text(render_report(make_result(make_run((total_finding(table),), (table,)))), encoding="utf-8")
    browser.get(page.as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is what raises
    cells = browser.find_elements(By.XPATH, "//td")
    assert any(cell.text == SCRIPT for cell in cells)
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert SCRIPT in browser.execute_script("return [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')")
    assert _severe(browser) == []
