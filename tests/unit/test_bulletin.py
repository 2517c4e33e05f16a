"""The monthly bulletin (通报): the document as data, the Word read back with python-docx, the PDF's pages as
images, the command line and the policy. The numbers are those `progress --json` gives for the same month."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from support import ARTIFACTS, unavailable

from hqd import store
from hqd.browser import missing_tool
from hqd.bulletin import Bulletin, Chart, Paragraph, Section, Table, build_bulletin
from hqd.bulletin_docx import draw_chart_images, write_docx
from hqd.bulletin_html import write_html
from hqd.cli import main
from hqd.inyear import report_in_year
from hqd.keytasks import empty_progress, key_task_status
from hqd.labels import numeral
from hqd.policy import PermissionDenied
from hqd.store.supervision import EXPLANATION_COLUMNS
from hqd.views.bulletin import export_bulletin, make_bulletin

HEADINGS = ["一、总体情况", "二、分工程推进情况", "三、需关注的问题", "四、重点任务进展", "五、下步工作建议"]
# Half-width punctuation, once the separators and decimal points inside numbers are taken out.
HALF_WIDTH = re.compile(r"[,;:!?()\[\]\"']")
IN_NUMBERS = re.compile(r"(?<=\d)[,.](?=\d)")


def run(*args: str) -> str:
    """Return what the command line printed; fail on any other exit than 0."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    assert code == 0, out.getvalue() + err.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def sample(sample_database, tmp_path_factory) -> Path:
    """Return a folder whose sample.db is a copy of the `init --sample` database, named by HQD_DATABASE_URL."""
    folder = tmp_path_factory.mktemp("bulletin")
    shutil.copy(sample_database, folder / "sample.db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HQD_DATABASE_URL", f"sqlite:///{folder / 'sample.db'}")
        yield folder


@pytest.fixture(scope="module")
def progress(sample) -> dict:
    return json.loads(run("progress", "--period", "P15", "--month", "2026-10", "--json"))


@pytest.fixture(scope="module")
def data(sample):
    engine = store.connect()
    catalog, observations = store.load_catalog(engine), store.read_observations(engine)
    engine.dispose()
    return catalog, observations


def requires_browser(images: bool) -> None:
    if missing_tool(images=images) is not None:
        unavailable("Chromium and kaleido for the bulletin", "HQD_REQUIRE_BROWSER")


@pytest.fixture(scope="module")
def browser_starts() -> list[int]:
    """Return a list that gets an item each time the charts' browser (kaleido) starts, from a closed one on."""
    requires_browser(images=True)
    import kaleido

    from hqd.browser import DRAWER

    started = []

    class Counted(kaleido.Kaleido):
        def __init__(self, *args, **kwargs):
            started.append(1)
            super().__init__(*args, **kwargs)

    DRAWER.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kaleido, "Kaleido", Counted)
        yield started
    DRAWER.close()


@pytest.fixture(scope="module")
def word(sample, browser_starts):
    """Return the Word bulletin of 2026年1—10月 written by `python -m hqd report`, read back with python-docx."""
    from docx import Document

    out = sample / "bulletin.docx"
    assert "已写入" in run("report", "--period", "P15", "--month", "2026-10", "--format", "docx", str(out))
    return Document(str(out))


def texts(document) -> list[str]:
    """Return every paragraph's and table cell's text of a Word document."""
    found = [p.text for p in document.paragraphs]
    found += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    found += [p.text for s in document.sections for part in (s.header, s.footer) for p in part.paragraphs]
    return found


def test_the_word_bulletin_has_its_title_and_sections_in_the_official_order(word):
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert styled[0] == ("Title", "长沙高新区“六大工程”推进情况通报")
    assert [text for style, text in styled if style == "Heading 1"] == [
        *HEADINGS,
        "附件：2026年1—10月各指标序时进度完成情况",
    ]
    assert "（2026年1—10月）" in [p.text for p in word.paragraphs[:3]]
    # The annex is set across the page; the mark and the page number are in every page's header and footer.
    assert [s.orientation for s in word.sections] == [0, 1]
    assert all(s.header.paragraphs[0].text == "示例数据　仅供演示" for s in word.sections)
    assert 'w:instr="PAGE"' in word.sections[0].footer._element.xml


