"""Render PDF versions of the text documents of raw/, to exercise the PDF path on known content.

The rendition is drawn from the document's text as laid out, never from the text extractor's
tables, so that the parity test between the two paths (tests/test_pdf_parity.py) can catch an
extraction error of either. It is generated for the tests (`tests/renditions/`, git-ignored),
never written into raw/ and never part of the user's report.

A document whose spec reads tables flattened into the prose (a PAR) gets ruled portrait tables,
each where its span stands in the text: the rows are cut where the printed row numbers follow
each other (or at the labels the spec lists), the cells by the spec's column patterns read
left to right, a group label printed before a row number put in that row, a closing line
after the last row drawn as the total row as printed. Long tables break over pages with their
header repeated; the prose between them is set as paragraphs, each caption a paragraph of its
own.

A document whose dump holds its tables as tab-separated lines (an action plan, or any
document whose spec names no table) is the dump of a landscape table: it is set as that
table again, landscape and unruled. Each run of tab-separated lines is laid out on a
column grid, cell i of a line in column i, bold where the cell carries <b> markup (other
markup dropped); a blank line between two runs is the page break the dump recorded, so
each run gets a page of its own, its font shrunk until it fits there; other blank lines
are left as an empty line.

Each table column is at least as wide as its longest word, as a word processor sets
them: the PDF then says what the text says, laid out as a PDF.

    .venv/bin/python tests/render_pdfs.py [RAW_DIR=raw | FILE.txt ...] [--out DIR=tests/renditions]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.captions import find_caption, list_captions
from extractors.figure_runs import settle_figure_runs
from extractors.flattened import column_pattern, expand, row_grammar
from extractors.frame import RawRow
from extractors.spec import DocumentSpec, TableSpec
from extractors.text_document import read_text
from extractors.tsv import clean
from pipeline.specs import load_specs

RENDITIONS = Path(__file__).resolve().parent / "renditions"

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT = FONT.with_name("DejaVuSans-Bold.ttf")
PARAGRAPH_CHARS = 700   # one-line text dumps are cut into paragraphs at a sentence near this length
CELL_PADDING = 1.0      # mm each side of a table cell's text (fpdf2's table default)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÀ-Ý0-9])")
_BOLD_MARKUP = re.compile(r"<(?:b|strong)\b", re.IGNORECASE)
PT = 25.4 / 72          # mm per point
LEADING = 1.25          # a grid table's line height, in font sizes
CELL_GAP = (0.3, 0.5)   # a grid table's cell padding (vertical, horizontal), in font sizes: rows and
                        # columns stand apart by twice that, more than lines and words inside a cell
GRID_SIZES = tuple(s / 2 for s in range(18, 7, -1))   # font sizes tried, 9 pt down to 4 pt


def _visible(text: str) -> str:
    """Symbol-font bullets dumped as private-use code points have no glyph: a dash instead."""
    return "".join("-" if unicodedata.category(ch) == "Co" else ch for ch in text)


def _fold(text: str) -> str:
    """Without a Unicode font, Latin-1 only: typographic signs become their plain forms."""
    plain = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                                          "…": "...", "œ": "oe", "Œ": "OE", "\u202f": " "}))
    return unicodedata.normalize("NFKC", plain).encode("latin-1", "replace").decode("latin-1")


class Renderer:
    """An fpdf2 document with a font that can write the text as it is."""

    def __init__(self, landscape: bool) -> None:
        self.landscape = landscape
        self.unicode = FONT.exists() and BOLD_FONT.exists()
        self.clean = _visible if self.unicode else (lambda text: _fold(_visible(text)))
        self.pdf = self.new_pdf()

    def new_pdf(self) -> FPDF:
        """A page in this renderer's format and fonts (also used to try a table's size)."""
        pdf = FPDF(orientation="L" if self.landscape else "P", unit="mm", format="A4")
        pdf.set_auto_page_break(True, margin=15)
        pdf.set_margins(15, 15, 15)
        if self.unicode:
            pdf.add_font("body", "", str(FONT))
            pdf.add_font("body", "B", str(BOLD_FONT))
            pdf.set_font("body", size=9)
        else:
            pdf.set_font("helvetica", size=9)
        pdf.add_page()
        return pdf

    def paragraphs(self, text: str) -> None:
        for block in re.split(r"\n\s*\n|\n", text):
            block = " ".join(block.split())
            while block:
                cut = len(block)
                if len(block) > PARAGRAPH_CHARS:
                    ends = [m.end() for m in _SENTENCE_END.finditer(block, PARAGRAPH_CHARS)]
                    cut = ends[0] if ends else len(block)
                self.pdf.multi_cell(0, 4.5, self.clean(block[:cut].strip()), new_x="LMARGIN", new_y="NEXT")
                self.pdf.ln(2)
                block = block[cut:].strip()

    def column_widths(self, rows: list[list[str]], padding: float = CELL_PADDING,
                      pdf: FPDF | None = None, bold: list[list[bool]] | None = None) -> tuple[float, ...]:
        """Each column at least as wide as its longest word, the rest of the line shared by how
        much text each column holds, so no word is broken across lines inside a cell."""
        pdf = pdf or self.pdf
        width = pdf.epw
        emphasis = bold or [[False] * len(cells) for cells in rows]

        def measure(text: str, strong: bool) -> float:
            pdf.set_font(style="B" if strong else "")
            measured = pdf.get_string_width(self.clean(text))
            pdf.set_font(style="")
            return measured

        columns = list(zip(*(zip(cells, flags) for cells, flags in zip(rows, emphasis))))
        words = [max((measure(word, strong) for cell, strong in column for word in cell.split()),
                     default=0.0) + 2 * padding for column in columns]
        texts = [max((measure(cell, strong) for cell, strong in column), default=0.0) for column in columns]
        spare = max(0.0, width - sum(words))
        wanted = [max(0.0, text - word) for text, word in zip(texts, words)]
        total = sum(wanted) or 1.0
        return tuple(word + spare * want / total for word, want in zip(words, wanted))

    def table(self, caption: str, header: list[str], rows: list[list[str]]) -> None:
        self.pdf.ln(2)
        if caption:
            self.pdf.multi_cell(0, 5, self.clean(caption), new_x="LMARGIN", new_y="NEXT")
        with self.pdf.table(
            borders_layout="ALL", repeat_headings=1, text_align="LEFT",
            line_height=4.5, headings_style=FontFace(emphasis=""),
            col_widths=self.column_widths([header, *rows]), padding=CELL_PADDING,
        ) as table:
            for cells in [header, *rows]:
                table.row([self.clean(cell) for cell in cells])
        self.pdf.ln(4)


    def grid_table(self, lines: list[str], own_page: bool) -> None:
        """Tab-separated lines on a column grid, unruled, at the largest size that fits a page."""
        rows = [line.split("\t") for line in lines]
        width = max(len(cells) for cells in rows)
        rows = [cells + [""] * (width - len(cells)) for cells in rows]
        # Nothing fits: the smallest size, over as many pages as it takes (the reading then sees
        # page breaks the dump did not have).
        size, height = next(((size, height) for size in GRID_SIZES
                             if (height := self._grid_height(rows, size)) is not None),
                            (GRID_SIZES[-1], 0.0))
        if own_page or self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.pdf.add_page()
        self._draw_grid(self.pdf, rows, size)
        self.pdf.set_font(size=9)

    def _grid_height(self, rows: list[list[str]], size: float) -> float | None:
        """The table's height at this size on a page of its own, None when it needs more
        than the page (or a word would not fit its column)."""
        trial = self.new_pdf()
        if not self._draw_grid(trial, rows, size) or trial.page > 1:
            return None
        return trial.get_y() - trial.t_margin

    def _draw_grid(self, pdf: FPDF, rows: list[list[str]], size: float) -> bool:
        """Draw the rows at `size`; False when the longest words overflow the line (fpdf2 then
        breaks words inside a cell)."""
        pdf.set_font(size=size)
        vertical, horizontal = (gap * size * PT for gap in CELL_GAP)
        texts = [[self.clean(clean(cell)) for cell in cells] for cells in rows]
        bold = [[bool(_BOLD_MARKUP.search(cell)) for cell in cells] for cells in rows]
        widths = self.column_widths(texts, horizontal, pdf, bold)
        with pdf.table(
            borders_layout="NONE", first_row_as_headings=False, text_align="LEFT", v_align="TOP",
            line_height=LEADING * size * PT, col_widths=widths, padding=(vertical, horizontal),
        ) as table:
            for shown, strong in zip(texts, bold):
                row = table.row()
                for text, flag in zip(shown, strong):
                    row.cell(text, style=FontFace(emphasis="BOLD") if flag else None)
        return sum(widths) <= pdf.epw + 0.01

    def line(self, text: str) -> None:
        """One line of the dump outside its tables, as a paragraph of its own."""
        self.pdf.multi_cell(0, LEADING * 9 * PT, self.clean(text.strip()), new_x="LMARGIN", new_y="NEXT")


_NEXT_CAPTION = re.compile(r"Tableau\s*\d+\s*:")
# Page numbers printed inside the text: roman, or arabic after a word (after a figure they
# could be one of its thousands groups).
_PAGE_MARKS = r"(?:(?:\s+[ivxl]{1,6})+|(?<=[^\d\s])(?:\s+\d{1,3})+)?"


def _span(text: str, spec: TableSpec) -> tuple[int, int, int] | None:
    """(caption start, body start, end) of a spec's table in the text, by its anchors."""
    caption = find_caption(text, expand(spec.caption), spec.occurrence)
    if caption is None:
        return None
    body = caption.end
    if spec.header and (header := re.compile(expand(spec.header)).search(text, body)):
        body = header.end()
    stop = (re.compile(expand(spec.end)) if spec.end else _NEXT_CAPTION).search(text, body)
    return caption.start, body, stop.start() if stop else len(text)


