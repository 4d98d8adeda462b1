"""Data Docs that open styled with the network off.

GX writes pages that load jQuery, Bootstrap 4, bootstrap-table, a date picker, Font Awesome
and vega from CDNs (upstream declined to change it: GX issues #994, #8734); offline the pages
are unstyled and the index's tables, which bootstrap-table fills, stay empty. After the one
build of a run, every page is rewritten to load local copies placed in `static/vendor/`:
jQuery, Bootstrap (its bundle carries Popper), Font Awesome and the date picker as the XStatic
packages ship them; bootstrap-table, which no Python package ships, from the copy of its npm
release kept in `expectations/assets/` (MIT, with its licence). What a page loads but does not
need goes: the dark-mode stylesheet, and vega on pages that draw no chart (none of the suites'
expectations draws one). GX's logos come from its own `static/images`; links to its website
keep their text and lose their address.
"""

from __future__ import annotations

import os
import re
import shutil
from importlib import import_module
from pathlib import Path

VENDOR = Path("static") / "vendor"
ASSETS = Path(__file__).with_name("assets")
LOGO = Path("static") / "images" / "logo-long.png"

# (where the page loads it from, XStatic package or None for expectations/assets, path there, copied to)
COPIES: tuple[tuple[str, str | None, str, str], ...] = (
    (r"https://code\.jquery\.com/jquery-[\d.]+(?:\.min)?\.js", "jquery", "jquery.min.js", "jquery/jquery.min.js"),
    (r"https://[\w.]+/bootstrap/4[\d.]*/css/bootstrap\.min\.css", "bootstrap", "css/bootstrap.min.css",
     "bootstrap/css/bootstrap.min.css"),
    (r"https://[\w.]+/bootstrap/4[\d.]*/js/bootstrap\.min\.js", "bootstrap", "js/bootstrap.bundle.min.js",
     "bootstrap/js/bootstrap.bundle.min.js"),
    (r"https://[\w./-]+/font-awesome/[\d.]+/css/all\.min\.css", "font_awesome", "css/all.min.css",
     "font-awesome/css/all.min.css"),
    (r"https://[\w./-]+/bootstrap-datepicker/[\d.]+/css/bootstrap-datepicker\.min\.css", "bootstrap_datepicker",
     "bootstrap-datepicker3.standalone.css", "bootstrap-datepicker/bootstrap-datepicker3.standalone.css"),
    (r"https://[\w./-]+/bootstrap-datepicker/[\d.]+/js/bootstrap-datepicker\.min\.js", "bootstrap_datepicker",
     "bootstrap-datepicker.js", "bootstrap-datepicker/bootstrap-datepicker.js"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.css", None,
     "bootstrap-table/bootstrap-table.min.css", "bootstrap-table/bootstrap-table.min.css"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.js", None,
     "bootstrap-table/bootstrap-table.min.js", "bootstrap-table/bootstrap-table.min.js"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/bootstrap-table-filter-control(?:\.min)?\.css",
     None, "bootstrap-table/bootstrap-table-filter-control.min.css", "bootstrap-table/bootstrap-table-filter-control.min.css"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/bootstrap-table-filter-control\.min\.js",
     None, "bootstrap-table/bootstrap-table-filter-control.min.js", "bootstrap-table/bootstrap-table-filter-control.min.js"),
)
# Font Awesome's stylesheet finds its fonts at ../webfonts/
FONT_FOLDER = ("font_awesome", "webfonts", "font-awesome/webfonts")
DROPPED = (
    r"https://[\w./-]+/popper\.js/[\w./-]+",          # inside Bootstrap's bundle
    r"https://[\w./@-]+/bootstrap-dark@[\w./-]+",     # dark-mode variant of the stylesheet
)
VEGA = r"https://cdn\.jsdelivr\.net/npm/vega(?:-lite|-embed)?@[\d.]+"
_TAG = r'<(?:script|link)\b[^>]*?(?:src|href)="({url})"[^>]*>(?:\s*</script>)?'
_GX_IMAGE = re.compile(r"https://great-expectations-web-assets\.[\w.-]+/[\w.-]+\.png(?:\?[^\"')]*)?")
_LINK = re.compile(r'(<a\b[^>]*?)\s+href="https?://[^"]*"')
_GX_STATIC = re.compile(r'(href|src)="(?:\.{1,2}/)*static/images/')   # GX counts one level short on validation pages


def _source(package: str | None, path: str) -> Path:
    if package is None:
        return ASSETS / path
    return Path(import_module(f"xstatic.pkg.{package}").BASE_DIR) / path


def copy_assets(site: Path) -> None:
    """The local copies every rewritten page points to."""
    for _, package, path, target in COPIES:
        destination = site / VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_source(package, path), destination)
    package, folder, target = FONT_FOLDER
    shutil.copytree(_source(package, folder), site / VENDOR / target, dirs_exist_ok=True)


def offline_page(html: str, root: str) -> str:
    """One page rewritten to load only local files; `root` is the relative path to the site's root."""
    for pattern, _, _, target in COPIES:
        local = f"{root}{(VENDOR / target).as_posix()}"
        tag = "script" if target.endswith(".js") else "link"
        element = f'<script src="{local}"></script>' if tag == "script" else f'<link rel="stylesheet" href="{local}">'
        html = re.sub(_TAG.format(url=pattern), lambda _m, e=element: e, html)
    dropped = DROPPED if "vegaEmbed(" in html else (*DROPPED, VEGA)
    for pattern in dropped:
        html = re.sub(_TAG.format(url=pattern), "", html)
    html = _GX_IMAGE.sub(f"{root}{LOGO.as_posix()}", html)
    html = _GX_STATIC.sub(lambda m: f'{m.group(1)}="{root}static/images/', html)
    return _LINK.sub(r"\1", html)


def make_offline(site: Path) -> None:
    """Copy the assets into the built site and rewrite every page to use them."""
    copy_assets(site)
    for page in site.rglob("*.html"):
        root = "../" * (len(page.relative_to(site).parts) - 1)
        page.write_text(offline_page(page.read_text(encoding="utf-8"), root), encoding="utf-8")
    for sheet in (site / "static" / "styles").glob("*.css"):   # GX's own stylesheet names its dark logo
        root = "../" * (len(sheet.relative_to(site).parts) - 1)
        sheet.write_text(_GX_IMAGE.sub(f"{root}{LOGO.as_posix()}", sheet.read_text(encoding="utf-8")), encoding="utf-8")


def remote_urls(site: Path) -> dict[str, list[str]]:
    """Every http(s) address left in the site's pages, and every one its stylesheets load (an
    address in a licence comment loads nothing), by file: none once made offline."""
    found = {}
    for path in site.rglob("*"):
        if path.suffix == ".html":
            urls = re.findall(r"https?://[^\s\"'<>)]+", path.read_text(encoding="utf-8"))
        elif path.suffix == ".css":
            urls = re.findall(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")\s]+)", path.read_text(encoding="utf-8"))
        else:
            continue
        if urls:
            found[os.fspath(path.relative_to(site))] = urls
    return found
