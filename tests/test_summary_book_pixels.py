"""Issue 16: the consolidated workbook as printed — rendered by LibreOffice, checked by pixel.

The demo month's 汇总表 goes through ``soffice --convert-to pdf``; poppler turns the pages
into pixels (pdftoppm) and words with boxes (pdftotext -bbox). Then, as a coordinator
would look at it: the chart slices and bars have each status's colour, in proportion to the
counts; status cells carry their fill; no title is cut; every page of a table carries its
whole header row (fitted to width); the per-unit chart names every unit.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from summary_demo import STATUS_COLUMNS, build, rgb, status_colours

from toolkit.vocab import TASK_STATUSES

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

DPI = 100
PX = DPI / 72  # pixels per PDF point


class Page:
    """One rendered page: its pixels and its words with boxes (in points)."""

    def __init__(self, ppm: Path, words: list[tuple[str, float, float, float, float]]):
        data = ppm.read_bytes()
        w, h, body = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s(.*)", data, re.S).groups()
        self.w, self.h, self.pixels = int(w), int(h), body
        self.words = words

    def text(self) -> str:
        return "".join(w[0] for w in self.words)

    def find(self, text: str) -> list[tuple[str, float, float, float, float]]:
        return [w for w in self.words if w[0] == text]

    def solid_colours(self, x0: float, y0: float, x1: float, y1: float) -> Counter:
        """Colours of pixels inside filled areas (2×2 blocks of one colour) in a box in points.

        Gridlines and anti-aliased edges are one pixel wide, so they drop out."""
        out: Counter = Counter()
        x0, x1 = max(0, int(x0 * PX)), min(self.w - 1, int(x1 * PX))
        y0, y1 = max(0, int(y0 * PX)), min(self.h - 1, int(y1 * PX))
        prev = None
        for y in range(y0, y1):
            row = self.pixels[3 * (y * self.w + x0):3 * (y * self.w + x1)]
            px = list(zip(row[0::3], row[1::3], row[2::3]))
            if prev is not None:
                out.update(a for a, b, c, d in zip(px, px[1:], prev, prev[1:]) if a == b == c == d)
            prev = px
        return out

    def colours(self, x0: float, y0: float, x1: float, y1: float) -> Counter:
        """Pixel colours in a box given in points."""
        out: Counter = Counter()
        x0, x1 = max(0, int(x0 * PX)), min(self.w, int(x1 * PX))
        y0, y1 = max(0, int(y0 * PX)), min(self.h, int(y1 * PX))
        for y in range(y0, y1):
            row = self.pixels[3 * (y * self.w + x0):3 * (y * self.w + x1)]
            out.update(zip(row[0::3], row[1::3], row[2::3]))
        return out


def near(a: tuple[int, int, int], b: tuple[int, int, int], tol: int = 6) -> bool:
    return all(abs(p - q) <= tol for p, q in zip(a, b))


def count_status_pixels(colours: Counter, palette: dict[str, tuple[int, int, int]]) -> dict[str, int]:
    out = dict.fromkeys(palette, 0)
    for c, n in colours.items():
        for status, ref in palette.items():
            if near(c, ref):
                out[status] += n
    return out


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = []
    for page in out.decode("utf-8").split("<page ")[1:]:
        pages.append([(html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


@pytest.fixture(scope="module")
def printed(lo, tmp_path_factory):
    """(workbook, style, pages, sheet name -> its page indices) of the demo month."""
    folder = tmp_path_factory.mktemp("pixels")
    book, style = build(folder)
    pdf = lo(book, "pdf", folder / "pdf")
    subprocess.run(["pdftoppm", "-r", str(DPI), str(pdf), str(folder / "pdf" / "p")], check=True)
    ppms = sorted((folder / "pdf").glob("p-*.ppm"), key=lambda p: int(p.stem.split("-")[1]))
    pages = [Page(ppm, words) for ppm, words in zip(ppms, _words(pdf), strict=True)]
    wb = load_workbook(book)
    # A sheet's pages run from the page with its title to the next sheet's title page.
    starts = []
    for sheet in wb:
        # a title may break onto two lines (the project, then the sheet's name): no white space
        title = "".join(sheet["A1"].value.split())
        first = next(i for i, p in enumerate(pages) if i >= (starts[-1] if starts else 0)
                     and title in "".join(p.text().split()))
        starts.append(first)
    sheets = {s.title: list(range(a, b)) for s, a, b in zip(wb, starts, [*starts[1:], len(pages)])}
    return book, style, pages, sheets


def _chart_split(page: Page) -> float:
    """x (points) right of the 总览 tables, where the charts begin."""
    done, on_track, total = page.find("已完成"), page.find("序时推进"), page.find("合计")
    # header cells of the level table: 已完成 | 序时推进 | … | 合计, equally wide
    header_y = total[0][2]
    pitch = min(w[1] for w in on_track if abs(w[2] - header_y) < 2) - min(
        w[1] for w in done if abs(w[2] - header_y) < 2)
    return (total[0][1] + total[0][3]) / 2 + pitch / 2 + 4


def test_chart_colours_match_the_statuses_they_count(printed):
    """Pie slices and stacked bars: each status's pixels in its colour, in proportion."""
    book, style, pages, sheets = printed
    page = pages[sheets["总览"][0]]
    palette = {s: rgb(status_colours(style)[s]) for s in TASK_STATUSES}
    overview = load_workbook(book)["总览"]
    counts = {r[0]: r[1] for r in overview.iter_rows(values_only=True) if r[0] in TASK_STATUSES}
    total = sum(counts.values())
    x = _chart_split(page)
    bar_top = page.find("各一级任务进展")[0][2]
    for box in ((x, 0, 9999, bar_top - 4), (x, bar_top - 4, 9999, 9999)):
        pixels = count_status_pixels(page.solid_colours(*box), palette)
        coloured = sum(pixels.values())
        assert coloured > 5000, box
        for status, n in counts.items():
            share = pixels[status] / coloured
            # legend keys add a sliver of every colour, zero counts included
            assert abs(share - n / total) < 0.03, (box, status, share, n / total, pixels)
    # the colours really are the ones people read: 序时推进 blue, 滞后 red
    r, g, b = palette["序时推进"]
    assert b > r and b > g
    r, g, b = palette["滞后"]
    assert r > g and r > b