def _numbered_pieces(body: str, spec: TableSpec) -> list[str]:
    """The body cut where the printed numbers follow each other (1, 2, 3… or increasing), each
    followed by a capitalised word; the text before the first is the header, left out."""
    starts, previous, position = [], 0, 0
    number = re.compile(r"(?<!\S)(\d{1,3})\s+(?=[A-ZÀ-Ý])")
    while match := next((m for m in number.finditer(body, position)
                         if (int(m.group(1)) == previous + 1 if spec.numbering == "sequential"
                             else int(m.group(1)) > previous)), None):
        starts.append(match.start())
        previous, position = int(match.group(1)), match.end()
    return [body[a:b].strip() for a, b in zip(starts, [*starts[1:], len(body)])]


def _numbered_rows(body: str, spec: TableSpec) -> list[RawRow]:
    lead = next((c for c in spec.columns if c.leading), None)
    lead_tail = rf"(?:\s+(?P<lead__>{column_pattern(lead)}))?" if lead else ""
    total = (re.sub(r"\(\?P<(\w+)>", r"(?P<total__\1>", expand(spec.total.label))
             if spec.total is not None else "")
    pieces = _numbered_pieces(body, spec)
    rows: list[RawRow] = []
    group = _trailing(body[: body.find(pieces[0])] if pieces else "", lead)
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        closings = ([rf"\s+{total}{_PAGE_MARKS}"] if last and total else []) + [
            _PAGE_MARKS if last else r"(?:\s+[ivxl]{1,6})?"]
        match = next(filter(None, (re.fullmatch(rf"(?P<number>\d+){row_grammar(spec.columns)}{closing}{lead_tail}", piece)
                                   for closing in closings)), None)
        if match is None:
            rows.append(RawRow(piece.split()[0], "item", {spec.columns[-1].key: piece}))
            continue
        groups = match.groupdict()
        cells = {c.key: groups.get(c.key) or "" for c in spec.columns if not c.leading}
        if lead:
            cells[lead.key] = group
        rows.append(RawRow(groups["number"], "item", cells))
        group = groups.get("lead__") or ""
        totals: dict[str, str] = {}
        for name, value in groups.items():
            if name.startswith("total__") and value:
                key = name.removeprefix("total__").split("__")[0]
                totals[key] = f"{totals.get(key, '')} {value}".strip()
        if totals:
            rows.append(RawRow("TOTAL", "total", totals))
    patterns = {c.key: column_pattern(c) for c in spec.columns}
    return settle_figure_runs(rows, spec.columns, patterns)


