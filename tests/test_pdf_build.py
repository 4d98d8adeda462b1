"""Small PDFs built with fpdf2 for the PDF-path tests (imported by the test_pdf_* modules)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from PIL import Image

HEADER = ("N°", "Nom", "Surface", "Montant")
ROWS = [
    ("1", "Awa Diarra", "1 200 m2", "150 000"),
    ("2", "Bina Coulibaly", "2 450 m2", "310 000"),
    ("3", "Cheick Traoré", "800 m2", "95 000"),
    ("4", "Djeneba Sidibé", "1 000 m2", "120 000"),
    ("5", "Enfant Kouyaté", "600 m2", "80 000"),
]
TOTAL = ("TOTAL", "", "6 050 m2", "755 000")


def _pdf(orientation: str = "P") -> FPDF:
    pdf = FPDF(orientation=orientation, unit="pt", format="A4")
    pdf.set_auto_page_break(True, margin=40)
    pdf.set_font("helvetica", size=10)
    return pdf


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 14, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def ruled_table(path: Path, rows: list[tuple[str, ...]] = ROWS, caption: str = "Tableau 5 : Biens affectés") -> Path:
    """Prose, a caption, a fully ruled table with a TOTAL row, prose again."""
    pdf = _pdf()
    pdf.add_page()
    _paragraph(pdf, "Le recensement a couvert quatre villages ; la surface totale est de 6 050 m2.")
    pdf.cell(0, 16, caption, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(40, 160, 100, 100), text_align="LEFT", line_height=16) as table:
        for row in [HEADER, *rows, TOTAL]:
            table.row(row)
    pdf.ln(10)
    _paragraph(pdf, "Conclusion du chapitre sans chiffre.")
    pdf.output(str(path))
    return path


def unruled_table(path: Path) -> Path:
    """A borderless table, columns separated only by white space."""
    pdf = _pdf()
    pdf.add_page()
    _paragraph(pdf, "Introduction au tableau ci-dessous.")
    widths = (60, 170, 110, 110)
    for row in [HEADER, *ROWS, TOTAL]:
        for width, text in zip(widths, row):
            pdf.cell(width, 18, text, border=0)
        pdf.ln(18)
    pdf.output(str(path))
    return path


def long_table(path: Path, count: int = 70) -> Path:
    """A ruled table too long for one page: fpdf2 repeats its header on the next page."""
    pdf = _pdf()
    pdf.add_page()
    pdf.cell(0, 16, "Tableau 2 : Liste longue", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(40, 160, 100, 100), text_align="LEFT", line_height=16, repeat_headings=1) as table:
        table.row(HEADER)
        for n in range(1, count + 1):
            table.row((str(n), f"Personne {n}", f"{n * 10} m2", f"{n * 1000}"))
    pdf.output(str(path))
    return path


def image_only(path: Path, workdir: Path) -> Path:
    """A page that is only a picture, as a scanner makes it."""
    picture = workdir / "scan.png"
    Image.new("RGB", (400, 300), "white").save(picture)
    pdf = _pdf()
    pdf.add_page()
    pdf.image(str(picture), x=50, y=50, w=400)
    pdf.output(str(path))
    return path


def encrypted(path: Path, user_password: str | None = "secret") -> Path:
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.add_page()
    pdf.cell(0, 16, "Confidentiel")
    pdf.output(str(path))
    return path
