"""The monthly bulletin (通报): the document as data, its HTML, a large Word written whole, the command line and the
policy. The Word and PDF as Chromium draws and prints them: tests/browser/test_bulletin_documents.py."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from support import run_cli, word_texts

from hqd import store
from hqd.bulletin import Bulletin, Chart, Paragraph, Section, Table, build_bulletin
from hqd.bulletin_docx import write_docx
from hqd.bulletin_html import write_html
from hqd.cli import main
from hqd.inyear import report_in_year
from hqd.keytasks import empty_progress, key_task_status
from hqd.labels import numeral
from hqd.policy import PermissionDenied
from hqd.store.supervision import EXPLANATION_COLUMNS
from hqd.views.bulletin import export_bulletin, make_bulletin


@pytest.fixture(scope="module")
def sample(sample_database, tmp_path_factory) -> Path:
    """Return a folder whose sample.db is a copy of the `init --sample` database, named by HQD_DATABASE_URL."""
    folder = tmp_path_factory.mktemp("bulletin")
    shutil.copy(sample_database, folder / "sample.db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HQD_DATABASE_URL", f"sqlite:///{folder / 'sample.db'}")
        yield folder


@pytest.fixture(scope="module")
def data(sample):
    engine = store.connect()
    catalog, observations = store.load_catalog(engine), store.read_observations(engine)
    engine.dispose()
    return catalog, observations


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
    run_cli("report", "--period", "P15", "--month", "2027-03", str(out))
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
    assert "hqd-xml" not in " ".join(word_texts(document))