def test_the_overall_paragraph_says_the_numbers_progress_json_gives(word, progress):
    overall = next(p.text for p in word.paragraphs if p.text.startswith("截至2026年10月"))
    top = progress["overall"]
    assert (
        f"总体完成{top['score']:.1f}%，序时进度{top['expected']:.1f}%，低于序时进度{-top['gap_points']:.1f}个百分点"
        in (overall)
    )
    statuses = pd.Series([r["status"] for r in progress["indicators"]]).value_counts()
    assert f"纳入序时进度监测的{len(progress['indicators'])}项月度、季度指标中" in overall
    for status, words in (("on_track", "达到序时进度"), ("at_risk", "略低于序时进度"), ("lagging", "明显滞后")):
        assert f"{words}{statuses[status]}项" in overall
    # The programme furthest ahead of the schedule and the one furthest behind, by their gap.
    names = {"INN": "创新引领工程", "IND": "产业升级工程", "OPN": "开放发展工程"}
    names |= {"TAL": "人才集聚工程", "REF": "改革提升工程", "CIT": "产城融合工程"}
    ranked = sorted(progress["programmes"], key=lambda r: r["gap_points"])
    best, worst = ranked[-1], ranked[0]
    assert (
        f"{names[best['code']]}完成{best['score']:.1f}%，低于序时进度{-best['gap_points']:.1f}个百分点，进度最好"
        in (overall)
    )
    assert f"{names[worst['code']]}完成{worst['score']:.1f}%" in overall and "差距最大" in overall
    # 同比 of every headline indicator: the monthly year-to-date totals.
    headlines = [
        r
        for r in progress["indicators"]
        if r["frequency"] == "month" and r["value_kind"] == "cumulative" and r["yoy"] is not None
    ]
    assert len(headlines) >= 5
    for row in headlines:
        change = "增长" if row["yoy"] >= 0 else "下降"
        assert f"{row['name']}累计" in overall and f"同比{change}{abs(row['yoy']) * 100:.1f}%" in overall


def test_the_word_tables_are_complete(word, progress):
    annex = word.tables[-1]
    assert len(annex.rows) == 1 + len(progress["indicators"])
    assert [row.cells[1].text for row in annex.rows[1:]] == [r["name"] for r in progress["indicators"]]
    assert [row.cells[0].text for row in annex.rows[1:]] == [str(i) for i in range(1, len(progress["indicators"]) + 1)]
    # Each programme's short table lists its indicators, in the order of section 二.
    codes = pd.Series([r["code"][:3] for r in progress["indicators"]])
    by_programme = codes.value_counts().reindex(pd.unique(codes))
    programme_tables = word.tables[: len(by_programme)]
    assert [len(t.rows) - 1 for t in programme_tables] == by_programme.tolist()
    assert len(word.inline_shapes) == 1 + len(by_programme)


def test_the_word_has_no_half_width_punctuation_in_chinese_text(word):
    for text in texts(word):
        assert not HALF_WIDTH.search(IN_NUMBERS.sub("", text)), text


def test_the_document_is_data_and_its_sections_are_numbered_without_gaps(data):
    catalog, observations = data
    report = report_in_year(catalog, observations, "P15", 2026, 10)
    none = catalog.key_tasks.iloc[0:0].assign(status="", days_late=0)
    bulletin = build_bulletin(
        report,
        catalog,
        "P15",
        2026,
        10,
        key_tasks=none,
        milestones=catalog.milestones.iloc[0:0].assign(status="", due_date=None),
        as_of=date(2026, 10, 31),
        issued=date(2026, 11, 5),
        sample=False,
    )
    # Without key tasks there is no section 四: the suggestions take its number.
    assert [s.heading for s in bulletin.sections[:-1]] == [
        "一、总体情况",
        "二、分工程推进情况",
        "三、需关注的问题",
        "四、下步工作建议",
    ]
    assert bulletin.mark == "" and bulletin.issued == "2026年11月5日"
    assert [c.key for c in bulletin.charts] == ["overall"] + [f"programme-{c}" for c in catalog.programmes["code"]]
    assert all(isinstance(b, Paragraph | Table | Chart) for s in bulletin.sections for b in s.blocks)


