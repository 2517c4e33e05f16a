"""Names, colours and symbols shown for codes of the domain, in Chinese and English."""

from __future__ import annotations

import pandas as pd

# Order is severity for display; colour is never shown alone, hence the symbol.
STATUSES = pd.DataFrame(
    [
        ("achieved", "已完成", "Achieved", "#1b5e20", "★"),
        ("on_track", "达到序时进度", "On schedule", "#43a047", "●"),
        ("at_risk", "略低于序时进度", "Slightly behind schedule", "#f9a825", "▲"),
        ("lagging", "明显滞后", "Well behind schedule", "#ef6c00", "▼"),
        # In the target year a target is met or not: no schedule is left to be behind.
        ("missed", "未完成", "Target missed", "#d84315", "✗"),
        ("regressing", "低于基期", "Below baseline", "#c62828", "✖"),
        ("insufficient_data", "数据不足", "Insufficient data", "#9e9e9e", "◌"),
        ("no_data", "无数据", "No data", "#bdbdbd", "○"),
    ],
    columns=["status", "zh", "en", "colour", "symbol"],
).set_index("status")

# A key task's or milestone's standing (hqd.keytasks), coloured and marked like the indicator statuses it echoes;
# its words, 滞后 N 天 with its days, are in hqd.i18n (keytask.status_*).
KEY_TASK_STATUSES = pd.DataFrame(
    [
        ("done", STATUSES.loc["achieved", "colour"], "★", "star"),
        ("on_schedule", STATUSES.loc["on_track", "colour"], "●", "circle"),
        ("late", STATUSES.loc["regressing", "colour"], "▼", "triangle-down"),
        ("not_started", STATUSES.loc["no_data", "colour"], "○", "circle-open"),
    ],
    columns=["status", "colour", "symbol", "marker"],
).set_index("status")

# A target in its target year: met or not (hqd.assessment); met keeps the symbol and colour of `achieved`.
OUTCOMES = pd.DataFrame(
    [
        ("met", "已完成", "Met", STATUSES.loc["achieved", "colour"], STATUSES.loc["achieved", "symbol"]),
        ("not_met", "未完成", "Not met", "#c62828", "✖"),
        ("no_data", "无数据", "No data", STATUSES.loc["no_data", "colour"], STATUSES.loc["no_data", "symbol"]),
    ],
    columns=["outcome", "zh", "en", "colour", "symbol"],
).set_index("outcome")

PROJECTIONS = pd.DataFrame(
    [
        ("likely", "有望完成", "Likely"),
        ("near_miss", "接近目标", "Near miss"),
        ("off_track", "难以完成", "Off track"),
    ],
    columns=["projection", "zh", "en"],
).set_index("projection")

DIRECTIONS = pd.DataFrame(
    [
        ("up", "正向指标", "Higher-is-better indicator"),
        ("down", "逆向指标", "Lower-is-better indicator"),
        ("milestone", "节点性目标", "Milestone target"),
    ],
    columns=["direction", "zh", "en"],
).set_index("direction")

# How often an indicator is reported, and what kind of figure it is (indicator_meta.csv).
FREQUENCIES = pd.DataFrame(
    [("month", "月度", "Monthly"), ("quarter", "季度", "Quarterly"), ("year", "年度", "Yearly")],
    columns=["frequency", "zh", "en"],
).set_index("frequency")
VALUE_KINDS = pd.DataFrame(
    [
        ("cumulative", "累计值（自年初累计）", "Year-to-date total"),
        ("stock", "时点值", "Level at a point in time"),
        ("rate", "比率", "Rate, share or average"),
        ("milestone", "节点性目标", "Stage reached"),
    ],
    columns=["kind", "zh", "en"],
).set_index("kind")

# Where the annual target in effect comes from (hqd.inyear.annual_target_table): an admin's 年度目标, else the
# indicator's trajectory; the Chinese is also what the annual-targets template writes in its 来源 column.
ANNUAL_TARGET_SOURCES = pd.DataFrame(
    [("annual_target", "年度目标", "Annual target"), ("trajectory", "规划轨迹", "Plan trajectory")],
    columns=["source", "zh", "en"],
).set_index("source")

