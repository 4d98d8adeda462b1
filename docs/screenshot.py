"""Screenshots of the report in French and English, for the README: `make screenshots`.

Also the one place that knows how to start headless Chromium here; the browser test uses it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")


def open_chromium(profile: Path, width: int = 1280, height: int = 1600) -> webdriver.Chrome:
    """Headless Chromium with a fresh profile, its console kept so a test can read it."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


def main(raw: Path = ROOT / "raw", out: Path = ROOT / "docs") -> int:
    """Run the pipeline once on raw/, render both languages, photograph the top of each page."""
    from pipeline.report import render_report
    from pipeline.run import run

    result = run(raw, None)
    with tempfile.TemporaryDirectory() as work:
        browser = open_chromium(Path(work) / "profile")
        try:
            for lang in ("fr", "en"):
                page = Path(work) / f"report-{lang}.html"
                page.write_text(render_report(result, lang), encoding="utf-8")
                browser.get(page.as_uri())
                browser.save_screenshot(str(out / f"report-{lang}.png"))
                print(out / f"report-{lang}.png")
        finally:
            browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
