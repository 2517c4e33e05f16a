"""Reading an upload's cells where no file can harm the server: a capped child process, limits checked first.

`hqd.workbook.read_sheets` hands each file to `run_reader`, which has one reading process forked for it
by the zygote: a `python -I -S` process started once per server process (`fork_readers`), which has
imported this module and nothing of the server's, and forks a warden per file, which forks the reader
and reports how it ended. The reader (`serve`) caps its own address space and time, reads the file
and writes back each sheet's rows, or why it refused the file. Before any reader builds a dense grid,
the file's real extent is measured as it unpacks: zip members are inflated as streams with a cap (a
zip's directory may lie about sizes), worksheet cell references and ODS repeat counts give the rows
× columns a reader would allocate, and XML parts that declare a DTD (XXE, billion laughs) are
refused. This module imports neither pandas nor streamlit, so the zygote starts in tens of
milliseconds, and a reader, forked from it, in about one.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import html
import io
import os
import pickle
import posixpath
import re
import resource
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
import zlib
from array import array
from collections import namedtuple
from itertools import compress, repeat, tee
from operator import itemgetter
from xml.parsers import expat

import python_calamine
from python_calamine import CalamineError, PasswordError, load_workbook

from hqd.refusal import Refusal

ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container holding this stream.
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
CHUNK = 1 << 20
# No spreadsheet has this many parts; a zip that does is built to exhaust the reader.
MAX_ZIP_MEMBERS = 10_000
# Refusals: codes of hqd.i18n.MESSAGES (the sentences are made there, in the reader's language).
PASSWORD = "read.password"
BAD_ZIP = "read.bad_zip"
NOT_A_TABLE = "read.not_a_table"
DTD = "read.dtd"


class WorkbookError(Refusal):
    """A file that cannot be opened as a workbook: a code of hqd.i18n.MESSAGES and the values it needs.

    The values are plain text and numbers, so that the child can send them over its pipe.
    """


class Uncalculated:
    """A formula cell saved without its computed value (written by a program, never opened in Excel)."""

    def __repr__(self) -> str:
        return "UNCALCULATED"

    def __reduce__(self) -> str:
        # Pickled by name: the parent's unpickled cells hold this very object, so `is` still works.
        return "UNCALCULATED"


UNCALCULATED = Uncalculated()


class PercentNumber(float):
    """A number whose cell is formatted as a percent: 0.06 shown, and typed, as 6%.

    The reader cannot know the indicator's unit; the cell's format is the only sign of what the
    person typed, so it travels with the number and intake decides (hqd.intake.parse_numbers).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"PercentNumber({float(self)!r})"


# What one file may take: rows, cells of its dense grids, unpacked bytes, memory of the child.
# (A named tuple, not a dataclass: the child starts faster without dataclasses' imports.)
Limits = namedtuple("Limits", ["max_rows", "max_cells", "max_unpacked", "unpack_ratio", "memory"])


def serve(limits: Limits, file_name: str, seconds: float) -> None:
    """In a reading process: read the file on fd 0, write its sheets or the refusal, pickled, to fd 1."""
    # Capped here, in the reader itself, never above a cap the machine already sets (raising it
    # would fail, and refuse every file). Its answer and error output go to files, which the address
    # space does not count: they may grow no larger than it.
    for kind in (resource.RLIMIT_AS, resource.RLIMIT_FSIZE):
        _, hard = resource.getrlimit(kind)
        cap = limits.memory if hard == resource.RLIM_INFINITY else min(limits.memory, hard)
        resource.setrlimit(kind, (cap, cap))
    # SIGALRM's default ends the process wherever it is, in calamine's Rust code too.
    signal.setitimer(signal.ITIMER_REAL, seconds)
    # Should the machine run short of memory all the same, the kernel ends this process first.
    try:
        with open("/proc/self/oom_score_adj", "w") as adjust:
            adjust.write("1000")
    except OSError:
        pass
    with open(0, "rb", closefd=False) as source:
        content = source.read()
    try:
        answer = ("sheets", [(name, *encode_grid(rows)) for name, rows in read_cells(content, file_name, limits)])
    except WorkbookError as error:
        answer = ("error", (error.code, error.params))
    except MemoryError:
        refusal = memory_refusal(limits)
        answer = ("error", (refusal.code, refusal.params))
    with open(1, "wb", closefd=False) as sink:
        sink.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


# What encode_grid tells apart per cell: a float (sent as 8 bytes), text, or another value (a number of another type,
# a truth value, a date, a PercentNumber, UNCALCULATED).
FLOAT, TEXT = 1, 2
KINDS = {float: FLOAT, str: TEXT}
# A column's kinds turned into the mask of its floats, and of its other cells (sent by their place in `values`).
IS_FLOAT = bytes(int(kind == FLOAT) for kind in range(256))
NOT_FLOAT = bytes(int(kind != FLOAT) for kind in range(256))


class _Numbering(dict):
    """Numbers each key as it is first looked up: 0, 1, 2… (a dict's own look-up, in C, for every key met before)."""

    def __missing__(self, key) -> int:
        self[key] = number = len(self)
        return number


