"""Settings of HQD, each defined once; the environment may override the deployment ones."""

from __future__ import annotations

import os
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SAMPLE_WORKBOOK = DATA_DIR / "sample_data.xlsx"
SAMPLE_USER = "示例数据"
# The file name recorded for the catalog loaded on first start (kept as stored in existing databases).
DEFAULT_CATALOG = "默认指标目录(示例数据)"
# The file name recorded for the sample's supervision reports (explanations, milestones done, progress).
SAMPLE_REPORTS = "示例督办数据"
# The browser tab's icon, served by the app itself: an intranet reaches no font host on the internet.
PAGE_ICON = ROOT / "assets" / "hqd-icon.png"


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs of the progress method (docs/METHOD.md)."""

    on_track: float = 0.95
    at_risk: float = 0.60
    likely: float = 0.95
    near_miss: float = 0.80
    confident_points: int = 3
    min_coverage: float = 0.75
    # Within a year (hqd.inyear): the gap of completion to expected progress to date, in percentage points.
    # At or above minus the first it is on pace; down to minus the second slightly behind; below that behind.
    in_year_on_pace_points: float = 0.0
    in_year_behind_points: float = 10.0


THRESHOLDS = Thresholds()


def seasonal_pace() -> bool:
    """Tell whether a year-to-date target is due by last year's monthly shape, not evenly (HQD_SEASONAL_PACE=1).

    Off by default: m/12 of the annual target by the end of month m.
    """
    return os.environ.get("HQD_SEASONAL_PACE", "").lower() in {"1", "true", "yes"}


# --- Leaders (issue 13): reviewed lights (人工研判), instructions (批示), key tasks in the score ---
# The longest reason of a reviewed light, and the longest instruction or answer, in characters.
MAX_REVIEW_REASON = 500
MAX_INSTRUCTION_TEXT = 1000
# The share of a programme's score given to its key tasks where they count (key_tasks_in_score).
KEY_TASK_WEIGHT = 0.2


def _switch(variable: str) -> bool:
    return os.environ.get(variable, "").lower() in {"1", "true", "yes"}


def reviews_count() -> bool:
    """Tell whether roll-ups and status counts take a reviewed light (人工研判) instead of the computed one
    (HQD_REVIEWS_COUNT=1). Off by default: a review is shown beside the computed light; scores never change."""
    return _switch("HQD_REVIEWS_COUNT")


def key_tasks_in_score() -> bool:
    """Tell whether key-task completion is weighted into a programme's score (HQD_KEY_TASKS_IN_SCORE=1).

    Off by default: key tasks are shown beside the indicator score, never in it (docs/METHOD.md §8).
    """
    return _switch("HQD_KEY_TASKS_IN_SCORE")


def key_task_weight() -> float:
    """Return the share of a programme's score its key tasks take where they count (HQD_KEY_TASK_WEIGHT, 0–1)."""
    weight = float(os.environ.get("HQD_KEY_TASK_WEIGHT") or KEY_TASK_WEIGHT)
    return min(max(weight, 0.0), 0.9)


# A value more than this many times (or under its inverse) the year before's is worth a second look.
JUMP_RATIO = 3.0
# The same value this many years running is flagged in data quality (figures copied forward).
STALE_YEARS = 3

# Limits on uploads: the page and the command line refuse larger files with a clear message.
MAX_UPLOAD_BYTES = 20 * 2**20
MAX_ROWS = 500_000
# A workbook is a zip; one that unpacks to far more than its size is refused as a zip bomb.
MAX_UNPACKED_BYTES = 400 * 2**20
MAX_UNPACK_RATIO = 100
# Every upload is read in a child process with at most this much memory and time (hqd.reading).
READ_MEMORY_BYTES = 2**30
READ_SECONDS = 8
# The cells a file's sheets may span from A1 (rows × columns, all sheets together): a template is
# about 60 × 20, a long form at the row cap 500,000 × 4 to 6. Past it a file is refused before any
# reader builds its dense grid (one far-away cell, XFD1048576, would ask for 550 GB); within it the
# grid costs the server at most 8 bytes a cell (24 MB).
MAX_GRID_CELLS = 3_000_000

# What a department reports beside its figures (issue 13: explanations, key-task progress, evidence).
# The most characters of 原因分析 and of 整改措施 each, and of a key task's 进展情况.
MAX_EXPLANATION_CHARS = 1000
MAX_PROGRESS_CHARS = 2000
# The largest evidence file (a PDF, image or Office document) a key task's progress may carry.
MAX_EVIDENCE_BYTES = 10 * 2**20
# The file name recorded for a report made in a page's form rather than uploaded (worded by hqd.i18n.file_label).
FORM_FILE = "表单填报"
# Supervision (督办, docs/METHOD.md §12): an indicator behind at a reporting period (a year's month) is explained by
# its department by this day of the following month (day 10: the office's 10th-of-the-month round, after the
# figures of the month are out); still unexplained this many days after that day, it is overdue (逾期), counted
# in days from the deadline.
EXPLANATION_DUE_DAY = 10
EXPLANATION_OVERDUE_DAYS = 5

