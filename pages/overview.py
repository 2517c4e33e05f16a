"""Overview: where the whole plan and each programme stand for a year."""

import streamlit as st

from hqd.labels import status_label
from hqd.ui.data import Snapshot

data = Snapshot()
st.title("六大工程指标看板")
if data.has_sample:
    st.warning(
        "当前显示的是**示例数据**(数值仅为演示,并非真实统计)。上传真实数据前,可用 "
        "`python -m hqd remove-sample` 删除示例数据。",
        icon="⚠️",
    )

years = data.catalog.years()
year = st.sidebar.selectbox("年份", years, index=years.index(data.default_year) if data.default_year in years else 0)
overall = data.report.overall.set_index("year").loc[year]
st.metric(
    f"{year} 年总体得分",
    "—" if overall.isna()["score"] else f"{overall['score']:.1f}",
    help="得分 = 各指标完成度(0–100)的加权平均",
)
st.caption(f"应达得分 {overall['expected_score']:.1f} · 状态 {status_label(overall['status'])}")

table = data.report.programmes.query("year == @year").merge(
    data.catalog.programmes[["code", "name_zh"]], left_on="programme", right_on="code"
)
st.dataframe(
    table.assign(status=table["status"].map(status_label))[["name_zh", "score", "expected_score", "status"]],
    column_config={
        "name_zh": "工程",
        "score": st.column_config.NumberColumn("得分", format="%.1f"),
        "expected_score": st.column_config.NumberColumn("应达得分", format="%.1f"),
        "status": "状态",
    },
    hide_index=True,
)
