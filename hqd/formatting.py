"""Numbers and times as Chinese (and English) readers expect them: 1,234.5 亿元, 68.2%."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata

import numpy as np
import pandas as pd

# A reporting period is worded in hqd.labels, where the fill-in template (a layer below) reaches it too.
from hqd.labels import format_period as format_period
from hqd.labels import period_kind as period_kind
from hqd.settings import timezone

# English names of the catalog's units, for a column or an axis of raw values; a unit not listed is shown as it is.
UNITS_EN = {
    "亿元": "CNY 100 million",
    "亿美元": "USD 100 million",
    "万元/亩": "CNY 10,000 per mu",
    "吨标准煤/万元": "tce per CNY 10,000",
    "个": "",
    "家": "firms",
    "件": "items",
    "项": "projects",
    "人": "people",
    "人次": "visits",
    "户": "firms",
    "所": "sites",
    "阶段": "stage",
    "工作日": "working days",
    "%": "%",
}

# A value shown to an English reader in the scale they count in: (factor, decimals added, pattern).
# 50.8 亿元 is "CNY 5.08 bn", not "50.8 100M CNY"; converted at display only, stored values stay as reported.
VALUES_EN = {
    "亿元": (0.1, 1, "CNY {number} bn"),
    "亿美元": (0.1, 1, "USD {number} bn"),
    "万元/亩": (0.01, 2, "CNY {number} m per mu"),
    "阶段": (1, 0, "stage {number}"),
}

# Units of things counted one by one: a planned 2,106.5 people is read as an error, so counts are whole.
COUNT_UNITS = frozenset({"个", "家", "人", "项", "件", "户", "所", "人次"})
# A minus before a zero that only rounding made ("-0%", "-0.0 亿元"); a real "-0.5" is left alone.
_NEGATIVE_ZERO = re.compile(r"[-−](0(?:\.0+)?)(?![\d.])")


def _blank(value) -> bool:
    """Tell whether a single value is missing: None, NaN, pd.NA or NaT (a time column's empty cell)."""
    if value is None:
        return True
    # The common cells first: tables format tens of thousands of them.
    if isinstance(value, float):
        return value != value
    if isinstance(value, int | str):
        return False
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def format_unit(unit: str, lang: str = "zh") -> str:
    """Return the unit in the language."""
    return unit if lang == "zh" else UNITS_EN.get(unit, unit)


def _decimals(value) -> int:
    """Return the decimals a number is shown with by default: none when whole, more when small."""
    return 0 if float(value).is_integer() else (3 if abs(value) < 1 else 1 if abs(value) < 1e5 else 0)


def format_number(value, decimals: int | None = None) -> str:
    """Return a number with thousands separators; whole numbers without decimals by default."""
    if _blank(value):
        return "—"
    if decimals is None:
        decimals = _decimals(value)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text and decimals > 1 else text


def format_value(value, unit: str, lang: str = "zh", decimals: int | None = None) -> str:
    """Return a value with its unit: 1,234.5亿元, 68.2%, 12家; in English CNY 123.45 bn, 12 firms."""
    if _blank(value):
        return "—"
    if lang != "zh" and unit in VALUES_EN:
        factor, more, pattern = VALUES_EN[unit]
        if decimals is None:
            decimals = _decimals(value)
        number = format_number(value * factor, decimals + more)
        return pattern.format(number=number.rstrip("0").rstrip(".") if "." in number else number)
    number = format_number(value, decimals)
    shown = format_unit(unit, lang)
    if shown == "%" or not shown:
        return f"{number}{shown}"
    # Chinese sets no space between a number and its unit (65.7亿元, 12家); English does (12 firms).
    return f"{number}{shown}" if lang == "zh" else f"{number} {shown}"


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


def month_params(month: int) -> dict:
    """Return a month as the messages name it: its number (10月), its English name and abbreviation."""
    return {
        "month": int(month),
        "month_name": calendar.month_name[int(month)],
        "month_abbr": calendar.month_abbr[int(month)],
    }


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


def share_texts(values) -> list[str]:
    """Return share_text of each value, at once: the same texts, a tenth of the time for a column of 50,000."""
    numbers = _floats(values)
    # The same rounding as share_text's (half away from zero), done on the whole column.
    percents = np.floor((numbers * 100).abs() + 0.5)
    return [
        "—" if p != p else "0%" if p == 0 else f"{p:,.0f}%" if v > 0 else f"−{p:,.0f}%"
        for p, v in zip(percents.tolist(), numbers.tolist(), strict=True)
    ]


def _floats(values) -> pd.Series:
    """Return values as floats, any missing one (None, NaN, pd.NA) as NaN."""
    series = pd.to_numeric(pd.Series(values, dtype=None if isinstance(values, pd.Series) else object))
    return pd.Series(series.to_numpy(dtype="float64", na_value=float("nan")))


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


def display_width(text: str) -> int:
    """Return the columns a text takes in a terminal or a chart: Chinese characters (wide, full-width) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip_text(text: str, width: int) -> str:
    """Return the text cut to `width` columns (Chinese characters take two), ending in … where cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 1
    for character in text:
        used += display_width(character)
        if used > width:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"
