"""The bulletin as a Word document (python-docx): A4 in the layout of an official document (GB/T 9704).

Headings are Word's own styles (Title, Heading 1, Heading 2), so an office restyles the whole document
from the style pane; the fonts are the office's (仿宋, 黑体, 楷体, 小标宋) where this machine has them,
else Noto CJK (hqd.bulletin.FONTS). Page numbers and the sample-data mark sit in the footer and header,
so they are on every page. Paragraphs and tables are written as XML into the saved file: python-docx's
paragraph by paragraph and cell by cell building takes minutes for a bulletin of thousands of indicators.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from hqd.browser import draw_figures, pick_font
from hqd.bulletin import FONTS, Bulletin, Chart, Paragraph, Section, Table
from hqd.i18n import translator

# A4 with the margins of GB/T 9704 (top 37 mm, bottom 35, left 28, right 26).
PAGE = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 15.6
# 三号 (16 pt) for the body on a fixed 28 pt line, 二号 (22 pt) for the title; tables in 五号 and 小五.
BODY_PT, TITLE_PT, TABLE_PT, ANNEX_PT, NOTE_PT = 16, 22, 10.5, 9, 12
LINE_PT = 28
INK, MARK = RGBColor(0, 0, 0), RGBColor(0xC0, 0, 0)
# The charts are drawn this many pixels wide (at twice the resolution) and set across the text width.
CHART_PIXELS = 900
# Twentieths of a point per centimetre (Word's table widths).
TWIPS_PER_CM = 567
# Marks the paragraphs that stand for XML written into the saved file: text no bulletin says.
PLACEHOLDER = uuid.uuid4().hex


def write_docx(bulletin: Bulletin, images: dict[str, bytes] | None = None) -> bytes:
    """Return the bulletin as a .docx; `images` are its charts drawn (by key), else they are drawn here."""
    if images is None:
        images = draw_chart_images(bulletin)
    document = Document()
    fonts = {role: pick_font(families) for role, families in FONTS.items()}
    _styles(document, fonts)
    section = document.sections[0]
    _page(section, landscape=False)
    _header_and_footer(section, bulletin, fonts)
    _masthead(document, bulletin)
    pieces: list[str] = []
    for part in bulletin.sections:
        if part.landscape:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            _page(section, landscape=True)
        _section(document, part, images, _text_width(section), pieces)
    out = io.BytesIO()
    document.save(out)
    return _fill_in(out.getvalue(), pieces)


def draw_chart_images(bulletin: Bulletin) -> dict[str, bytes]:
    """Return each chart of the bulletin drawn as a PNG, by key (one browser for all of them)."""
    drawn = draw_figures([c.figure.to_dict() for c in bulletin.charts], width=CHART_PIXELS)
    return {chart.key: png for chart, png in zip(bulletin.charts, drawn, strict=True)}


def _text_width(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _east_asian(style_or_run, name: str) -> None:
    """Name the font of Chinese text too: Word keeps it apart from the Latin font (w:eastAsia)."""
    element = style_or_run.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _style(document, name: str, font: str, size: float, bold: bool = False, base: str | None = None):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.font.name, style.font.size, style.font.bold = font, Pt(size), bold
    style.font.color.rgb, style.font.italic = INK, False
    _east_asian(style, font)
    return style


def _styles(document, fonts: dict[str, str]) -> None:
    """Set the styles: body 仿宋 三号 with a two-character indent, headings 黑体 and 楷体, the title 小标宋."""
    normal = _style(document, "Normal", fonts["body"], BODY_PT)
    layout = normal.paragraph_format
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    layout.first_line_indent, layout.space_before, layout.space_after = Pt(2 * BODY_PT), Pt(0), Pt(0)
    layout.widow_control = True
    title = _style(document, "Title", fonts["title"], TITLE_PT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_after = Pt(6)
    # Word's Title style draws a rule under itself; the masthead draws its own.
    borders = title.element.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is not None:
        borders.getparent().remove(borders)
    for name, role in (("Heading 1", "heading"), ("Heading 2", "subheading")):
        heading = _style(document, name, fonts[role], BODY_PT, bold=role == "subheading")
        form = heading.paragraph_format
        form.first_line_indent, form.space_before, form.space_after = Pt(2 * BODY_PT), Pt(0), Pt(0)
        form.line_spacing_rule, form.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        form.keep_with_next = True
    note = _style(document, "Bulletin Note", fonts["body"], NOTE_PT, base="Normal")
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name, size in (("Table Text", TABLE_PT), ("Annex Text", ANNEX_PT)):
        text = _style(document, name, fonts["body"], size, base="Normal")
        form = text.paragraph_format
        form.first_line_indent, form.line_spacing_rule = Pt(0), WD_LINE_SPACING.SINGLE
    figure = _style(document, "Figure", fonts["body"], BODY_PT, base="Normal")
    figure.paragraph_format.first_line_indent = Pt(0)
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    figure.paragraph_format.keep_with_next = False
    masthead = _style(document, "Masthead", fonts["subheading"], BODY_PT, base="Normal")
    masthead.paragraph_format.first_line_indent = Pt(0)
    masthead.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page(section, landscape: bool) -> None:
    width, height = PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.6)
        section.left_margin = section.right_margin = Cm(2.5)
    else:
        for side, size in MARGINS.items():
            setattr(section, f"{side}_margin", size)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.0)


def _page_number(paragraph) -> None:
    """Append Word's PAGE field: the number of the page it is printed on."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_and_footer(section, bulletin: Bulletin, fonts: dict[str, str]) -> None:
    """Put the sample-data mark in the header and the page number ("— 3 —") in the footer of every page."""
    if bulletin.mark:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.paragraph_format.first_line_indent = Pt(0)
        run = header.add_run(bulletin.mark)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(12), True, MARK
        _east_asian(run, fonts["heading"])
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    before, _, after = translator(bulletin.lang)("bulletin.page", page="\0").partition("\0")
    footer.add_run(before).font.size = Pt(14)
    _page_number(footer)
    footer.add_run(after).font.size = Pt(14)
    if bulletin.mark:
        mark = footer.add_run("\t" + bulletin.mark)
        mark.font.size, mark.font.color.rgb = Pt(10), MARK