def encode_grid(rows: list[list]) -> tuple[int, int, str, list, list[tuple[bytes, bytes, bytes]]]:
    """Return a grid's height, width, and its cells column by column, each column as bytes made without a
    Python step per cell.

    Each column is (which cells are floats, one byte each, zlib-compressed; those floats as float64; every other
    cell's place in `values`, as an array of `typecode`, the smallest that holds them, zlib-compressed). `values`
    holds each distinct other value once: equal values of different types stay apart (True, 1), and a file whose
    million cells hold one string reaches the server as one string, and its cells as a few bytes.
    """
    height, width = len(rows), max(map(len, rows), default=0)
    if any(len(row) != width for row in rows):
        rows = [row + [""] * (width - len(row)) for row in rows]
    places = _Numbering()
    encoded = []
    for position in range(width):
        column = list(map(itemgetter(position), rows))
        kinds = bytes(map(KINDS.get, map(type, column), repeat(0)))
        floats = kinds.translate(IS_FLOAT)
        others = compress(column, kinds.translate(NOT_FLOAT))
        if kinds.count(TEXT) + kinds.count(FLOAT) != height:
            # Text cannot equal anything else; other values are told apart by their type as well.
            cells, same = tee(others)
            others = zip(map(type, same), cells, strict=True)
        numbers = array("I", map(places.__getitem__, others))
        encoded.append((floats, array("d", compress(column, floats)).tobytes(), numbers))
    typecode = "B" if len(places) <= 1 << 8 else "H" if len(places) <= 1 << 16 else "I"
    # The masks and places compressed (fast, level 1): a sparse sheet's millions of empty cells are a few bytes then,
    # not two or more each in the answer and again in the server while it builds the grid.
    columns = [
        (zlib.compress(mask, 1), floats, zlib.compress(_narrow(numbers, typecode), 1))
        for mask, floats, numbers in encoded
    ]
    values = [key if type(key) is str else key[1] for key in places]
    return height, width, typecode, values, columns


def _narrow(numbers: array, typecode: str) -> bytes:
    """Return 32-bit numbers, all of which fit in `typecode`, as the bytes of an array of it: their low bytes."""
    data = numbers.tobytes()
    if typecode == "I":
        return data
    step = 4 // array(typecode).itemsize
    return memoryview(data).cast(typecode)[0 if sys.byteorder == "little" else step - 1 :: step].tobytes()


# How a reading process ended when its time ran out: SIGALRM, from the timer serve() sets.
TIMED_OUT = -signal.SIGALRM
# How long past its time limit the server waits for a reading process's report before it gives up on the zygote.
REPORT_GRACE_SECONDS = 5
# A warden's report when it had no reader to watch.
NO_READER = -(2**31)
# Of a reader's error output, the server reads this much of the end: enough for the line naming a memory failure.
ERROR_TAIL_BYTES = 1 << 16
# The zygote starts isolated (-I: no environment variables, current directory or user packages) and
# without `site` (-S: a third of its start-up), so it is handed the only two places it imports from.
_CHILD_PATH = os.pathsep.join(
    os.path.dirname(os.path.dirname(os.path.abspath(package.__file__)))
    for package in (sys.modules[__name__], python_calamine)
)
_ZYGOTE = (
    "import os, sys; sys.path[:0] = sys.argv.pop(1).split(os.pathsep); "
    "from hqd.reading import fork_readers; fork_readers(int(sys.argv[1]))"
)


def fork_readers(control: int) -> None:
    """Run the zygote: fork a warden for each request on the control socket, until the server goes.

    A request is the pickled (limits, file name, seconds, deadline) with four descriptors: the file, where the
    answer and the error output go, and the socket the warden reports the exit code on.
    """
    requests = socket.socket(fileno=control)
    # Wardens are reaped by the kernel: the zygote waits for nothing but requests.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    # Readers end at their time limit by SIGALRM's default action, whatever the server was started with.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    while True:
        request, fds, _, _ = socket.recv_fds(requests, 1 << 16, 4)
        if not request:
            return
        try:
            warden = os.fork() if len(fds) == 4 else -1
        except OSError:
            warden = -1  # no process to be had: the server hears its report socket close without a report
        if warden == 0:
            # A warden is a copy of the zygote and must never go on as one.
            try:
                requests.close()
                _watch(request, *fds)
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)


def _watch(request: bytes, source: int, sink: int, errors: int, report: int) -> None:
    """In a warden: fork the reading process, wait for it, and report its exit code (negative: its signal).

    Reports NO_READER when it could not fork, or when the request came too late (the server gave up on it).
    """
    code = NO_READER
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        limits, file_name, seconds, deadline = pickle.loads(request)
        if time.monotonic() > deadline:
            return
        reader = os.fork()
        if reader == 0:
            try:
                os.close(report)
                for target, fd in enumerate((source, sink, errors)):
                    os.dup2(fd, target)
                    os.close(fd)
                serve(Limits(*limits), file_name, seconds)
                os._exit(0)
            except BaseException:
                # A MemoryError's name in the error output tells the server why (hqd.workbook._read_isolated).
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)
        code = _wait(reader, seconds)
    finally:
        try:
            os.write(report, struct.pack("i", code))
        finally:
            os._exit(0)


def _wait(reader: int, seconds: float) -> int:
    """Return the reader's exit code once it ends; end it a second after its own timer should have."""
    stopped = []

    def stop(signum, frame) -> None:
        stopped.append(True)
        with contextlib.suppress(ProcessLookupError):  # ended and reaped just before
            os.kill(reader, signal.SIGKILL)

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds + 1)
    code = os.waitstatus_to_exitcode(os.waitpid(reader, 0)[1])
    signal.setitimer(signal.ITIMER_REAL, 0)
    return TIMED_OUT if stopped and code == -signal.SIGKILL else code


