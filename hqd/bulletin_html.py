"""The bulletin as one self-contained HTML file, and as the PDF Chromium prints from it.

Everything is inside the file: Plotly's JavaScript inlined once, the styles, the text; it asks nothing
of a network, so it opens from a USB stick or an intranet mail, its charts interactive. Printed (by a
reader's browser, or by hqd.browser.print_pdf for the PDF) it is the same A4 document as the Word one:
CSS @page boxes carry the page number and the sample-data mark on every page, the annex turns to
landscape, a table's header repeats on each page and a chart is never cut in two.
"""

from __future__ import annotations

import html
import json

import plotly.io as pio
from plotly.offline import get_plotlyjs

from hqd.browser import print_pdf
from hqd.bulletin import FONTS, Bulletin, Chart, Paragraph, Section, Table
from hqd.i18n import translator

# The width of A4's text between the margins (160 mm at 96 px an inch, less a little): each chart's width, so
# that it is drawn at the size it is printed.
CHART_WIDTH = 590
PLOTLY_CONFIG = {"displaylogo": False, "responsive": False}


def _families(role: str) -> str:
    return ", ".join(f'"{name}"' for name in FONTS[role]) + (", sans-serif" if role == "heading" else ", serif")


def _css_text(text: str) -> str:
    """Return text as a CSS string's content (in double quotes)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _style(bulletin: Bulletin) -> str:
    page_text = translator(bulletin.lang)("bulletin.page", page="\0")
    before, _, after = page_text.partition("\0")
    mark = (
        f'@top-center {{ content: "{_css_text(bulletin.mark)}"; color: #c00000; font-weight: bold; '
        f"font-family: {_families('heading')}; font-size: 12pt; }}"
        if bulletin.mark
        else ""
    )
    number = f'@bottom-center {{ content: "{_css_text(before)}" counter(page) "{_css_text(after)}"; font-size: 14pt; }}'
    return f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; {mark} {number} }}
@page annex {{ size: A4 landscape; margin: 26mm 25mm; {mark} {number} }}
html {{ background: #eef0f3; }}
body {{ margin: 0; color: #000; font-family: {_families("body")}; font-size: 16pt; line-height: 28pt; }}
.paper {{ background: #fff; width: 156mm; margin: 16px auto; padding: 24mm 26mm 24mm 28mm;
  box-shadow: 0 1px 4px rgba(0,0,0,.2); }}
.banner {{ position: sticky; top: 0; z-index: 10; background: #fff4f4; color: #c00000; font-weight: bold;
  text-align: center; font-family: {_families("heading")}; font-size: 12pt; line-height: 2;
  border-bottom: 1px solid #c00000; }}
h1 {{ font-family: {_families("title")}; font-size: 22pt; line-height: 1.4; font-weight: bold; text-align: center;
  margin: 0 0 6pt; }}
.masthead {{ font-family: {_families("subheading")}; text-align: center; margin: 0; }}
.issued {{ display: flex; justify-content: space-between; border-bottom: 2px solid #c00000; padding-bottom: 6pt;
  margin: 6pt 0 16pt; font-size: 14pt; text-indent: 0; }}
h2 {{ font-family: {_families("heading")}; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }}
h3 {{ font-family: {_families("subheading")}; font-size: 16pt; font-weight: bold; margin: 0; text-indent: 2em;
  break-after: avoid; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.note {{ font-size: 12pt; line-height: 1.6; }}
b {{ font-weight: bold; }}
figure {{ margin: 8pt 0; break-inside: avoid; text-align: center; }}
.chart {{ display: inline-block; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; margin: 6pt 0 12pt; font-size: 10.5pt;
  line-height: 1.35; }}
th, td {{ border: 1px solid #808080; padding: 2pt 3pt; vertical-align: middle; word-break: break-all; }}
th {{ background: #e7e6e6; font-weight: bold; text-align: center; }}
td.num {{ text-align: right; white-space: nowrap; }}
tr {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
section.annex table {{ font-size: 9pt; }}
@media screen {{ section.annex {{ width: auto; }} }}
@media print {{
  html {{ background: none; }}
  .paper {{ width: auto; margin: 0; padding: 0; box-shadow: none; }}
  .banner, .modebar-container {{ display: none; }}
  section.annex {{ page: annex; break-before: page; }}
}}
"""