def _trailing(prefix: str, lead: object) -> str:
    if lead is None:
        return ""
    match = re.search(rf"(?P<lead>{column_pattern(lead)})\s*$", prefix.strip())
    return match.group("lead") if match else ""


def _labelled_rows(body: str, spec: TableSpec) -> list[RawRow]:
    """Each row the spec lists, found by its label in order, its cells the figures after it."""
    cells = re.compile(rf"^.*?{row_grammar(spec.columns, whole_numbers=True)}(?:\s+.*)?$")
    found, position = [], 0
    for row in spec.rows:
        label = re.compile(expand(row.label)).search(body, position)
        if label:
            found.append((row, label))
            position = label.end()
    rows = []
    for index, (row, label) in enumerate(found):
        stop = found[index + 1][1].start() if index + 1 < len(found) else len(body)
        match = cells.match(" " + body[label.end():stop].strip())
        values = {k: v for k, v in label.groupdict().items() if v}
        if match:
            values |= {k: v for k, v in match.groupdict().items() if v}
        rows.append(RawRow(row.key, row.kind, values, label.group(0)))
    return rows


def _laid_out(text: str, spec: TableSpec) -> tuple[int, int, list[str], list[list[str]]] | None:
    """(start, end, header, rows) of a spec's table as the text lays it out."""
    span = _span(text, spec)
    if span is None:
        return None
    start, body_start, end = span
    body = " ".join(text[body_start:end].split())
    rows = _labelled_rows(body, spec) if spec.layout == "labelled" else _numbered_rows(body, spec)
    keys = [c.key for c in spec.columns]
    header = ["N°", *[c.label for c in spec.columns]]
    return start, end, header, [[row.printed or row.label, *[row.cells.get(k, "") for k in keys]] for row in rows]


