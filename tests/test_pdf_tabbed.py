"""Tab-separated text rebuilt from a PDF's words (extractors/pdf/tabbed.py): what the tsv cutter
needs of it survives a rendering — cells in their columns, empty ones kept, rows whose cells
wrap over several lines, page breaks as blank lines, bold as <b> only when asked."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from extractors.pdf.reading import read_tab_text
from extractors.pdf.tabbed import reads_bold
from extractors.spec import TableSpec

RAW = Path(__file__).resolve().parents[1] / "raw"

DUMP = (
    "TITRE DU PLAN\n"
    "\n"
    "N°\tAxe\tActivité\tT1\tT2\tSource\n"
    "1.1\tPremier axe dont le libellé est long au point de passer à la ligne\tFaire ceci\tx\t\tEtat\n"
    "1.2\t\tFaire cela, une activité elle aussi assez longue pour tenir sur plusieurs lignes\t\tx\tBanque\n"
    "\t\t<b>Sous total axe 1</b>\t\t\t\n"
    "\n"
    "\tSuite sans numéro\tencore\tx\tx\tEtat\n"
    "\t<b>TOTAL</b>\t\t\t\t\n"
)


def _render(text: str, out: Path) -> Path:
    spec = importlib.util.spec_from_file_location("render_pdfs", Path(__file__).with_name("render_pdfs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    renderer = module.Renderer(landscape=True)
    module._render_tab_lines(renderer, text)
    target = out / "plan.pdf"
    renderer.pdf.output(str(target))
    return target


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return _render(DUMP, tmp_path_factory.mktemp("tabbed"))


def _fields(text: str) -> list[list[str]]:
    """The table's rows, from its header on."""
    return [line.split("\t") for line in text[text.index("N°"):].split("\n") if line]


def test_cells_stay_in_their_columns_with_empty_ones_kept(pdf):
    rebuilt, problems = read_tab_text(pdf, bold=True)
    assert problems == ()
    rows = _fields(rebuilt.text)
    assert rows[0] == ["N°", "Axe", "Activité", "T1", "T2", "Source"]
    assert rows[1] == ["1.1", "Premier axe dont le libellé est long au point de passer à la ligne",
                       "Faire ceci", "x", "", "Etat"]
    assert rows[2] == ["1.2", "", "Faire cela, une activité elle aussi assez longue pour tenir sur plusieurs lignes",
                       "", "x", "Banque"]
    assert rows[3][:3] == ["", "", "<b>Sous total axe 1</b>"]


def test_each_page_break_of_the_dump_is_a_blank_line_and_pages_are_counted(pdf):
    rebuilt, _ = read_tab_text(pdf, bold=True)
    assert [number for _, number in rebuilt.page_starts] == [1, 2]
    second = rebuilt.page_starts[1][0]
    assert rebuilt.text[:second].endswith("\t\t\n\n")
    assert rebuilt.pages((second, second + 5)) == (2,)
    assert rebuilt.pages((0, second + 1)) == (1, 2)
    assert rebuilt.pages((0, second)) == (1,)


def test_a_column_empty_all_over_a_page_is_not_seen_there(pdf):
    """As in the dumps the tsv cutter reads (its `short_rows` option): the page's rows lose it."""
    rebuilt, _ = read_tab_text(pdf, bold=True)
    page = rebuilt.text[rebuilt.page_starts[1][0]:]
    assert page.split("\n")[:2] == ["Suite sans numéro\tencore\tx\tx\tEtat", "<b>TOTAL</b>\t\t\t\t"]


def test_bold_is_marked_only_when_the_spec_reads_it(pdf):
    rebuilt, _ = read_tab_text(pdf, bold=False)
    assert "<b>" not in rebuilt.text
    assert "\tSous total axe 1" in rebuilt.text


def test_a_spec_reads_bold_from_a_flag_column_a_kind_rule_or_an_anchor():
    plain = TableSpec("t", "X", layout="tsv", header="N°", end="FIN")
    assert not reads_bold([plain])
    assert reads_bold([TableSpec("t", "X", layout="tsv", options={"bold_column": "bold"})])
    assert reads_bold([TableSpec("t", "X", layout="tsv", options={"kinds": [{"kind": "total", "bold": True}]})])
    assert reads_bold([TableSpec("t", "X", layout="tsv", end="(?m)^\t<b>TOTAL")])