def _paragraph(block: Paragraph) -> str:
    if block.kind == "subheading":
        return f"<h3>{html.escape(block.text)}</h3>"
    lead = f"<b>{html.escape(block.lead)}</b>" if block.lead else ""
    kind = ' class="note"' if block.kind == "note" else ""
    return f"<p{kind}>{lead}{html.escape(block.text)}</p>"


def _table(block: Table) -> str:
    total = sum(block.widths)
    columns = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths)
    header = "".join(f"<th>{html.escape(h)}</th>" for h in block.header)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{html.escape(v)}</td>' if n else f"<td>{html.escape(v)}</td>"
            for v, n in zip(row, block.numeric, strict=True)
        )
        + "</tr>"
        for row in block.rows
    )
    return (
        f'<table data-key="{html.escape(block.key)}"><colgroup>{columns}</colgroup>'
        f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _chart(block: Chart) -> str:
    figure = block.figure.to_dict()
    figure["layout"]["width"] = CHART_WIDTH
    drawn = pio.to_html(
        figure,
        include_plotlyjs=False,
        full_html=False,
        div_id=f"chart-{block.key}",
        config=PLOTLY_CONFIG,
        validate=False,
    )
    return f'<figure class="chart" data-key="{html.escape(block.key)}">{drawn}</figure>'


def _section(section: Section) -> str:
    parts = [f"<h2>{html.escape(section.heading)}</h2>"]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append(_chart(block))
    kind = ' class="annex"' if section.landscape else ""
    return f"<section{kind}>{''.join(parts)}</section>"


# Added to the page Chromium prints, never seen on a screen: Chromium lays the whole document out at its window's
# size on loading and again between its print layouts; with the tables (tens of thousands of cells for a large
# zone) left out there, only the print layouts place them: a quarter less of Chromium's CPU time at 100× the sample.
PRINT_ONLY = "@media screen { table { display: none; } }"


def write_html(bulletin: Bulletin, printing: bool = False) -> str:
    """Return the bulletin as one HTML document that needs nothing else: no file beside it, no network.

    `printing`: the page hqd.browser.print_pdf prints, its tables laid out for print only (PRINT_ONLY).
    """
    lang = "zh-CN" if bulletin.lang == "zh" else "en"
    banner = f'<div class="banner" role="note">{html.escape(bulletin.mark)}</div>' if bulletin.mark else ""
    body = "".join(_section(s) for s in bulletin.sections)
    meta = json.dumps({"charts": [c.key for c in bulletin.charts]}, ensure_ascii=False)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(bulletin.title + bulletin.period)}</title>"
        f"<style>{_style(bulletin)}{PRINT_ONLY if printing else ''}</style>"
        f"<script>{get_plotlyjs()}</script>"
        f'<script type="application/json" id="bulletin-meta">{meta}</script>'
        f'</head><body>{banner}<main class="paper">'
        f"<h1>{html.escape(bulletin.title)}</h1>"
        f'<p class="masthead">{html.escape(bulletin.period)}</p>'
        f'<p class="masthead issued"><span>{html.escape(bulletin.issuer)}</span>'
        f"<span>{html.escape(bulletin.issued)}</span></p>"
        f"{body}</main></body></html>"
    )


def write_pdf(bulletin: Bulletin) -> bytes:
    """Return the bulletin as a PDF: the HTML document printed by Chromium, its charts as vectors."""
    return print_pdf(write_html(bulletin, printing=True))
