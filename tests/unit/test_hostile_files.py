"""Hostile files through the real reader: each refused or read, in bounded time and memory, with a message.

Every file is built here, small, and goes through hqd.workbook.read_sheets (a capped child process)
or the whole import (hqd.imports.prepare_import), as an upload does; the command line answers
exit 2 with the same message.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from factories import (
    HOSTILE_ROWS,
    make_csv,
    make_encrypted_ole,
    make_encrypted_zip,
    make_external_link_xlsx,
    make_lying_zip,
    make_macro_xlsm,
    make_ods,
    make_one_string_xlsx,
    make_repeated_ods,
    make_sparse_corner_xlsx,
    make_workbook,
    make_xls,
    make_xml_attack_xlsx,
    rewrite_zip,
)

import hqd.reading
import hqd.workbook
from hqd.i18n import describe_error
from hqd.imports import prepare_import
from hqd.settings import ROOT
from hqd.workbook import WorkbookError, read_sheets

# The services' rules; the store's statements under them are tested on PostgreSQL in the store's tests.
pytestmark = pytest.mark.sqlite_only

TODAY = date(2026, 11, 25)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# The budget for any file within the upload limit: under 10 s, the server's memory grown by
# no more than the file's size (plus what the allocator keeps from a few small frames).
SECONDS = 10
SLACK_BYTES = 8 * 2**20
EXTENT = "超过上限3,000,000个单元格，文件未读取。请删除表格以外远处的单元格或多余的行列后再上传。"
DTD = "文件中含有 DTD 声明（Excel/WPS 从不写入，常见于 XXE、“十亿笑声”等攻击），疑似恶意文件，已拒绝。"
PASSWORD = "文件设有密码保护，请在 Excel/WPS 中取消密码后再上传。"
NOT_A_TABLE = "文件内容不是 Excel/WPS 表格（可能是改了扩展名的其他文件），请另存为 .xlsx 后再上传。"
NOT_TEXT = "文件内容不是文本表格，请另存为 .xlsx 后再上传。"
GOOD_XLSX = make_workbook({"数据": HOSTILE_ROWS})
GOOD_ODS = make_ods({"数据": HOSTILE_ROWS})
GOOD_XLS = make_xls({"数据": HOSTILE_ROWS})
# A note of 140,000 characters: past Python's csv field limit of 131,072.
LONG_FIELD_CSV = ("指标编码,年份,数值,备注\r\nA1,2021,110," + "长" * 140_000 + "\r\n").encode()


def resident_bytes() -> int:
    """Return this process's resident memory now."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