class _Zygote:
    """The zygote of this server process, started when the first file is read and again should it end."""

    lock = threading.Lock()
    owner: int | None = None
    process: subprocess.Popen | None = None
    requests: socket.socket | None = None

    @classmethod
    def open_requests(cls) -> socket.socket:
        with cls.lock:
            # A process forked from the server (a test's racer) starts its own: the zygote is its parent's child.
            if cls.owner != os.getpid() or cls.process.poll() is not None:
                ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                with theirs:
                    command = [sys.executable, "-I", "-S", "-c", _ZYGOTE, _CHILD_PATH, str(theirs.fileno())]
                    # No environment to read (the database's password may be in it), no Rust backtraces in answers.
                    env = {"RUST_BACKTRACE": "0"}
                    cls.process = subprocess.Popen(
                        command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env
                    )
                cls.owner, cls.requests = os.getpid(), ours
            return cls.requests

    @classmethod
    def replace(cls, process: subprocess.Popen | None) -> None:
        """End this zygote (the next file starts another), unless it has been replaced already."""
        with cls.lock:
            if process is not None and cls.process is process and cls.owner == os.getpid():
                process.kill()
                cls.requests.close()
                cls.owner = None


def run_reader(content: bytes, file_name: str, limits: Limits, seconds: float) -> tuple[int, bytes, bytes]:
    """Return how a reading process of the content ended: its exit code, its answer and its error output.

    The exit code is TIMED_OUT when it read for longer than `seconds`. Raises OSError when no reading
    process could be had (no memory, too many processes, the zygote gone or stuck).

    A reader that did not end well (crashed, out of memory or time) has its zygote replaced: every reader is a
    copy of the zygote's memory, and one taken apart by a file must not tell the next file anything about it.
    """
    opened: list[int] = []
    ours = theirs = zygote = None
    try:
        for _ in range(3):
            opened.append(_scratch())
        source, answer, errors = opened
        ours, theirs = socket.socketpair()
        with open(source, "wb", closefd=False) as file:
            file.write(content)
        os.lseek(source, 0, os.SEEK_SET)
        deadline = time.monotonic() + seconds + REPORT_GRACE_SECONDS
        request = [pickle.dumps((tuple(limits), file_name, seconds, deadline))]
        requests = _Zygote.open_requests()
        zygote = _Zygote.process
        requests.settimeout(REPORT_GRACE_SECONDS)
        socket.send_fds(requests, request, [*opened, theirs.fileno()])
        theirs.close()
        ours.settimeout(seconds + 2 * REPORT_GRACE_SECONDS)
        with ours.makefile("rb") as report:
            (code,) = struct.unpack("i", report.read(4))
        if code == NO_READER:
            raise OSError("no reading process could be forked")
        if code != 0:
            _Zygote.replace(zygote)
        return code, _read_all(answer), _read_tail(errors, ERROR_TAIL_BYTES)
    except (OSError, struct.error) as error:
        # Gone, stuck or out of processes: the next file has a new zygote.
        _Zygote.replace(zygote)
        raise OSError("no reading process") from error
    finally:
        for end in (ours, theirs):
            if end is not None:
                end.close()
        for fd in opened:
            os.close(fd)


def _scratch() -> int:
    """Return a new anonymous file: in memory where the system gives such files."""
    try:
        return os.memfd_create("hqd-read")
    except (AttributeError, OSError):
        with tempfile.TemporaryFile() as file:
            return os.dup(file.fileno())


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    with open(fd, "rb", closefd=False) as file:
        return file.read()


def _read_tail(fd: int, size: int) -> bytes:
    return os.pread(fd, size, max(0, os.fstat(fd).st_size - size))


