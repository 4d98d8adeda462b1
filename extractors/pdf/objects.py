"""One parse of a PDF page, by playa, for everything that looks at it.

camelot 2.x reads pages through playa (a compiled pdfminer descendant); pdfplumber parses
them again through pdfminer, in Python, then copies every attribute of every object into a
dict: 11 s of CPU for the 127 ICDAR pages, where playa's parse and the dicts built here take
3.6 s. So each page is parsed once by playa: its objects in content-stream order become the
dicts pdfplumber's word, line and edge functions read (`page_objects`, the keys those
functions use), and the same parse, analysed into text lines, is what camelot's parsers read
(`analysed`). Positions agree with pdfminer's to 0.001 pt on most fonts (playa computes a few
glyph advances and the standard fonts' descent differently, by up to 0.6 pt); glyphs without
a Unicode mapping are empty where pdfminer wrote `(cid:N)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playa.miner import (
    LAParams,
    LTChar,
    LTComponent,
    LTContainer,
    LTCurve,
    LTImage,
    LTLine,
    LTPage,
    LTRect,
)

# camelot's `get_page_layout` defaults, which its parsers are tuned for.
CAMELOT_LAPARAMS = {"line_overlap": 0.5, "char_margin": 1.0, "line_margin": 0.5, "word_margin": 0.1,
                    "boxes_flow": 0.5, "detect_vertical": True, "all_texts": True}


def _printed(text: str) -> str:
    """A glyph's text as pdfminer decodes WinAnsi: playa leaves some single-byte codes as the
    C1 control characters (U+0080–U+009F: a bullet as U+0095), which are never printed text,
    and gives WinAnsi's second hyphen (0xAD) as a soft hyphen."""
    if len(text) == 1 and "\x80" <= text <= "\x9f":
        try:
            return text.encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return text
    return "-" if text == "\xad" else text


def leaves(objects: list[LTComponent]) -> Iterator[LTComponent]:
    """Every object of a flat layout, the contents of forms (figures) in their place."""
    for obj in objects:
        if isinstance(obj, LTContainer):
            yield from leaves(obj._objs)
        else:
            yield obj


def page_objects(flat: list[LTComponent], *, height: float, mediabox: tuple[float, ...], initial_doctop: float,
                 page_number: int) -> dict[str, list[dict[str, Any]]]:
    """pdfplumber's `Page.objects` from the objects of playa's layout before analysis (`leaves`): the same kinds, coordinates
    (top-down, shifted by the media box as pdfplumber does) and the keys its text and edge
    functions read."""
    mb_x0, mb_top = mediabox[0], mediabox[1]

    def point(pt: tuple[float, float]) -> tuple[float, float]:
        return (mb_x0 + pt[0], mb_top + height - pt[1])

    chars: list[dict[str, Any]] = []
    objects: dict[str, list[dict[str, Any]]] = {"char": chars}
    for obj in flat:
        x0, y0, x1, y1 = obj.bbox
        top = height - y1 + mb_top
        found: dict[str, Any] = {
            "page_number": page_number, "x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1,
            "width": x1 - x0, "height": y1 - y0, "top": top, "bottom": height - y0 + mb_top,
            "doctop": initial_doctop + top,
        }
        if type(obj) is LTChar:
            text = obj.get_text()
            found["object_type"] = "char"
            found["text"] = _printed(text) if "\x80" <= text <= "\xad" else text
            found["fontname"] = obj.fontname
            found["size"] = obj.size
            found["upright"] = obj.upright
            chars.append(found)
            continue
        if isinstance(obj, LTRect):
            found["object_type"] = "rect"
        elif isinstance(obj, LTCurve):    # lines too: pdfplumber gives both their points
            found.update(object_type="line" if isinstance(obj, LTLine) else "curve", pts=[point(p) for p in obj.pts])
        elif isinstance(obj, LTImage):
            found["object_type"] = "image"
        else:
            continue
        objects.setdefault(found["object_type"], []).append(found)
    return objects


class PageParse:
    """playa's parse of one page: its objects in content-stream order (what pdfplumber reads),
    and, once camelot asks, the same layout analysed into text lines (in place: the objects are
    only regrouped, so the flat list stays valid)."""

    def __init__(self, layout: LTPage) -> None:
        self.flat = list(leaves(layout._objs))
        self._layout = layout
        self._analysed = False

    def analysed(self) -> LTPage:
        if not self._analysed:
            self._layout.analyze(LAParams(**CAMELOT_LAPARAMS))
            self._analysed = True
        return self._layout