REFUSED = [
    pytest.param(
        make_sparse_corner_xlsx,
        "角落.xlsx",
        f"工作表「数据」的数据区域为 A1:XFD1048576（1,048,576行 × 16,384列），{EXTENT}",
        id="sparse-corner-XFD1048576",
    ),
    pytest.param(
        lambda: make_sparse_corner_xlsx("XFD30000"),
        "角落.xlsx",
        f"工作表「数据」的数据区域为 A1:XFD30000（30,000行 × 16,384列），{EXTENT}",
        id="sparse-corner-XFD30000",
    ),
    pytest.param(
        # Cells at A1 and C3, then a row of 3,000 ones repeated 20,000 times: 60 million cells.
        make_repeated_ods,
        "重复.ods",
        f"工作表「数据」的数据区域为 A1:DKJ20003（20,003行 × 3,000列），{EXTENT}",
        id="ods-repeated-rows-and-columns",
    ),
    pytest.param(
        make_lying_zip,
        "谎报.xlsx",
        "与文件大小不成比例（压缩包所记录的大小与实际不符），疑似恶意文件，已拒绝。",
        id="zip-directory-lies-about-sizes",
    ),
    pytest.param(lambda: make_xml_attack_xlsx("xxe"), "外部实体.xlsx", DTD, id="xxe-in-sheet"),
    pytest.param(lambda: make_xml_attack_xlsx("xxe", "[Content_Types].xml"), "外部实体.xlsx", DTD, id="xxe-in-types"),
    pytest.param(lambda: make_xml_attack_xlsx("laughs"), "笑声.xlsx", DTD, id="billion-laughs-in-sheet"),
    pytest.param(
        lambda: make_xml_attack_xlsx("laughs", "xl/styles.xml"), "笑声.xlsx", DTD, id="billion-laughs-in-styles"
    ),
    pytest.param(make_encrypted_ole, "加密.xlsx", PASSWORD, id="encrypted-ole"),
    pytest.param(make_encrypted_zip, "加密.xlsx", PASSWORD, id="encrypted-zip-member"),
    pytest.param(
        lambda: GOOD_XLSX[: len(GOOD_XLSX) // 2],
        "截断.xlsx",
        "文件已损坏（压缩结构无效），请重新保存后再上传。",
        id="truncated-xlsx",
    ),
    pytest.param(
        lambda: GOOD_ODS[: len(GOOD_ODS) * 2 // 3],
        "截断.ods",
        "文件已损坏（压缩结构无效），请重新保存后再上传。",
        id="truncated-ods",
    ),
    pytest.param(
        lambda: GOOD_XLS[: len(GOOD_XLS) // 2], "截断.xls", "无法读取该文件，文件可能已损坏", id="truncated-xls"
    ),
    pytest.param(lambda: "这是一段文字,不是表格。\n".encode(), "改名.xlsx", NOT_A_TABLE, id="text-renamed-xlsx"),
    pytest.param(lambda: b"%PDF-1.7\n" + b"\0" * 64, "改名.xls", NOT_A_TABLE, id="pdf-renamed-xls"),
    pytest.param(lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "改名.csv", NOT_TEXT, id="png-renamed-csv"),
    pytest.param(
        lambda: b"\xef\xbb\xbf\xe6\x8c\x87\xe6\xa0\x87,x\r\n\0\0\0,1\r\n", "空字符.csv", NOT_TEXT, id="nul-csv"
    ),
    pytest.param(lambda: make_csv(HOSTILE_ROWS, "utf-16-le"), "无标记.csv", NOT_TEXT, id="utf16-csv-without-bom"),
    pytest.param(
        lambda: LONG_FIELD_CSV,
        "长备注.csv",
        "CSV 文件第2行有单元格超过131,072个字符（也可能是引号不成对），无法读取。请检查该行后再上传。",
        id="csv-field-over-131072",
    ),
    pytest.param(
        lambda: b"," * 6_000_000,
        "逗号.csv",
        f"工作表「逗号.csv」的数据区域为 A1:MCISG1（1行 × 6,000,001列），{EXTENT}",
        id="csv-of-commas",
    ),
    pytest.param(
        lambda: rewrite_zip(GOOD_XLSX, {"xl/workbook.bin": b"\0" * 64}),
        "二进制.xlsb",
        "不支持 Excel 二进制工作簿（.xlsb），请在 Excel/WPS 中另存为 .xlsx 后再上传。",
        id="xlsb",
    ),
]


@pytest.mark.parametrize(("build", "file_name", "refusal"), REFUSED)
def test_hostile_file_is_refused_in_bounded_time_and_memory_with_a_message(build, file_name, refusal):
    content = build()
    before, start = resident_bytes(), time.perf_counter()
    with pytest.raises(WorkbookError) as refused:
        read_sheets(content, file_name)
    assert time.perf_counter() - start < SECONDS
    assert resident_bytes() - before <= len(content) + SLACK_BYTES
    assert refusal in describe_error(refused.value)
    assert not CJK.search(describe_error(refused.value, "en").replace(file_name, "").replace("数据", ""))


@pytest.mark.parametrize(("build", "file_name", "refusal"), REFUSED[:4])
def test_hostile_file_is_refused_before_the_reader_needs_more_than_a_quarter_of_its_memory(
    monkeypatch, build, file_name, refusal
):
    # The refusals come from measuring the file, not from running out of memory: with a quarter
    # of the memory the reading process may have, the message is the same.
    monkeypatch.setattr(hqd.workbook, "READ_MEMORY_BYTES", 256 * 2**20)
    with pytest.raises(WorkbookError) as refused:
        read_sheets(build(), file_name)
    assert refusal in describe_error(refused.value)


READ = [
    pytest.param(make_macro_xlsm, "宏.xlsm", id="macro-xlsm"),
    pytest.param(make_external_link_xlsx, "外部链接.xlsx", id="external-link"),
    pytest.param(lambda: make_csv(HOSTILE_ROWS, "utf-16"), "Unicode文本.csv", id="utf16-csv-with-bom"),
    pytest.param(
        lambda: make_csv(HOSTILE_ROWS, "utf-16").replace(b",\x00", b"\t\x00"), "Unicode文本.txt", id="utf16-tab"
    ),
    pytest.param(lambda: GOOD_XLSX, "改名.csv", id="xlsx-renamed-csv"),
    pytest.param(lambda: make_sparse_corner_xlsx("E9"), "远一点.xlsx", id="far-cell-within-limits"),
]


@pytest.mark.parametrize(("build", "file_name"), READ)
def test_odd_but_harmless_file_is_read_for_its_values(engine, build, file_name):
    content = build()
    start = time.perf_counter()
    result = prepare_import(engine, content, file_name, today=TODAY)
    assert time.perf_counter() - start < SECONDS
    assert result.ok, result.errors.to_string()
    values = {(r.indicator, r.year): r.value for r in result.observations.itertuples()}
    assert values == {("A1", 2021): 110.0, ("A3", 2021): 55.0}


def test_sparse_file_within_the_budget_costs_the_server_one_array_of_its_grid():
    # A1 and J250000: 2.5 million cells from A1, within the budget. The reading process sends the
    # two rows that hold anything; the server builds one array of 8-byte references, no more.
    content = make_sparse_corner_xlsx("J250000")
    before, start = resident_bytes(), time.perf_counter()
    grid = read_sheets(content, "稀疏.xlsx")["数据"]
    assert time.perf_counter() - start < SECONDS
    assert grid.shape == (250_000, 10) and grid.iat[249_999, 9] == 1.0 and grid.iat[1, 2] == 110.0
    assert resident_bytes() - before <= 8 * grid.size + SLACK_BYTES


def test_one_string_in_every_cell_reaches_the_server_as_one_object(monkeypatch):
    # 300,000 cells that all hold the same text: the reading process sends it once, so the server
    # holds the grid's references (2.4 MB) and one string, not 300,000 strings (25 MB, over the slack).
    # What is measured is memory; beside other tests on a busy core the reading takes longer than the cap.
    monkeypatch.setattr(hqd.workbook, "READ_SECONDS", 60)
    content = make_one_string_xlsx(rows=30_000)
    before = resident_bytes()
    grid = read_sheets(content, "同一文字.xlsx")["数据"]
    assert grid.iat[30_008, 9] == "同一文字" and grid.iat[30_008, 9] is grid.iat[9, 0]
    assert resident_bytes() - before <= 8 * grid.size + SLACK_BYTES


def test_a_file_name_with_a_nul_byte_is_read_not_a_traceback():
    grid = read_sheets(make_csv(HOSTILE_ROWS), "数据\x00.csv")["数据.csv"]
    assert grid.iat[1, 0] == "A1"


def test_a_file_name_of_a_hundred_thousand_characters_is_read_under_its_first_255_with_its_extension():
    (name,) = read_sheets(make_csv(HOSTILE_ROWS), "长" * 100_000 + ".csv")
    assert name == "长" * 251 + ".csv"


def test_external_link_is_never_followed(monkeypatch):
    # The saved value is read; the linked workbook's address is not even looked up.
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the reader opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    grid = read_sheets(make_external_link_xlsx(), "外部链接.xlsx")["数据"]
    assert grid.iat[2, 2] == 55.0


def test_a_file_that_outgrows_the_memory_cap_only_ends_the_reading_process(monkeypatch):
    # .xls is not measured before calamine reads it: cells at A1 and IV65536 make it build the
    # whole 65,536 × 256 grid at once, more than the reading process may have.
    import xlwt

    monkeypatch.setattr(hqd.workbook, "READ_MEMORY_BYTES", 512 * 2**20)
    book = xlwt.Workbook()
    sheet = book.add_sheet("数据")
    sheet.write(0, 0, "指标编码")
    sheet.write(65535, 255, 1)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(WorkbookError) as refused:
        read_sheets(out.getvalue(), "远角.xls")
    assert describe_error(refused.value) == "读取该文件所需内存超过上限（512 MB），文件可能已损坏或为恶意文件，已拒绝。"
    assert describe_error(refused.value, "en").startswith("Reading the file needs more memory than the limit (512 MB)")
    # The server goes on reading files.
    assert read_sheets(GOOD_XLS, "好.xls")["数据"].iat[1, 2] == 110.0


def test_a_reading_that_outlasts_the_time_limit_is_stopped(monkeypatch):
    # 200,000 cells take the reader far longer than 0.01 s (a small file may not: a reader starts in a millisecond).
    monkeypatch.setattr(hqd.workbook, "READ_SECONDS", 0.01)
    with pytest.raises(WorkbookError) as refused:
        read_sheets(make_one_string_xlsx(rows=20_000), "慢.xlsx")
    assert describe_error(refused.value).startswith("读取文件超过0.01秒仍未完成，已停止")
    assert describe_error(refused.value, "en").startswith("Reading the file took more than 0.01 seconds")


def test_files_are_read_where_the_machine_already_caps_memory_below_the_reading_cap():
    # A server started under `ulimit -v` lower than READ_MEMORY_BYTES still reads every file.
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (900 * 2**20, 900 * 2**20))\n"
        "from hqd.workbook import read_sheets\n"
        "print(read_sheets(sys.stdin.buffer.read(), 'x.xlsx')['数据'].iat[1, 2])"
    )
    assert server_reading(code).stdout.decode().strip() == "110.0"


def server_reading(code: str, content: bytes = GOOD_XLSX) -> subprocess.CompletedProcess:
    """Run `code` as a server of its own, which reads the workbook on its standard input."""
    done = subprocess.run([sys.executable, "-c", code], input=content, capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-500:]
    return done


def test_row_cap_is_enforced_where_the_file_is_read(monkeypatch):
    monkeypatch.setattr(hqd.workbook, "MAX_ROWS", 2)
    for content, name in ((GOOD_XLSX, "多行.xlsx"), (make_csv(HOSTILE_ROWS), "多行.csv")):
        with pytest.raises(WorkbookError) as refused:
            read_sheets(content, name)
        assert describe_error(refused.value) == "文件共3行，超过上限2行，请拆分后分别上传。"


def test_grid_budget_counts_all_sheets_together(monkeypatch):
    monkeypatch.setattr(hqd.workbook, "MAX_GRID_CELLS", 20)
    three_by_four = make_workbook({"一": HOSTILE_ROWS, "二": HOSTILE_ROWS})
    with pytest.raises(WorkbookError) as refused:
        read_sheets(three_by_four, "两表.xlsx")
    assert describe_error(refused.value).startswith("文件各工作表的数据区域合计超过上限20个单元格")
    assert list(read_sheets(make_workbook({"一": HOSTILE_ROWS}), "一表.xlsx")) == ["一"]


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        # Each way of writing the far cell that a reader follows must be measured as far.
        ('<row r="40000"><c r="ZZ40000"><v>1</v></c></row>', True),
        (
            '<row r="40000"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="ZZ40000">'
            "<x:v>1</x:v></x:c></row>",
            True,
        ),
        ('<row r="40000"><c s="0" r="ZZ40000"><v>1</v></c></row>', True),
        ("<row r='40000'><c r='zz40000'><v>1</v></c></row>", True),
        ('<row r="40000"><c r="ZY40000"><v>1</v></c><c><v>1</v></c></row>', True),
        # Without r="", a cell's row comes from its <row> and its column from the cells before it.
        ('<row r="1048576"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c><c><v>5</v></c></row>', True),
        ('<row r="40000"><c><v>1</v></c></row>', False),
        ('<row r="9"><c r="E9"><v>1</v></c></row>', False),
    ],
    ids=["plain", "prefixed", "r-not-first", "single-quotes-lower-case", "mixed", "no-r", "no-r-near", "near"],
)
def test_every_way_of_writing_a_cell_is_measured(extra, refused):
    content = rewrite_zip(
        GOOD_XLSX,
        {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"</sheetData>", extra.encode() + b"</sheetData>")},
    )
    if refused:
        with pytest.raises(WorkbookError) as far:
            read_sheets(content, "远处.xlsx")
        assert describe_error(far.value).startswith("工作表「数据」的数据区域为 A1:")
    else:
        assert read_sheets(content, "近处.xlsx")["数据"].iat[0, 0] == "指标编码"