def memory_refusal(limits: Limits) -> WorkbookError:
    """Return the refusal of a file whose reading outgrew the child's memory."""
    return WorkbookError("read.memory", mb=limits.memory // 2**20)


def read_cells(content: bytes, file_name: str, limits: Limits) -> list[tuple[str, list[list]]]:
    """Return each sheet's name and rows of cell values from A1 ('' for empty), merged ranges filled.

    Formulas come back as their saved values, and as UNCALCULATED where the file holds none.
    Raises WorkbookError, with a code, for what cannot or may not be read.
    """
    if content.startswith(ZIP):
        scan = scan_zip(content, limits)
        sheets = _read_with_calamine(content, limits)
        if scan.unsaved_formulas:
            _mark_uncalculated(content, sheets)
        if scan.percent:
            _mark_percent(sheets, scan.percent)
        return sheets
    if content.startswith(OLE):
        if ENCRYPTED in content[: 1 << 20]:
            raise WorkbookError(PASSWORD)
        return _read_with_calamine(content, limits)
    if file_name.lower().endswith((".csv", ".txt")):
        return [(sheet_name(file_name), read_csv(content, limits, sheet_name(file_name)))]
    raise WorkbookError(NOT_A_TABLE)


def sheet_name(file_name: str) -> str:
    """Return the name a CSV file's only sheet goes by in messages: the file name."""
    return file_name.rsplit("/", 1)[-1] or "CSV"


# --- Refusals naming what is too large ----------------------------------------------------------


def column_letters(number: int) -> str:
    """Return the Excel letters of a 1-based column number (16384 -> XFD)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes) -> int:
    """Return the 1-based column number of Excel letters, in either case (b"xfd" -> 16384)."""
    number = 0
    for code in letters.upper():
        number = number * 26 + code - 64
    return number


def refuse_extent(sheet: str, rows: int, columns: int, limits: Limits) -> None:
    """Refuse a sheet whose cells, from A1, span more than the grid a reader may build."""
    area = f"A1:{column_letters(columns)}{rows}"
    raise WorkbookError("read.extent", sheet=sheet, area=area, rows=rows, columns=columns, max_cells=limits.max_cells)


def refuse_rows(rows: int, limits: Limits) -> None:
    """Refuse a file with more rows in all than the row cap."""
    raise WorkbookError("read.rows", rows=rows, max_rows=limits.max_rows)


# --- Zip containers (.xlsx, .xlsm, .ods): bounded unpacking and the pre-scan --------------------


class ZipScan:
    """What the pre-scan of a zip found: bytes unpacked, cells of all sheets, formulas without saved values."""

    def __init__(self) -> None:
        self.unpacked = self.cells = 0
        self.unsaved_formulas = False
        # Positions (0-based row, column) of numbers formatted as a percent, by sheet name.
        self.percent: dict[str, set[tuple[int, int]]] = {}
        # The cell styles (xlsx s="…") whose number format is a percent, once xl/styles.xml is read.
        self.percent_styles: frozenset[bytes] = frozenset()


def scan_zip(content: bytes, limits: Limits) -> ZipScan:
    """Unpack every member once, as a capped stream, refusing what no reader may be given.

    Refuses: an archive Python cannot read, an encrypted member, a compression other than
    deflate, more unpacked bytes than the cap (counted from the data itself, never from the
    sizes the zip claims), an XML part with a DTD, .xlsb, and a sheet whose cells span more
    than the grid budget.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        items = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as error:
        # NotImplementedError: a member claims a zip version or method Python cannot read.
        raise WorkbookError(BAD_ZIP) from error
    if len(items) > MAX_ZIP_MEMBERS:
        raise WorkbookError("read.zip_members", count=len(items))
    cap = min(limits.max_unpacked, limits.unpack_ratio * len(content))
    claimed = sum(item.file_size for item in items)
    if claimed > cap:
        raise WorkbookError("read.zip_claims", mb=round(claimed / 2**20))
    if any(item.filename.lower() == "xl/workbook.bin" for item in items):
        raise WorkbookError("read.xlsb")
    # The workbook, its relationships and styles first: they name the sheet parts scanned after
    # them and say which cell styles show a percent.
    items.sort(key=lambda item: not item.filename.endswith(KEPT_PARTS))
    scan, kept, names = ZipScan(), {}, {}
    for item in items:
        _check_member(archive, item)
        sheet = names.get(item.filename, item.filename)
        scan.unpacked += _scan_member(content, item, (cap - scan.unpacked, cap), sheet, scan, kept, limits)
        if item.filename in kept:
            names = _sheet_names(kept)
            scan.percent_styles = percent_styles(kept.get(STYLES, b""))
    return scan


def _check_member(archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> None:
    """Refuse a member that is encrypted or that Python's zip reader finds malformed."""
    if item.flag_bits & 0x1:
        raise WorkbookError(PASSWORD)
    if item.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise WorkbookError("read.compression")
    try:
        # Opening checks the member's local header against the directory; nothing is unpacked.
        archive.open(item).close()
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError) as error:
        raise WorkbookError(BAD_ZIP) from error


def _scan_member(
    content: bytes, item: zipfile.ZipInfo, budget: tuple[int, int], sheet: str, scan: ZipScan, kept: dict, limits
) -> int:
    """Unpack one member through the checks; return how many bytes it unpacked to.

    `budget` is (bytes it may still unpack to, the cap of the whole file).
    """
    name = item.filename
    keep = name.endswith(KEPT_PARTS)
    prolog, formulas = _Prolog(), _FormulaGate()
    cells: _Cells = _OdsCells(limits) if name == "content.xml" else _SheetCells(sheet, limits)
    styled = _PercentCells(scan.percent_styles, limits) if scan.percent_styles and name != sheet else None
    size, parts = 0, []
    for chunk in _unpack(content, item, budget):
        size += len(chunk)
        prolog.feed(chunk)
        formulas.feed(chunk)
        cells.feed(chunk)
        if keep:
            parts.append(chunk)
        if cells.odd:
            break
        if styled:
            styled.feed(chunk)
    if cells.odd:
        # Cells in a form the fast scan does not follow (no r="", prefixes): scan again, one by one.
        cells, size = _OrderedCells(sheet, limits), 0
        styled = _PercentCells(scan.percent_styles, limits) if styled else None
        for chunk in _unpack(content, item, budget):
            size += len(chunk)
            prolog.feed(chunk)
            formulas.feed(chunk)
            cells.feed(chunk)
            if styled:
                styled.feed(chunk)
    cells.close()
    if styled:
        styled.close()
        if styled.found:
            scan.percent[sheet] = styled.found
    if isinstance(cells, _OdsCells):
        scan.percent.update(cells.percent)
    if keep:
        kept[name] = b"".join(parts)
    scan.cells += cells.total
    if scan.cells > limits.max_cells:
        raise WorkbookError("read.cells_total", max_cells=limits.max_cells)
    scan.unsaved_formulas |= formulas.found
    return size


STYLES = "xl/styles.xml"
# The parts kept whole while scanning: they say which part is which sheet, and which style shows a percent.
KEPT_PARTS = ("workbook.xml", "workbook.xml.rels", STYLES)
# Excel's built-in number formats 0% and 0.00%.
BUILTIN_PERCENT_FORMATS = {9, 10}
CELL_XFS = re.compile(rb"<(?:[\w.\-]+:)?cellXfs\b[^>]*>(.*?)</(?:[\w.\-]+:)?cellXfs\s*>", re.S)
XF = re.compile(rb"<(?:[\w.\-]+:)?xf\b([^>]*)>")
NUM_FMT = re.compile(rb"<(?:[\w.\-]+:)?numFmt\s([^>]*)>")
# Parts of a format code that are no format: quoted text, escaped characters, [colours] and [conditions].
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def is_percent_format(code: str) -> bool:
    """Return whether an Excel number format shows numbers as a percent ("0%", "0.0%", not "0\\%" or '"%"')."""
    return "%" in FORMAT_LITERALS.sub("", code)


def percent_styles(styles: bytes) -> frozenset[bytes]:
    """Return the indices (as written in a cell's s="…") of the cell styles whose number format is a percent."""
    if not styles:
        return frozenset()
    custom = set()
    for tag in NUM_FMT.findall(styles):
        found = _attributes(tag)
        if found.get("numFmtId", "").isdigit() and is_percent_format(found.get("formatCode", "")):
            custom.add(int(found["numFmtId"]))
    section = CELL_XFS.search(styles)
    if section is None:
        return frozenset()
    found = set()
    for index, tag in enumerate(XF.findall(section[1])):
        number_format = _attributes(tag).get("numFmtId", "0")
        if number_format.isdigit() and int(number_format) in BUILTIN_PERCENT_FORMATS | custom:
            found.add(str(index).encode())
    return frozenset(found)


CELL_TAG = re.compile(rb"<c\s([^>]*)>")
STYLE_ATTRIBUTE = re.compile(rb'(?:^|\s)s\s*=\s*["\']?(\d+)')


class _TagScan:
    """Text of an XML part fed in chunks; each chunk scanned up to its last whole tag, the rest carried."""

    tail = b""

    def feed(self, chunk: bytes) -> None:
        text, self.tail = _carry(self.tail + chunk)
        self.scan(text)

    def close(self) -> None:
        self.scan(self.tail)
        self.tail = b""

    def scan(self, text: bytes) -> None:
        raise NotImplementedError


class _PercentCells(_TagScan):
    """The positions of a worksheet's cells whose style shows a percent, found as the part unpacks.

    Cells without r="" (rare, hand-made files) are not placed; their numbers are read as they are.
    """

    def __init__(self, styles: frozenset[bytes], limits: Limits) -> None:
        self.styles, self.limits = styles, limits
        self.found: set[tuple[int, int]] = set()
        self.tail = b""

    def scan(self, text: bytes) -> None:
        if b" s=" not in text and b"\ts=" not in text and b"\ns=" not in text:
            return
        for attributes in CELL_TAG.findall(text):
            style = STYLE_ATTRIBUTE.search(attributes)
            if style is None or style[1] not in self.styles:
                continue
            reference = REFERENCE.search(attributes)
            where = CELL_POSITION.fullmatch(reference[1]) if reference else None
            if where and where[1]:
                self.found.add((int(where[2]) - 1, column_number(where[1]) - 1))
        if len(self.found) > self.limits.max_cells:
            raise WorkbookError("read.cells_total", max_cells=self.limits.max_cells)


def _unpack(content: bytes, item: zipfile.ZipInfo, budget: tuple[int, int]):
    """Yield a member's bytes as they unpack, whatever sizes the zip claims; refuse past budget[0] bytes."""
    budget, cap = budget
    start = item.header_offset
    header = content[start : start + 30]
    if len(header) < 30 or not header.startswith(ZIP):
        raise WorkbookError(BAD_ZIP)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    at = start + 30 + name_length + extra_length
    if item.compress_type == zipfile.ZIP_STORED:
        data = content[at : at + max(item.compress_size, item.file_size)]
        if len(data) > budget:
            _refuse_unpacked(cap)
        for offset in range(0, len(data), CHUNK):
            yield data[offset : offset + CHUNK]
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for offset in range(at, len(content), CHUNK):
            piece = content[offset : offset + CHUNK]
            while piece and not inflater.eof:
                out = inflater.decompress(piece, CHUNK)
                piece = inflater.unconsumed_tail
                produced += len(out)
                if produced > budget:
                    _refuse_unpacked(cap)
                if out:
                    yield out
            if inflater.eof:
                return
    except zlib.error as error:
        raise WorkbookError(BAD_ZIP) from error


def _refuse_unpacked(cap: int) -> None:
    raise WorkbookError("read.unpacked", mb=round(cap / 2**20))


class _Prolog:
    """Refuses an XML part that declares a DTD; stops at the root element (or at the first non-XML byte)."""

    class _Root(Exception):
        pass

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._refuse
        self.parser.StartElementHandler = self._stop
        self.done = False

    def _refuse(self, *_) -> None:
        raise WorkbookError(DTD)

    def _stop(self, *_) -> None:
        raise self._Root

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        try:
            self.parser.Parse(chunk, False)
        except (self._Root, expat.ExpatError):
            # Past the prolog, or not XML at all (images, vbaProject.bin): no DTD can follow.
            self.done = True


def _carry(text: bytes) -> tuple[bytes, bytes]:
    """Split unpacked text before its last tag, which may continue in the next chunk."""
    cut = text.rfind(b"<")
    # A tag longer than this has its name and first attributes in the part scanned now.
    if cut < 0 or len(text) - cut > 4096:
        return text, b""
    return text[:cut], text[cut:]


# A formula followed by no saved value (<v/>, <v></v> or none) before its cell ends.
UNSAVED = re.compile(
    rb"(?:</(?:[\w.\-]+:)?f>|<(?:[\w.\-]+:)?f(?:\s[^>]*)?/>)\s*"
    rb"(?:<(?:[\w.\-]+:)?v\s*/>|<(?:[\w.\-]+:)?v>\s*</(?:[\w.\-]+:)?v>)?\s*</(?:[\w.\-]+:)?c>"
)
# The same as office suites and openpyxl write it, found by plain substring tests at C speed;
# spaces or prefixes around the tags call for the regex.
UNSAVED_PLAIN = (b"</f></c>", b"</f><v/></c>", b"</f><v /></c>", b"</f><v></v></c>", b"/></c>")
UNSAVED_HINTS = (b":f>", b":f ", b"</f> ", b"</f>\n", b"</f>\r", b"</f>\t")
PREFIXED_FORMULA = re.compile(rb":f[\s/>]")


class _FormulaGate:
    """Notes whether a part holds a formula cell without a saved value (only then is openpyxl needed)."""

    def __init__(self) -> None:
        self.found, self.tail = False, b""

    def feed(self, chunk: bytes) -> None:
        if self.found:
            return
        text = self.tail + chunk
        self.tail = text[-1024:]
        if b"<f" not in text and PREFIXED_FORMULA.search(text) is None:
            return
        self.found = any(form in text for form in UNSAVED_PLAIN) or (
            any(hint in text for hint in UNSAVED_HINTS) and UNSAVED.search(text) is not None
        )


class _Cells(_TagScan):
    """The extent of one part's cells from A1, followed as it unpacks."""

    odd = False

    def __init__(self, sheet: str, limits: Limits) -> None:
        self.sheet, self.limits = sheet, limits
        self.rows = self.columns = 0
        self.tail = b""

    @property
    def total(self) -> int:
        return self.rows * self.columns

    def grow(self, rows: int, columns: int) -> None:
        """Widen the extent to a cell, refusing it as soon as it passes the budget."""
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        if self.rows * self.columns > self.limits.max_cells:
            refuse_extent(self.sheet, self.rows, self.columns, self.limits)


# Cells as Excel, WPS, LibreOffice and openpyxl write them: <c r="B7" ...>.
PLAIN_CELL = b'<c r="'
CELL_REF = re.compile(rb'<c r="([A-Za-z]{1,5})(\d{1,10})"')
# Any other way to start a cell (another attribute first, no r="", a namespace prefix) sends the
# part to the slower scan that follows every cell. Counted at C speed: in sheetData only cells,
# and rich text's <color> and <charset>, start with "<c".
PREFIXED_CELL = re.compile(rb":c[\s/>]")
# <sheetData ...> (group 1 is "/" when it is empty) and </sheetData>.
SHEET_DATA = re.compile(rb"<(?:[\w.\-]+:)?sheetData(?:\s[^>]*?)?(/?)>")
SHEET_DATA_END = re.compile(rb"</(?:[\w.\-]+:)?sheetData\s*>")
DIMENSION = re.compile(
    rb'<(?:[\w.\-]+:)?dimension\s[^>]*?ref\s*=\s*["\'](?:[A-Za-z]{1,3}\d{1,7}:)?([A-Za-z]{1,3})(\d{1,7})["\']'
)


class _SheetCells(_Cells):
    """A worksheet's extent from its cell references, read at C speed while they stay inside a box.

    The box starts as the sheet's <dimension> (every office suite writes it) and follows the
    references read so far, doubling its rows, never larger than the budget: a chunk whose
    references all lie inside it (one regex search proves it) need not be read cell by cell.
    Empty styled cells count too (stricter than the readers, which skip them). Parts without
    <sheetData> (the calculation chain, charts) hold no cells.
    """

    def __init__(self, sheet: str, limits: Limits) -> None:
        super().__init__(sheet, limits)
        self.beyond: re.Pattern | None = None
        self.declared = (0, 0)
        self.in_data = False

    @property
    def total(self) -> int:
        return max(self.rows * self.columns, self.declared[0] * self.declared[1])

    def scan(self, text: bytes) -> None:
        while text:
            if not self.in_data:
                dimension = DIMENSION.search(text)
                if dimension and int(dimension[2]) * column_number(dimension[1]) <= self.limits.max_cells:
                    self.declared = (int(dimension[2]), column_number(dimension[1]))
                    self.beyond = _beyond(*self.declared, self.limits)
                data = SHEET_DATA.search(text) if b"sheetData" in text else None
                if data is None:
                    return
                self.in_data, text = not data[1], text[data.end() :]
                continue
            # Only the cells: what follows </sheetData> (conditional formats, breaks) is no cell.
            end = SHEET_DATA_END.search(text) if b"sheetData" in text else None
            self.scan_cells(text[: end.start()] if end else text)
            if end is None:
                return
            self.in_data, text = False, text[end.end() :]

    def scan_cells(self, text: bytes) -> None:
        spaced, plain, starts = text.count(b"<c "), text.count(PLAIN_CELL), text.count(b"<c")
        other = starts != spaced and starts - spaced != text.count(b"<co") + text.count(b"<ch")
        if spaced != plain or other or PREFIXED_CELL.search(text):
            self.odd = True
        elif plain and (self.beyond is None or self.beyond.search(text)):
            found = CELL_REF.findall(text)
            if len(found) != plain:
                # A reference of another shape (too long, an entity): the slower scan judges it.
                self.odd = True
                return
            letters = max({c for c, _ in found}, key=lambda c: (len(c), c.upper()))
            self.grow(max(int(r) for r in {r for _, r in found}), column_number(letters))
            columns = max(self.columns, self.declared[1])
            rows = max(2 * self.rows, self.declared[0], 1024)
            self.beyond = _beyond(min(rows, self.limits.max_cells // columns), columns, self.limits)


def _beyond(rows: int, columns: int, limits: Limits) -> re.Pattern:
    """Return a regex finding a plain cell reference outside A1 to the given corner, or a larger one.

    Rounded up to all numbers of as many digits and all columns of as many letters (A1:ZZ99999)
    where that stays within the budget: the regex is then two character classes, twice as fast.
    """
    rounded_rows, rounded_columns = 10 ** len(str(rows)) - 1, column_number(b"Z" * len(column_letters(columns)))
    if rounded_rows * rounded_columns <= limits.max_cells:
        rows, columns = rounded_rows, rounded_columns
    elif rounded_rows * columns <= limits.max_cells:
        rows = rounded_rows
    return re.compile(
        rb'<c r="(?:(?:%s)\d|[A-Za-z]+0*(?:%s)")' % (_letters_after(column_letters(columns)), _number_after(rows))
    )


def _number_after(number: int) -> bytes:
    """Return a regex for decimal numbers (no leading zeros) greater than `number`."""
    digits = str(number)
    options = [rb"[1-9]\d{%d,}" % len(digits)]
    for i, digit in enumerate(digits):
        if digit != "9":
            options.append(b"%s[%d-9]\\d{%d}" % (digits[:i].encode(), int(digit) + 1, len(digits) - i - 1))
    return b"|".join(options)


def _letters_after(letters: str) -> bytes:
    """Return a regex for column letters (either case) after `letters` (same length or longer)."""
    options = [rb"[A-Za-z]{%d,}" % (len(letters) + 1)]
    for i, letter in enumerate(letters):
        if letter != "Z":
            same = b"".join(b"[%s%s]" % (c.encode(), c.lower().encode()) for c in letters[:i])
            after = chr(ord(letter) + 1)
            options.append(
                b"%s[%s-Z%s-z][A-Za-z]{%d}" % (same, after.encode(), after.lower().encode(), len(letters) - i - 1)
            )
    return b"|".join(options)


ORDERED_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])([^>]*)>")
REFERENCE = re.compile(rb'(?:^|\s)r\s*=\s*["\']([^"\']*)["\']')
CELL_POSITION = re.compile(rb"([A-Za-z]{1,5})(\d{1,10})|([A-Za-z]{1,5})|(\d{1,10})")


class _OrderedCells(_Cells):
    """A worksheet's extent from every <row> and <c> in order, positions counted where r="" is missing."""

    def __init__(self, sheet: str, limits: Limits) -> None:
        super().__init__(sheet, limits)
        self.row = self.column = self.cells = 0
        self.in_data = False

    def scan(self, text: bytes) -> None:
        if not self.in_data:
            data = SHEET_DATA.search(text)
            if data is None:
                return
            self.in_data, text = True, text[data.end() :]
        for kind, attributes in ORDERED_TOKEN.findall(text):
            reference = REFERENCE.search(attributes)
            where = CELL_POSITION.fullmatch(reference[1]) if reference else None
            if reference and not where:
                raise WorkbookError("read.cell_position", sheet=self.sheet)
            if kind == b"row":
                self.row = int(where[4]) if where and where[4] else self.row + 1
                self.column = 0
                continue
            if where and where[1]:
                self.row, self.column = int(where[2]), column_number(where[1])
            else:
                self.column += 1
            if not attributes.endswith(b"/"):
                self.cells += 1
                if self.cells > self.limits.max_cells:
                    raise WorkbookError("read.sheet_cells", sheet=self.sheet, max_cells=self.limits.max_cells)
                self.grow(self.row, self.column)


ODS_TOKEN = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
REPEATED = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\'](\d{1,12})["\']')
TABLE_NAME = re.compile(rb'table:name\s*=\s*"([^"]*)"|table:name\s*=\s*\'([^\']*)\'')