def _masthead(document, bulletin: Bulletin) -> None:
    """Write the title, the period under it, and the issuing office and date above a red rule."""
    document.add_paragraph(bulletin.title, style="Title")
    document.add_paragraph(bulletin.period, style="Masthead")
    issued = document.add_paragraph(f"{bulletin.issuer}　　{bulletin.issued}", style="Masthead")
    issued.paragraph_format.space_after = Pt(12)
    rule = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr>'
    )
    issued._p.get_or_add_pPr().append(rule)


def _section(document, section: Section, images: dict[str, bytes], width_cm: float, pieces: list[str]) -> None:
    """Append a section: its paragraphs and tables as XML written in one piece, its charts as pictures."""
    ids = {name: document.styles[name].style_id for name in ("Normal", "Heading 1", "Heading 2", "Bulletin Note")}
    pending = [_paragraph_xml(section.heading, ids["Heading 1"])]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            pending.append(_paragraph(block, ids))
        elif isinstance(block, Chart):
            _append_xml(document, pending, pieces)
            picture = document.add_paragraph(style="Figure")
            picture.add_run().add_picture(io.BytesIO(images[block.key]), width=Cm(min(width_cm, TEXT_WIDTH_CM)))
        elif isinstance(block, Table):
            pending += [_table(block, width_cm, annex=section.landscape), _paragraph_xml("", ids["Bulletin Note"])]
    _append_xml(document, pending, pieces)


def _append_xml(document, parts: list[str], pieces: list[str]) -> None:
    """Append paragraphs and tables given as XML, and empty `parts`: here a placeholder paragraph, which
    _fill_in replaces by the XML in the saved file.

    python-docx's add_paragraph looks its style up by name and its place up by XPath each time, and lxml takes
    time growing with the square of a table's size to move it into the document: seconds, then minutes, for the
    thousands of rows and paragraphs of a large zone's bulletin. Text put in the file's XML costs nothing.
    """
    if not parts:
        return
    document.add_paragraph(_placeholder(len(pieces)))
    pieces.append("".join(parts))
    parts.clear()


def _placeholder(number: int) -> str:
    return f"hqd-xml-{number}-{PLACEHOLDER}"


def _fill_in(docx: bytes, pieces: list[str]) -> bytes:
    """Return the .docx with each placeholder paragraph replaced by its piece of XML."""
    source, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = _replace_placeholders(data.decode("utf-8"), pieces).encode("utf-8")
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _replace_placeholders(xml: str, pieces: list[str]) -> str:
    parts, end = [], 0
    for number, piece in enumerate(pieces):
        mark = xml.index(_placeholder(number), end)
        start = xml.rindex("<w:p>", end, mark) if "<w:p>" in xml[end:mark] else xml.rindex("<w:p ", end, mark)
        parts += [xml[end:start], piece]
        end = xml.index("</w:p>", mark) + len("</w:p>")
    return "".join(parts) + xml[end:]


def _paragraph_xml(text: str, style: str, lead: str = "") -> str:
    """Return a paragraph in a style (by id) as XML; `lead` first, in bold."""
    bold = f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(lead)}</w:t></w:r>' if lead else ""
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{bold}{run}</w:p>'


def _paragraph(block: Paragraph, ids: dict[str, str]) -> str:
    if block.kind == "subheading":
        return _paragraph_xml(block.text, ids["Heading 2"])
    return _paragraph_xml(block.text, ids["Bulletin Note" if block.kind == "note" else "Normal"], block.lead)


def _cell(text: str, width: int, style: str, numeric: bool, header: bool) -> str:
    align = "center" if header else ("right" if numeric else "left")
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if header else ""
    bold = "<w:rPr><w:b/></w:rPr>" if header else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def _table(table: Table, width_cm: float, annex: bool) -> str:
    """Return a table as XML: a shaded header row repeated on every page, rows kept whole, numbers to the right."""
    style = "AnnexText" if annex else "TableText"
    total = sum(table.widths)
    widths = [int(width_cm * TWIPS_PER_CM * w / total) for w in table.widths]
    line = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    borders = "".join(line.format(side=s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        *(_cell(h, w, style, False, True) for h, w in zip(table.header, widths, strict=True)),
        "</w:tr>",
    ]
    for row in table.rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts += [_cell(v, w, style, n, False) for v, w, n in zip(row, widths, table.numeric, strict=True)]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)