def _dominant_fill(page: Page, word) -> tuple[int, int, int]:
    """Most common non-white, non-ink colour around a word (its cell's fill)."""
    _, x0, y0, x1, y1 = word
    colours = page.colours(x0 - 3, y0 - 1, x1 + 3, y1 + 1)
    for colour, _n in colours.most_common():
        if sum(colour) < 450:  # glyph ink and anti-aliasing
            continue
        return colour
    return (0, 0, 0)


def test_status_cells_are_filled_in_print(printed):
    """Every status word in a status column sits on its status's fill."""
    _, style, pages, sheets = printed
    colours = {k: rgb(v) for k, v in status_colours(style).items()}
    checked = Counter()
    for name, headers in STATUS_COLUMNS.items():
        for i in sheets[name]:
            page = pages[i]
            for header in headers:
                for h in page.find(header):
                    centre = (h[1] + h[3]) / 2
                    for w in page.words:
                        if w[0] in colours and w[2] > h[4] and w[1] - 4 < centre < w[3] + 4:
                            fill = _dominant_fill(page, w)
                            assert near(fill, colours[w[0]]), (name, i + 1, w, fill, colours[w[0]])
                            checked[name] += 1
    assert set(checked) == set(STATUS_COLUMNS), checked
    # and the 总览 labels of section 一 (left of the charts)
    page = pages[sheets["总览"][0]]
    x = _chart_split(page)
    for status in TASK_STATUSES:
        word = min((w for w in page.find(status) if w[3] < x), key=lambda w: (w[1], w[2]))
        assert near(_dominant_fill(page, word), colours[status]), status


def test_titles_are_whole_and_clear_of_the_subtitle(printed):
    """The title of every sheet is printed whole, above its subtitle (历次进展's was cut)."""
    book, _, pages, sheets = printed
    wb = load_workbook(book)
    for sheet in wb:
        page = pages[sheets[sheet.title][0]]
        subtitle = next(w for w in page.words if w[0].startswith("数据截至"))
        above = [w for w in page.words if w[4] <= subtitle[2] + 0.5]
        assert "".join("".join(w[0] for w in above).split()) == "".join(sheet["A1"].value.split()), sheet.title
        title_top = min(w[2] for w in above)
        assert title_top > 10, sheet.title  # not pushed above the page's top margin


def test_every_page_of_a_table_carries_its_whole_header_row(printed):
    """Fitted to width with the header repeated: no column (校验问题's 说明) on a page of its own."""
    book, _, pages, sheets = printed
    wb = load_workbook(book)
    for name, indices in sheets.items():
        if name == "总览":
            continue
        first = pages[indices[0]]
        top = first.find(str(wb[name]["A3"].value))[0]
        # the header band ends where column A's first data cell begins
        below = min(w[2] for w in first.words if w[2] > top[4] and w[1] < top[3] and w[3] > top[1])
        cells = "|".join(str(c.value) for c in wb[name][3])
        header = sorted({w[0] for w in first.words if top[2] - 8 <= w[2] < below - 1 and w[0] in cells})
        assert len(header) >= 4, (name, header)
        for i in indices:
            words = {w[0] for w in pages[i].words}
            missing = [h for h in header if h not in words]
            assert not missing, (name, i + 1, missing)
    issues = sheets["校验问题"]
    assert all({"单位", "说明", "处理结果"} <= {w[0] for w in pages[i].words} for i in issues)


def test_unit_chart_names_every_unit(printed):
    book, _, pages, sheets = printed
    units = [r[0] for r in load_workbook(book)["报送情况"].iter_rows(min_row=4, values_only=True)]
    x = _chart_split(pages[sheets["总览"][0]])
    # a chart a printed page of 四, beside its units (QA392): each page's labels, top to bottom in
    # the table's order, so a reader can run a finger across
    labels = []
    for page in (pages[i] for i in sheets["总览"] if pages[i].find("各单位平均完成进度")):
        mine = [w[0] for w in sorted((w for w in page.words if w[1] > x and w[0] in units), key=lambda w: w[2])]
        # a whole chart: no sliver of one printed over the next page's repeated header row
        assert len(mine) >= 10, mine
        labels += mine
    assert labels == units