class _OdsCells(_Cells):
    """Each ODS table's extent from A1, with number-rows-repeated and number-columns-repeated expanded.

    As the readers do, empty cells and trailing empty rows take no room; a repeated cell with a
    value fills every row and column it repeats over.
    """

    def __init__(self, limits: Limits) -> None:
        super().__init__("", limits)
        self.sum = 0
        self.row = self.row_repeat = self.column = 0
        # Positions of cells of value-type "percentage" (0.06 shown as 6%), by table name.
        self.percent: dict[str, set[tuple[int, int]]] = {}
        self.marked = 0

    @property
    def total(self) -> int:
        return self.sum + self.rows * self.columns

    def scan(self, text: bytes) -> None:
        for kind, attributes in ODS_TOKEN.findall(text):
            repeat = 1
            if b"repeated" in attributes:
                found = REPEATED.search(attributes)
                repeat = int(found[1]) if found else 1
            if kind == b"table":
                self.sum += self.rows * self.columns
                name = TABLE_NAME.search(attributes)
                self.sheet = html.unescape((name[1] or name[2] or b"").decode("utf-8", "replace")) if name else ""
                self.rows = self.columns = self.row = self.row_repeat = self.column = 0
            elif kind == b"table-row":
                self.row += self.row_repeat
                self.row_repeat, self.column = repeat, 0
            else:
                if b"value-type" in attributes:
                    self.grow(self.row + self.row_repeat, self.column + repeat)
                    if PERCENTAGE.search(attributes):
                        self.mark_percent(repeat)
                self.column += repeat

    def mark_percent(self, repeat: int) -> None:
        """Note the cells this percentage cell covers (its repeats within the grid budget, checked by grow)."""
        self.marked += self.row_repeat * repeat
        if self.marked > self.limits.max_cells:
            raise WorkbookError("read.cells_total", max_cells=self.limits.max_cells)
        spots = self.percent.setdefault(self.sheet, set())
        for row in range(self.row, self.row + self.row_repeat):
            spots.update((row, column) for column in range(self.column, self.column + repeat))