AUDIT_ACTIONS = pd.DataFrame(
    [
        ("sign_in", "登录", "Sign-in"),
        ("sign_in_failed", "登录失败", "Failed sign-in"),
        ("sign_out", "退出登录", "Sign-out"),
        ("upload_previewed", "预览上传", "Upload previewed"),
        ("upload_committed", "提交上传", "Upload committed"),
        ("rollback", "撤销上传", "Rollback"),
        ("catalog_changed", "修改指标目录", "Catalog changed"),
        ("account_changed", "账号变动", "Account changed"),
        ("sample_removed", "删除示例数据", "Sample data removed"),
        ("restore", "从备份恢复", "Restored from backup"),
        ("upload_refused", "拒绝上传（非本单位指标）", "Upload refused (another department's items)"),
        ("rollback_refused", "拒绝撤销（含非本单位内容）", "Rollback refused (another department's items)"),
        ("light_reviewed", "人工研判", "Light reviewed"),
        ("instruction_given", "批示", "Instruction given"),
        ("instruction_answered", "答复批示", "Instruction answered"),
        ("answer_refused", "拒绝答复批示（非本单位批示）", "Answer refused (another department's instruction)"),
    ],
    columns=["action", "zh", "en"],
).set_index("action")

# The roles of hqd.policy.ROLES.
ROLE_NAMES = pd.DataFrame(
    [
        ("viewer", "查看人员", "Viewer"),
        ("analyst", "分析人员", "Analyst"),
        ("leader", "领导", "Leader"),
        ("editor", "填报人员", "Editor"),
        ("admin", "管理员", "Admin"),
    ],
    columns=["role", "zh", "en"],
).set_index("role")


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
QUARTERS_ZH = {3: "一", 6: "二", 9: "三", 12: "四"}
FIRST_QUARTERS = {3: ("一季度", "Q1 {year}"), 6: ("上半年", "H1 {year}"), 9: ("前三季度", "Q1–Q3 {year}")}


def format_period(year: int, month: int = 12, lang: str = "zh", kind: str | None = None) -> str:
    """Return a reporting period as an office writes it: 2026年, 2026年1—10月, 2026年10月, 2026年三季度.

    `kind` is what the figure covers (hqd.intake.PERIOD_KINDS): "year", "ytd" (January to `month`),
    "month", "quarter" (the quarter ending in `month`) or "first_quarters" (上半年, 前三季度); None is
    the year at month 12 and the month otherwise. In English: 2026, Jan–Oct 2026, Oct 2026, Q3 2026.
    """
    month = int(month)
    if kind is None:
        kind = "year" if month == 12 else "month"
    if kind == "year" or (kind in ("ytd", "first_quarters") and month == 12):
        return f"{year}年" if lang == "zh" else f"{year}"
    if kind == "ytd" and month > 1:
        return f"{year}年1—{month}月" if lang == "zh" else f"Jan–{MONTHS_EN[month - 1]} {year}"
    if kind == "quarter" and month in QUARTERS_ZH:
        return f"{year}年{QUARTERS_ZH[month]}季度" if lang == "zh" else f"Q{month // 3} {year}"
    if kind == "first_quarters" and month in FIRST_QUARTERS:
        zh, en = FIRST_QUARTERS[month]
        return f"{year}年{zh}" if lang == "zh" else en.format(year=year)
    return f"{year}年{month}月" if lang == "zh" else f"{MONTHS_EN[month - 1]} {year}"


def period_kind(frequency: str, value_kind: str, month: int) -> str:
    """Return the kind of period an indicator's figure at `month` is reported as (a kind of format_period).

    A year-to-date total is 1—m月 (the year at December); a quarterly level is its quarter's; a
    monthly level its month's; a yearly figure the year's.
    """
    if month == 12 and frequency == "year":
        return "year"
    if value_kind == "cumulative":
        return "ytd"
    return "quarter" if frequency == "quarter" and month % 3 == 0 else "month"


# The numbers of an official document's headings (一、 （一）), up to ninety-nine.
NUMERALS_ZH = "〇一二三四五六七八九"


def numeral(number: int, lang: str = "zh") -> str:
    """Return a heading's number as the office writes it: 一, 十二, 二十 (1, 12, 20 in English)."""
    if lang != "zh":
        return str(number)
    tens, ones = divmod(int(number), 10)
    if tens == 0:
        return NUMERALS_ZH[ones]
    return ("" if tens == 1 else NUMERALS_ZH[tens]) + "十" + (NUMERALS_ZH[ones] if ones else "")