def test_sheet_whose_dimension_claims_the_whole_sheet_is_read_by_its_cells():
    content = rewrite_zip(
        GOOD_XLSX, {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b'ref="A1:D3"', b'ref="A1:XFD1048576"')}
    )
    assert b'ref="A1:XFD1048576"' in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert read_sheets(content, "全表.xlsx")["数据"].shape == (3, 4)


@pytest.mark.parametrize(
    ("build", "file_name", "message"),
    [
        (make_sparse_corner_xlsx, "角落.xlsx", "工作表「数据」的数据区域为 A1:XFD1048576"),
        (lambda: LONG_FIELD_CSV, "长备注.csv", "CSV 文件第2行有单元格超过131,072个字符"),
    ],
    ids=["sparse-corner", "csv-field-over-131072"],
)
def test_command_line_refuses_a_hostile_file_with_exit_2_and_the_message(tmp_path, cli, build, file_name, message):
    path = tmp_path / file_name
    path.write_bytes(build())
    refused = cli("import", str(path), expect=2).err
    assert f"无法读取文件 {path}：" in refused and message in refused


def state_and_parent(stat: Path) -> tuple[str, int]:
    """Return a process's state letter and parent from its /proc stat file (after the name, which may hold spaces)."""
    state, parent = stat.read_text().rpartition(")")[2].split()[:2]
    return state, int(parent)