PERCENTAGE = re.compile(rb'value-type\s*=\s*["\']percentage["\']')
ATTRIBUTE = re.compile(rb'([\w.:\-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def _attributes(tag: bytes) -> dict[str, str]:
    return {
        name.decode("ascii", "replace"): html.unescape((double or single).decode("utf-8", "replace"))
        for name, double, single in ATTRIBUTE.findall(tag)
    }


def _sheet_names(kept: dict[str, bytes]) -> dict[str, str]:
    """Return {part path: sheet name} from xl/workbook.xml and its relationships, for messages."""
    workbook, relations = kept.get("xl/workbook.xml"), kept.get("xl/_rels/workbook.xml.rels")
    if not workbook or not relations:
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:[\w.\-]+:)?Relationship\s([^>]*)>", relations):
        found = _attributes(tag)
        target = found.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[found.get("Id")] = path
    names = {}
    for tag in re.findall(rb"<(?:[\w.\-]+:)?sheet\s([^>]*)>", workbook):
        found = _attributes(tag)
        key = next((v for k, v in found.items() if k.endswith(":id")), None)
        if key in targets and "name" in found:
            names[targets[key]] = found["name"]
    return names


# --- Reading the cells ---------------------------------------------------------------------------


def _read_with_calamine(content: bytes, limits: Limits) -> list[tuple[str, list[list]]]:
    """Return each sheet's rows from A1, read with calamine, within the row and grid limits."""
    try:
        book = load_workbook(io.BytesIO(content))
        loaded = [(name, book.get_sheet_by_name(name)) for name in book.sheet_names]
        # Each sheet's grid exists now: its extent is checked before any of it becomes Python objects.
        rows = cells = 0
        for name, sheet in loaded:
            height, width = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            if height * width > limits.max_cells:
                refuse_extent(name, height, width, limits)
            rows, cells = rows + height, cells + height * width
        if rows > limits.max_rows:
            refuse_rows(rows, limits)
        if cells > limits.max_cells:
            raise WorkbookError("read.cells_total", max_cells=limits.max_cells)
        out = []
        for name, sheet in loaded:
            grid = sheet.to_python(skip_empty_area=False)
            _fill_merged(name, grid, sheet.merged_cell_ranges or [], limits)
            out.append((name, grid))
        return out
    except PasswordError as error:
        raise WorkbookError(PASSWORD) from error
    except CalamineError as error:
        raise WorkbookError("read.corrupt_detail", detail=str(error)) from error
    except BaseException as error:
        # calamine panics on some malformed .xls; pyo3's PanicException is not an Exception.
        if type(error).__name__ != "PanicException":
            raise
        raise WorkbookError("read.corrupt_detail", detail=str(error)) from error