# Sign-in: after this many failed attempts in a row an account is locked for LOCK_MINUTES.
MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8


def session_minutes() -> int:
    """Return after how many idle minutes a signed-in session ends (HQD_SESSION_MINUTES, default 60)."""
    return int(os.environ.get("HQD_SESSION_MINUTES") or 60)


def reading_requires_sign_in() -> bool:
    """Tell whether even the reading pages need a signed-in user (HQD_READ_REQUIRES_SIGNIN=1)."""
    return os.environ.get("HQD_READ_REQUIRES_SIGNIN", "").lower() in {"1", "true", "yes"}


def trusted_header() -> str | None:
    """Return the header a reverse proxy sets to the signed-in user name (HQD_TRUSTED_HEADER), if any.

    Off by default: only a proxy that removes this header from clients' requests may set it.
    """
    return os.environ.get("HQD_TRUSTED_HEADER") or None


class ProxySettingError(ValueError):
    """HQD_TRUSTED_PROXIES holds something that is not an IP address or network."""

    def __init__(self, entry: str):
        self.entry = entry
        # The words are made where it is shown (hqd.i18n "auth.bad_proxies"); this names the setting and the entry.
        super().__init__(f"HQD_TRUSTED_PROXIES: {entry!r}")


def trusted_proxies() -> list[IPv4Network | IPv6Network]:
    """Return the networks the reverse proxy connects from (HQD_TRUSTED_PROXIES, comma-separated CIDRs).

    The trusted header is believed only on connections from these addresses. Behind a proxy the
    address the app sees is the proxy's own, so that is the address to list (127.0.0.1/32 when
    the proxy runs on the same machine; SECURITY.md says why X-Forwarded-For must not move it).
    Raises ProxySettingError naming an entry that is not an address or network.
    """
    networks = []
    for entry in os.environ.get("HQD_TRUSTED_PROXIES", "").split(","):
        if not entry.strip():
            continue
        try:
            # Host bits are allowed: 10.0.0.7/24 means the network 10.0.0.0/24.
            networks.append(ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ProxySettingError(entry.strip()) from None
    return networks


# SQLite waits this long for another writer before telling the user to try again.
SQLITE_BUSY_SECONDS = 15.0


def database_url() -> str:
    """Return the database URL: HQD_DATABASE_URL, else the SQLite file in data/."""
    return os.environ.get("HQD_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'hqd.db'}"


# Times are stored in UTC; a person reads and writes them in one zone's local time, everywhere
# (pages, links, the audit log, the command line): HQD_TIMEZONE, else this one.
TIMEZONE = "Asia/Shanghai"


class TimezoneSettingError(ValueError):
    """HQD_TIMEZONE names no time zone this machine knows."""

    def __init__(self, name: str):
        self.name = name
        # The words are made where it is shown (settings.bad_timezone in hqd.i18n).
        super().__init__(name)


def timezone() -> str:
    """Return the time zone people read times in (HQD_TIMEZONE, an IANA name; default TIMEZONE).

    Raises TimezoneSettingError naming a zone this machine does not know.
    """
    name = (os.environ.get("HQD_TIMEZONE") or "").strip() or TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimezoneSettingError(name) from None
    return name


# The briefing documents (hqd.bulletin): the browser that draws their charts and prints the PDF, and the
# office that issues them. Debian's Chromium by default (HQD_CHROMIUM names another); the issuing office and
# the zone are worded in hqd.i18n unless HQD_BULLETIN_ZONE / HQD_BULLETIN_ISSUER name them.
CHROMIUM = "/usr/bin/chromium"
# What a chart or the PDF may take in the browser before the document is refused rather than left waiting.
BROWSER_SECONDS = 120


def chromium_path() -> str:
    """Return the path of the Chromium that renders the bulletin's charts and PDF (HQD_CHROMIUM)."""
    return (os.environ.get("HQD_CHROMIUM") or "").strip() or CHROMIUM


def bulletin_names() -> dict[str, str]:
    """Return the zone and the issuing office an administrator set (HQD_BULLETIN_ZONE, HQD_BULLETIN_ISSUER)."""
    names = {"zone": os.environ.get("HQD_BULLETIN_ZONE", ""), "issuer": os.environ.get("HQD_BULLETIN_ISSUER", "")}
    return {key: value.strip() for key, value in names.items() if value.strip()}