def children_of(pid: int) -> list[int]:
    """Return the running processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = state_and_parent(stat)
        except OSError:
            continue  # ended while listed
        if parent == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def test_a_reader_killed_midway_refuses_only_its_file(monkeypatch):
    monkeypatch.setattr(hqd.workbook, "READ_SECONDS", 60)
    read_sheets(GOOD_XLSX, "先读一个.xlsx")
    zygote = hqd.reading._Zygote.process.pid
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(read_sheets, make_one_string_xlsx(rows=50_000), "读到一半.xlsx")
        readers = []
        while not readers and not reading.done():
            readers = [reader for warden in children_of(zygote) for reader in children_of(warden)]
        os.kill(readers[0], signal.SIGKILL)
        with pytest.raises(WorkbookError) as refused:
            reading.result()
    assert refused.value.code == "read.crashed"
    assert read_sheets(GOOD_XLSX, "再读一个.xlsx")["数据"].iat[1, 2] == 110.0
    # Each reader is a copy of its zygote's memory: the next file's is laid out anew, learning nothing from the crash.
    assert hqd.reading._Zygote.process.pid != zygote


def test_a_stopped_zygote_costs_one_file_and_is_replaced(monkeypatch):
    monkeypatch.setattr(hqd.workbook, "READ_SECONDS", 1)
    monkeypatch.setattr(hqd.reading, "REPORT_GRACE_SECONDS", 0.5)
    read_sheets(GOOD_XLSX, "一.xlsx")
    zygote = hqd.reading._Zygote.process
    zygote.send_signal(signal.SIGSTOP)
    start = time.perf_counter()
    with pytest.raises(WorkbookError) as refused:
        read_sheets(GOOD_XLSX, "二.xlsx")
    assert refused.value.code == "read.no_reader" and time.perf_counter() - start < SECONDS
    assert read_sheets(GOOD_XLSX, "三.xlsx")["数据"].iat[1, 2] == 110.0
    assert zygote.wait(timeout=SECONDS) == -signal.SIGKILL


def test_the_time_limit_holds_in_a_server_started_with_the_alarm_ignored():
    # An ignored signal stays ignored through exec: a launcher may hand the server one.
    code = (
        "import signal, sys\n"
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "import hqd.workbook\n"
        "hqd.workbook.READ_SECONDS = 0.01\n"
        "try:\n"
        "    hqd.workbook.read_sheets(sys.stdin.buffer.read(), 'x.xlsx')\n"
        "except hqd.workbook.WorkbookError as refused:\n"
        "    print(refused.code)"
    )
    assert server_reading(code, make_one_string_xlsx(rows=20_000)).stdout.decode().strip() == "read.timeout"


def test_the_server_reads_on_after_its_zygote_is_killed():
    read_sheets(GOOD_XLSX, "一.xlsx")
    zygote = hqd.reading._Zygote.process
    zygote.kill()
    zygote.wait()
    assert read_sheets(GOOD_XLSX, "二.xlsx")["数据"].iat[1, 2] == 110.0
    assert hqd.reading._Zygote.process.pid != zygote.pid


def test_the_zygote_ends_with_its_server():
    code = (
        "import sys, hqd.reading\n"
        "from hqd.workbook import read_sheets\n"
        "read_sheets(sys.stdin.buffer.read(), 'x.xlsx')\n"
        "print(hqd.reading._Zygote.process.pid)"
    )
    zygote = int(server_reading(code).stdout)
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline and alive(zygote):
        time.sleep(0.01)
    assert not alive(zygote)


def alive(pid: int) -> bool:
    """Return whether the process runs (a zombie, ended but not yet reaped by its new parent, does not)."""
    try:
        return state_and_parent(Path(f"/proc/{pid}/stat"))[0] != "Z"
    except OSError:
        return False


def test_the_reading_processes_see_none_of_the_servers_environment(monkeypatch):
    # The database's password may be in it; a reader taken over by a file would find nothing.
    monkeypatch.setenv("HQD_DATABASE_URL", "postgresql+psycopg://hqd:secret@db/hqd")
    read_sheets(GOOD_XLSX, "一.xlsx")
    zygote = hqd.reading._Zygote.process.pid
    assert Path(f"/proc/{zygote}/environ").read_bytes() == b"RUST_BACKTRACE=0\x00"
