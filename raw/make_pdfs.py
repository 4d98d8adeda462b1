"""Render PDF versions of the text documents in raw/, to exercise the PDF path on known content.

The tables come from the text extractor's output (the spec's tables, in the order
they stand in the text); a document whose spec names no table has its
tab-separated lines drawn as one table instead. A document whose tables the dump
holds as tab-separated lines (a landscape table, an action plan) gets landscape
tables without rules; the others (a PAR) get ruled portrait tables. Long tables break over pages with their header repeated;
the prose between tables is set as paragraphs, each caption a paragraph of its own
and each table column at least as wide as its longest word, as a word processor
sets them: the PDF then says what the text says, laid out as a PDF.

    .venv/bin/python raw/make_pdfs.py [RAW_DIR=raw | FILE.txt ...] [--out DIR=next to each text]
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

from extractors.table import ROW_LABEL, ExtractedDocument, ExtractedTable  # noqa: E402
from extractors.text_document import extract_text_document  # noqa: E402
from pipeline.specs import load_specs  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TSV_METHOD = "tsv"      # provenance of a table the text extractor read from tab-separated lines
PARAGRAPH_CHARS = 700   # one-line text dumps are cut into paragraphs at a sentence near this length
CELL_PADDING = 1.0      # mm each side of a table cell's text (fpdf2's table default)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÀ-Ý0-9])")


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
        self.pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.set_margins(15, 15, 15)
        if FONT.exists():
            self.pdf.add_font("body", "", str(FONT))
            self.pdf.set_font("body", size=9)
            self.clean = _visible
        else:
            self.pdf.set_font("helvetica", size=9)
            self.clean = lambda text: _fold(_visible(text))
        self.pdf.add_page()

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

    def column_widths(self, rows: list[list[str]]) -> tuple[float, ...]:
        """Each column at least as wide as its longest word, the rest of the line shared by how
        much text each column holds, so no word is broken across lines inside a cell."""
        width = self.pdf.epw
        columns = list(zip(*rows))
        words = [max((self.pdf.get_string_width(self.clean(word)) for cell in column for word in cell.split()),
                     default=0.0) + 2 * CELL_PADDING for column in columns]
        texts = [max((self.pdf.get_string_width(self.clean(cell)) for cell in column), default=0.0)
                 for column in columns]
        spare = max(0.0, width - sum(words))
        wanted = [max(0.0, text - word) for text, word in zip(texts, words)]
        total = sum(wanted) or 1.0
        return tuple(word + spare * want / total for word, want in zip(words, wanted))

    def table(self, caption: str, header: list[str], rows: list[list[str]], ruled: bool) -> None:
        self.pdf.ln(2)
        if caption:
            self.pdf.multi_cell(0, 5, self.clean(caption), new_x="LMARGIN", new_y="NEXT")
        with self.pdf.table(
            borders_layout="ALL" if ruled else "NONE", repeat_headings=1, text_align="LEFT",
            line_height=4.5, headings_style=FontFace(emphasis=""),
            col_widths=self.column_widths([header, *rows]), padding=CELL_PADDING,
        ) as table:
            for cells in [header, *rows]:
                table.row([self.clean(cell) for cell in cells])
        self.pdf.ln(4)


def _table_rows(table: ExtractedTable) -> tuple[list[str], list[list[str]]]:
    """Header and rows as printed: the row label first, then the spec's columns."""
    keys = [column.key for column in table.columns]
    header = ["N°", *[column.label for column in table.columns]]
    rows = [[str(record[ROW_LABEL]), *[str(record[key]) for key in keys]]
            for record in table.cells.fillna("").to_dict("records")]
    return header, rows


def _caption_end(text: str, offset: int, title: str) -> int:
    """Where the caption standing at `offset` ends: after its title's last word."""
    words = r"\s*".join(re.escape(word) for word in title.split())
    match = re.compile(words).search(text, offset) if words else None
    return match.end() if match else offset


def _captions(document: ExtractedDocument) -> dict[int, int]:
    """Offset -> end of every caption of the text (lists of tables excluded)."""
    return {offset: _caption_end(document.text, offset, title) for _, title, offset in document.captions}


def _prose(renderer: Renderer, text: str, start: int, end: int, captions: dict[int, int]) -> None:
    """The text between two tables, each caption in it set as a paragraph of its own."""
    position = start
    for offset in sorted(o for o in captions if start <= o < end):
        renderer.paragraphs(text[position:offset])
        renderer.paragraphs(text[offset:captions[offset]])
        position = captions[offset]
    renderer.paragraphs(text[position:end])


def _render_spec_tables(renderer: Renderer, document: ExtractedDocument, ruled: bool) -> None:
    """Prose and tables in text order, each table where its span stood under its whole caption."""
    placed = sorted((t for t in document.tables if t.provenance.span), key=lambda t: t.provenance.span[0])
    captions = _captions(document)
    position = 0
    for table in placed:
        start, end = table.provenance.span
        if start < position:
            continue
        _prose(renderer, document.text, position, start, captions)
        caption = document.text[start:captions[start]] if start in captions else table.provenance.caption
        header, rows = _table_rows(table)
        renderer.table(" ".join(caption.split()), header, rows, ruled)
        position = end
    _prose(renderer, document.text, position, len(document.text), captions)


def _render_tab_blocks(renderer: Renderer, text: str, ruled: bool) -> None:
    """Runs of tab-separated lines are tables, their first line the header; the rest is prose."""
    block: list[list[str]] = []
    prose: list[str] = []

    def flush_table() -> None:
        if block:
            width = max(len(cells) for cells in block)
            padded = [cells + [""] * (width - len(cells)) for cells in block]
            renderer.table("", padded[0], padded[1:], ruled)
            block.clear()

    for line in text.splitlines():
        if "\t" in line:
            if prose:
                renderer.paragraphs("\n".join(prose))
                prose.clear()
            block.append([cell.strip() for cell in line.split("\t")])
        else:
            flush_table()
            if line.strip():
                prose.append(line)
    flush_table()
    renderer.paragraphs("\n".join(prose))


def render(path: Path, out_dir: Path, specs: list) -> Path:
    """One text document as a PDF next to it (or in `out_dir`)."""
    spec = next((s for s in specs if s.serves(path.name)), None)
    document = extract_text_document(path, spec.document if spec else None)
    wide = not document.tables or any(table.provenance.method == TSV_METHOD for table in document.tables)
    renderer = Renderer(landscape=wide)
    if document.tables:
        _render_spec_tables(renderer, document, ruled=not wide)
    else:
        _render_tab_blocks(renderer, document.text, ruled=not wide)
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
        out_dir = args.out or folder
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in (t for t in texts if t.parent == folder):
            print(render(path, out_dir, specs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