def _fill_merged(sheet: str, grid: list[list], ranges, limits: Limits) -> None:
    """Copy, in place, each merged range's value into all of its cells (within the grid)."""
    height, width = len(grid), len(grid[0]) if grid else 0
    filled = 0
    for (top, left), (bottom, right) in ranges:
        if top >= height or left >= width:
            continue
        bottom, right = min(bottom, height - 1), min(right, width - 1)
        filled += max(0, bottom - top + 1) * max(0, right - left + 1)
        if filled > limits.max_cells:
            raise WorkbookError("read.merged", sheet=sheet)
        value = grid[top][left]
        for r in range(top, bottom + 1):
            grid[r][left : right + 1] = [value] * (right - left + 1)


def _mark_percent(sheets: list[tuple[str, list[list]]], percent: dict[str, set[tuple[int, int]]]) -> None:
    """Turn, in place, each number in a cell formatted as a percent into a PercentNumber."""
    for name, grid in sheets:
        for r, c in percent.get(name, ()):
            if r < len(grid) and c < len(grid[r]):
                value = grid[r][c]
                if type(value) in (int, float):
                    grid[r][c] = PercentNumber(value)


def _mark_uncalculated(content: bytes, sheets: list[tuple[str, list[list]]]) -> None:
    """Mark, in place, formula cells that calamine read as empty: the file has no saved value.

    A formula whose saved result is the empty string (Excel's =IF(...,"",...)) stays blank.
    """
    from openpyxl import load_workbook as load_openpyxl

    grids = dict(sheets)
    empty: dict[str, set[tuple[int, int]]] = {}
    try:
        book = load_openpyxl(io.BytesIO(content), read_only=True, data_only=False)
        try:
            for name, grid in grids.items():
                if name not in book.sheetnames:
                    continue
                for row in book[name].iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str) and cell.value.startswith("="):
                            r, c = cell.row - 1, cell.column - 1
                            if r < len(grid) and c < len(grid[r]) and grid[r][c] in ("", None):
                                empty.setdefault(name, set()).add((r, c))
        finally:
            book.close()
        if not empty:
            return
        # Only the saved values keep the cell type: t="str" is a saved text result, here "".
        book = load_openpyxl(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for name, spots in empty.items():
                for row in book[name].iter_rows():
                    for cell in row:
                        if cell.data_type == "str":
                            spots.discard((cell.row - 1, cell.column - 1))
                for r, c in spots:
                    grids[name][r][c] = UNCALCULATED
        finally:
            book.close()
    except (WorkbookError, MemoryError):
        raise
    except Exception as error:
        # openpyxl and zipfile are stricter than calamine (CRCs, parts calamine skips): corrupt all the same.
        raise WorkbookError("read.corrupt_detail", detail=str(error)) from error


def read_csv(content: bytes, limits: Limits, name: str) -> list[list]:
    """Return a CSV file as rows of text cells of equal length, finding its encoding and delimiter."""
    text = _decode(content)
    if "\x00" in text:
        raise WorkbookError("read.csv_binary")
    sample = text[:20000]
    lines = sample.splitlines()
    # A delimiter is on every line; one long note full of "，" must not outvote it.
    delimiter = max([",", "\t", ";", "，"], key=lambda d: (sum(d in line for line in lines), sample.count(d)))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list] = []
    width = count = 0
    start = 1
    try:
        for row in reader:
            count += 1
            if count > limits.max_rows:
                # Count the rest for the message; keep none of it.
                continue
            width = max(width, len(row))
            if count * width > limits.max_cells:
                refuse_extent(name, count, width, limits)
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise WorkbookError("read.csv_field", row=start, limit=csv.field_size_limit()) from error
        raise WorkbookError("read.csv_format", row=start, detail=str(error)) from error
    if count > limits.max_rows:
        refuse_rows(count, limits)
    return [r + [""] * (width - len(r)) for r in rows]


def _decode(content: bytes) -> str:
    """Return the text of a CSV: UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8 or GB18030."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise WorkbookError("read.encoding") from error
    for encoding in TEXT_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WorkbookError("read.encoding")