def test_explanations_are_shown_under_their_indicator_when_given(data):
    catalog, observations = data
    explanations = pd.DataFrame(
        [
            ("REF06", 2026, 10, "受市场环境影响，基金募资进度放缓。", "加快二期基金组建。", "2026年12月"),
            # Recorded for a later month: not yet said in October's bulletin.
            ("OPN04", 2026, 11, "项目签约推迟。", "加密对接。", ""),
        ],
        columns=EXPLANATION_COLUMNS,
    )
    from hqd.keytasks import empty_progress
    from hqd.store import Supervision

    given = Supervision(explanations, pd.DataFrame(), empty_progress(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    bulletin = make_bulletin(
        catalog, observations, "P15", 2026, 10, sample=True, issued=date(2026, 11, 5), supervision=given
    )
    attention = next(s for s in bulletin.sections if s.heading == "三、需关注的问题").blocks
    item = next(i for i, b in enumerate(attention) if "产业投资基金规模" in b.lead)
    assert attention[item + 1].text == "原因分析：受市场环境影响，基金募资进度放缓。"
    assert attention[item + 2].text == "整改措施：加快二期基金组建。（预计2026年12月前到位）"
    assert not any("项目签约推迟" in b.text for b in attention)
    # Without explanations the items follow one another.
    plain = make_bulletin(catalog, observations, "P15", 2026, 10, sample=True, issued=date(2026, 11, 5))
    assert not any(b.text.startswith("原因分析") for s in plain.sections for b in s.blocks if isinstance(b, Paragraph))


def test_a_month_without_data_makes_a_short_bulletin_that_says_so(data, sample):
    catalog, observations = data
    bulletin = make_bulletin(catalog, observations, "P15", 2027, 3, sample=True, issued=date(2027, 4, 2))
    assert [s.heading for s in bulletin.sections] == ["一、总体情况"] and bulletin.charts == ()
    assert "2027年1—3月尚无纳入序时进度监测的指标数据" in bulletin.sections[0].blocks[0].text
    out = sample / "empty.html"
    run("report", "--period", "P15", "--month", "2027-03", str(out))
    page = out.read_text(encoding="utf-8")
    assert "2027年1—3月尚无纳入序时进度监测的指标数据" in page and "示例数据" in page


def test_the_html_is_one_file_that_asks_nothing_of_a_network(data):
    catalog, observations = data
    bulletin = make_bulletin(catalog, observations, "P15", 2026, 10, sample=True, issued=date(2026, 11, 5))
    page = write_html(bulletin)
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert page.count('class="chart"') == len(bulletin.charts) == 7
    assert "Plotly.newPlot" in page and "counter(page)" in page


def test_suggestions_follow_from_what_is_behind(data):
    catalog, observations = data
    bulletin = make_bulletin(catalog, observations, "P15", 2026, 10, sample=False, issued=date(2026, 11, 5))
    suggestions = next(s for s in bulletin.sections if s.heading.endswith("下步工作建议")).blocks
    report = report_in_year(catalog, observations, "P15", 2026, 10)
    lagging = report.programmes[report.programmes["status"] == "lagging"]["programme"]
    names = catalog.programmes.set_index("code")["name_zh"][lagging]
    assert suggestions[0].lead == f"（一）加快{'、'.join(names)}推进。"
    statuses, _ = key_task_status(catalog.key_tasks, catalog.milestones, empty_progress(), date(2026, 10, 31))
    late = int(statuses["status"].eq("late").sum())
    assert any(b.lead.endswith(f"推动{late}项滞后的重点任务落地。") for b in suggestions)


@pytest.mark.parametrize(
    ("number", "lang", "shown"),
    [(1, "zh", "一"), (9, "zh", "九"), (10, "zh", "十"), (12, "zh", "十二"), (20, "zh", "二十"), (23, "zh", "二十三")]
    + [(12, "en", "12")],
)
def test_headings_are_numbered_as_the_office_writes(number, lang, shown):
    assert numeral(number, lang) == shown


@pytest.mark.parametrize(
    ("role", "allowed"), [("viewer", False), ("analyst", False), ("editor", True), ("admin", True)]
)
def test_only_editors_and_admins_make_the_bulletin(data, role, allowed):
    catalog, observations = data
    if not allowed:
        with pytest.raises(PermissionDenied, match="denied.export_bulletin"):
            export_bulletin(role, catalog, observations, "P15", 2026, 10, "html", sample=True)
        return
    made = export_bulletin(role, catalog, observations, "P15", 2026, 10, "html", sample=True)
    assert made.file_name == "“六大工程”推进情况通报（2026年1—10月）.html" and made.mime == "text/html"


def test_a_missing_browser_is_named_with_its_package(sample, monkeypatch):
    monkeypatch.setenv("HQD_CHROMIUM", "/nowhere/chromium")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["report", "--month", "2026-10", str(sample / "x.pdf")]) == 1
    assert "请安装 Debian 软件包 chromium" in err.getvalue() and "Traceback" not in err.getvalue()


def test_the_pdf_pages_carry_the_mark_and_the_page_number(sample):
    """The PDF's pages turned into PNG with pdftoppm: the first ones kept in tests/artifacts/ to look at, each
    with the red sample-data mark at its top and ink in its body."""
    requires_browser(images=False)
    if shutil.which("pdftoppm") is None:
        unavailable("pdftoppm (poppler-utils)", "HQD_REQUIRE_BROWSER")
    from PIL import Image

    out = sample / "bulletin.pdf"
    run("report", "--period", "P15", "--month", "2026-10", "--format", "pdf", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    # No tag tree: for a large zone's annex it doubled Chromium's printing time and made the file eight times larger.
    assert b"/StructTreeRoot" not in out.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(out), str(ARTIFACTS / "bulletin-page")], check=True
    )
    pages = sorted(ARTIFACTS.glob("bulletin-page-*.png"))
    assert len(pages) == 3
    for path in pages:
        image = Image.open(path).convert("RGB")
        width, height = image.size
        top = image.crop((0, 0, width, height // 10)).get_flattened_data()
        assert any(r > 150 and g < 80 and b < 80 for r, g, b in top), f"{path.name}: no sample mark"
        body = image.crop((0, height // 10, width, height * 9 // 10)).convert("L").get_flattened_data()
        assert sum(v < 128 for v in body) > 2000, f"{path.name}: blank"


def large_bulletin(rows: int) -> Bulletin:
    """Return a bulletin built in code with `rows` paragraphs behind and an annex of `rows` indicators."""
    behind = tuple(Paragraph(f"指标{i}低于序时进度。", lead=f"（{i}）") for i in range(rows))
    annex = Table(
        "annex", ("指标", "完成值"), tuple((f"指标{i}", f"{i},000") for i in range(rows)), (3, 1), (False, True)
    )
    return Bulletin(
        title="通报",
        period="2026年1—10月",
        issuer="办公室",
        issued="2026年11月5日",
        mark="",
        sections=(Section("三、需关注的问题", behind), Section("附件", (annex,), landscape=True)),
        file_stem="通报",
    )


def test_a_large_bulletin_is_written_to_word_whole():
    """3,000 indicators behind and in the annex, written as XML into the file (its speed: bench/report.py)."""
    from docx import Document

    written = write_docx(large_bulletin(3000), images={})
    document = Document(io.BytesIO(written))
    body = [p for p in document.paragraphs if p.text.startswith("（")]
    assert [p.text for p in body[:2]] == ["（0）指标0低于序时进度。", "（1）指标1低于序时进度。"] and len(body) == 3000
    assert body[0].runs[0].bold and body[0].style.name == "Normal"
    assert [p.style.name for p in document.paragraphs if p.text in ("三、需关注的问题", "附件")] == ["Heading 1"] * 2
    (table,) = document.tables
    assert len(table.rows) == 3001 and [c.text for c in table.rows[-1].cells] == ["指标2999", "2999,000"]
    assert "hqd-xml" not in " ".join(texts(document))


def test_the_charts_of_several_documents_are_drawn_in_one_browser_started_once(data, word, browser_starts):
    # The Word's charts were drawn (by `report`, in this process) in a browser started for them: it is kept.
    assert len(word.inline_shapes) > 0 and len(browser_starts) == 1
    bulletin = make_bulletin(*data, "P15", 2026, 10, sample=True)
    first, second = draw_chart_images(bulletin), draw_chart_images(bulletin)
    assert first == second and len(first) == len(bulletin.charts) and len(browser_starts) == 1
