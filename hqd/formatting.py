"""Numbers and times as Chinese (and English) readers expect them: 1,234.5 亿元, 68.2%."""

from __future__ import annotations

import math
import re

import pandas as pd

from hqd.settings import timezone

# English names of the catalog's units; a unit not listed is shown as the catalog has it.
UNITS_EN = {
    "亿元": "100M CNY",
    "亿美元": "100M USD",
    "万元/亩": "10k CNY/mu",
    "吨标准煤/万元": "tce/10k CNY",
    "个": "",
    "家": "firms",
    "件": "items",
    "项": "projects",
    "人": "people",
    "人次": "person-times",
    "户": "firms",
    "所": "sites",
    "阶段": "stage",
    "工作日": "working days",
    "%": "%",
}

# Units of things counted one by one: a planned 2,106.5 people is read as an error, so counts are whole.
COUNT_UNITS = frozenset({"个", "家", "人", "项", "件", "户", "所", "人次"})
# A minus before a zero that only rounding made ("-0%", "-0.0 亿元"); a real "-0.5" is left alone.
_NEGATIVE_ZERO = re.compile(r"[-−](0(?:\.0+)?)(?![\d.])")


def _blank(value) -> bool:
    """Tell whether a single value is missing: None, NaN, pd.NA or NaT (a time column's empty cell)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def format_unit(unit: str, lang: str = "zh") -> str:
    """Return the unit in the language."""
    return unit if lang == "zh" else UNITS_EN.get(unit, unit)


def format_number(value, decimals: int | None = None) -> str:
    """Return a number with thousands separators; whole numbers without decimals by default."""
    if _blank(value):
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (3 if abs(value) < 1 else 1 if abs(value) < 1e5 else 0)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text and decimals > 1 else text


def format_value(value, unit: str, lang: str = "zh", decimals: int | None = None) -> str:
    """Return a value with its unit: 1,234.5 亿元, 68.2%, 12 家."""
    if _blank(value):
        return "—"
    number = format_number(value, decimals)
    unit = format_unit(unit, lang)
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def value_text(value, unit: str, lang: str = "zh") -> str:
    """Return a value with its unit for a label: counts whole (2,107 人), never a negative zero."""
    if unit in COUNT_UNITS and pd.notna(value):
        # Half up, as a person rounds (2,106.5 -> 2,107); Python's own rounding goes to the even number.
        value = math.copysign(math.floor(abs(value) + 0.5), value)
        return drop_negative_zero(format_value(value, unit, lang, 0))
    return drop_negative_zero(format_value(value, unit, lang))


def drop_negative_zero(text: str) -> str:
    """Return text without a sign on a number that rounds to zero: "-0%" -> "0%"."""
    return _NEGATIVE_ZERO.sub(r"\1", text)


def format_score(value) -> str:
    """Return a 0–100 score with one decimal."""
    return "—" if _blank(value) else f"{value:.1f}"


def format_change(value, decimals: int = 1) -> str:
    """Return a signed change: +3.2, −1.0 (a true minus sign), 0.0."""
    if _blank(value):
        return "—"
    text = f"{abs(value):,.{decimals}f}"
    if round(value, decimals) == 0:
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def format_share(value, decimals: int = 0) -> str:
    """Return a fraction as a percentage: 0.672 -> 67%."""
    return "—" if _blank(value) else f"{value * 100:,.{decimals}f}%"


def share_text(value) -> str:
    """Return a fraction as a whole percentage with a true minus sign, never "-0%": −28%, 67%."""
    if value is None or pd.isna(value):
        return "—"
    # Half away from zero, as the grid's "%.0f%%" rounds (112.5 -> 113), so every table shows the same figure.
    percent = math.copysign(math.floor(abs(value * 100) + 0.5), value)
    return drop_negative_zero(f"{percent:,.0f}%").replace("-", "−")


def format_time(moment, lang: str = "zh") -> str:
    """Return a stored UTC time in local time (settings.timezone()); a missing one (None, NaT) as a dash."""
    if _blank(moment):
        return "—"
    return f"{to_local(moment):%Y-%m-%d %H:%M}"


def to_local(moment) -> pd.Timestamp:
    """Return a stored time (naive UTC, or carrying its zone) in local time (settings.timezone())."""
    stamp = pd.Timestamp(moment)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).tz_convert(timezone())


def format_link_time(moment) -> str:
    """Return a stored UTC time as a link holds it: local time, to the microsecond, without zone.

    A person reads it as the pages show times; the microseconds keep "just before an upload" exact.
    """
    return to_local(moment).tz_localize(None).isoformat(timespec="microseconds")


def parse_link_time(text: str):
    """Return the stored UTC time (naive) a link's time names: local time, or any time with its zone.

    Links made before held UTC with a zone (…Z, …+00:00), which is converted like any zone.
    Raises ValueError on text that is no time.
    """
    text = str(text).strip()
    if "T" in text:
        # A "+" typed into a link (…+08:00) arrives as a space.
        text = text.replace(" ", "+")
    stamp = pd.Timestamp(text)
    if stamp is pd.NaT:
        raise ValueError(text)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(timezone(), ambiguous=True, nonexistent="shift_forward")
    return stamp.tz_convert("UTC").tz_localize(None).to_pydatetime()


# Markdown, Streamlit directives (:red[...], :material/...:) and LaTeX ($) would act on these.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def escape_markdown(text) -> str:
    """Return text that st.markdown shows exactly as written: data never becomes a link, image or tag."""
    return _MARKDOWN.sub(r"\\\1", str(text))
