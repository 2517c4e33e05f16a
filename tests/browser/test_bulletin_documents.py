"""The monthly bulletin's documents as Chromium draws and prints them: the Word written by `python -m hqd report`,
its charts drawn by kaleido in one browser kept for several documents, read back with python-docx, and the PDF's pages
turned into images. The numbers are those `progress --json` gives for the same month; the document as data, its
HTML, the command line and the policy are tested in tests/unit/test_bulletin.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from support import ARTIFACTS, run_cli, unavailable, word_texts

from hqd import store
from hqd.browser import missing_tool
from hqd.bulletin_docx import draw_chart_images
from hqd.views.bulletin import make_bulletin

pytestmark = pytest.mark.browser

HEADINGS = ["一、总体情况", "二、分工程推进情况", "三、需关注的问题", "四、重点任务进展", "五、下步工作建议"]
# Half-width punctuation, once the separators and decimal points inside numbers are taken out.
HALF_WIDTH = re.compile(r"[,;:!?()\[\]\"']")
IN_NUMBERS = re.compile(r"(?<=\d)[,.](?=\d)")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """Return a folder whose sample.db is made by `init --sample` and named by HQD_DATABASE_URL."""
    folder = tmp_path_factory.mktemp("bulletin")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HQD_DATABASE_URL", f"sqlite:///{folder / 'sample.db'}")
        run_cli("init", "--sample")
        yield folder


@pytest.fixture(scope="module")
def progress(sample) -> dict:
    return json.loads(run_cli("progress", "--period", "P15", "--month", "2026-10", "--json"))


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
    assert "已写入" in run_cli("report", "--period", "P15", "--month", "2026-10", "--format", "docx", str(out))
    return Document(str(out))


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
    for text in word_texts(word):
        assert not HALF_WIDTH.search(IN_NUMBERS.sub("", text)), text


def test_the_pdf_pages_carry_the_mark_and_the_page_number(sample):
    """The PDF's pages turned into PNG with pdftoppm: the first ones kept in tests/artifacts/ to look at, each
    with the red sample-data mark at its top and ink in its body."""
    requires_browser(images=False)
    if shutil.which("pdftoppm") is None:
        unavailable("pdftoppm (poppler-utils)", "HQD_REQUIRE_BROWSER")
    from PIL import Image

    out = sample / "bulletin.pdf"
    run_cli("report", "--period", "P15", "--month", "2026-10", "--format", "pdf", str(out))
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


def test_the_charts_of_several_documents_are_drawn_in_one_browser_started_once(sample, word, browser_starts):
    # The Word's charts were drawn (by `report`, in this process) in a browser started for them: it is kept.
    assert len(word.inline_shapes) > 0 and len(browser_starts) == 1
    engine = store.connect()
    data = store.load_catalog(engine), store.read_observations(engine)
    engine.dispose()
    bulletin = make_bulletin(*data, "P15", 2026, 10, sample=True)
    first, second = draw_chart_images(bulletin), draw_chart_images(bulletin)
    assert first == second and len(first) == len(bulletin.charts) and len(browser_starts) == 1