def _caption_end(text: str, offset: int, title: str) -> int:
    """Where the caption standing at `offset` ends: after its title's last word."""
    words = r"\s*".join(re.escape(word) for word in title.split())
    match = re.compile(words).search(text, offset) if words else None
    return match.end() if match else offset


def _prose(renderer: Renderer, text: str, start: int, end: int, captions: dict[int, int]) -> None:
    """The text between two tables, each caption in it set as a paragraph of its own."""
    position = start
    for offset in sorted(o for o in captions if start <= o < end):
        renderer.paragraphs(text[position:offset])
        renderer.paragraphs(text[offset:captions[offset]])
        position = captions[offset]
    renderer.paragraphs(text[position:end])


def _render_spec_tables(renderer: Renderer, text: str, spec: DocumentSpec) -> None:
    """Prose and tables in text order, each table where its span stood under its whole caption."""
    placed = sorted(filter(None, (_laid_out(text, table) for table in spec.tables)), key=lambda t: t[0])
    captions = {offset: _caption_end(text, offset, title) for _, title, offset in list_captions(text)}
    position = 0
    for start, end, header, rows in placed:
        if start < position:
            continue
        _prose(renderer, text, position, start, captions)
        caption = text[start:captions.get(start, start)]
        renderer.table(" ".join(caption.split()), header, rows)
        position = end
    _prose(renderer, text, position, len(text), captions)


def _render_tab_lines(renderer: Renderer, text: str) -> None:
    """The dump as it stands: runs of tab-separated lines as grid tables, other lines as paragraphs.

    A blank line (or one of tabs only, which the tsv cutter reads as blank) between two runs
    is a page break of the original; any other blank line is an empty line."""
    last = ""            # "grid" or "line": what was set last
    blank = False
    run: list[str] = []

    def flush() -> None:
        nonlocal last
        if run:
            renderer.grid_table(run, own_page=last == "grid")
            run.clear()
            last = "grid"

    for line in text.splitlines():
        if not line.strip():
            flush()
            blank = bool(last)
            continue
        if blank and not ("\t" in line and last == "grid"):
            renderer.pdf.ln(2 * LEADING * 9 * PT)
        blank = False
        if "\t" in line:
            run.append(line)
            continue
        flush()
        renderer.line(line)
        last = "line"
    flush()


def render(path: Path, out_dir: Path, specs: list) -> Path:
    """One text document as a PDF in `out_dir`, drawn from its text alone."""
    spec = next((s for s in specs if s.serves(path.name)), None)
    text, _ = read_text(path)
    tables = spec.document.tables if spec else ()
    wide = not tables or any(table.layout == "tsv" for table in tables)
    renderer = Renderer(landscape=wide)
    if wide:
        _render_tab_lines(renderer, text)
    else:
        _render_spec_tables(renderer, text, spec.document)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.pdf"
    renderer.pdf.output(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, default=[Path("raw")],
                        help="a directory (every .txt in it) or text files; specs are read beside them")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    texts = [t for source in args.sources
             for t in (sorted(source.glob("*.txt")) if source.is_dir() else [source])]
    for folder in dict.fromkeys(text.parent for text in texts):
        specs, errors = load_specs(folder)
        for error in errors:
            print(error, file=sys.stderr)
        out_dir = args.out or RENDITIONS
        for path in (t for t in texts if t.parent == folder):
            print(render(path, out_dir, specs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
