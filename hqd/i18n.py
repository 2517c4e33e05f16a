"""Every text the app shows, in Chinese and English; pages ask for it by key."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

import pandas as pd

from hqd.catalog import read_department_names
from hqd.formatting import format_period, format_time
from hqd.labels import KEY_TASK_STATUSES, OUTCOMES, PROJECTIONS, ROLE_NAMES, STATUSES
from hqd.settings import DEFAULT_CATALOG, FORM_FILE, SAMPLE_REPORTS, SAMPLE_USER

LANGUAGES = {"zh": "中文", "en": "English"}

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("六大工程指标看板", "Six Major Projects dashboard"),
    "app.year": ("年份", "Year"),
    "app.period": ("规划期", "Plan period"),
    # A name with a note after it: full-width brackets in Chinese, a space and ASCII ones in English.
    "text.with_note": ("{text}（{note}）", "{text} ({note})"),
    "app.period_label": ("{name}（{first}–{last}年）", "{name} ({first}–{last})"),
    "app.year_help": (
        "默认为最近有数据的年份；所选年份保存在网址中，可直接分享。",
        "Defaults to the latest year with data; kept in the URL so the link can be shared.",
    ),
    "app.sample": (
        "当前显示的是**示例数据**：数值仅为演示，并非真实统计。载入真实数据前，管理员可运行 "
        "`python -m hqd remove-sample` 删除示例数据。",
        "You are looking at **sample data**: invented figures, not real statistics. Before loading "
        "real data an admin can delete them with `python -m hqd remove-sample`.",
    ),
    # A programme's key tasks (重点任务) and their milestones (hqd.views.programme.key_task_view).
    "keytask.heading": ("重点任务", "Key tasks"),
    "keytask.none": ("本工程没有重点任务。", "This programme has no key task."),
    "keytask.sample": (
        "重点任务及其节点取自规划原文，节点日期为示例数据；尚未报送进展时，过了节点时间的节点即为滞后。",
        "The key tasks come from the plan's own sentences; their milestone dates are sample data. Until progress "
        "is reported, a milestone past its date counts as late.",
    ),
    "keytask.as_of": ("截至{date}", "As of {date}"),
    "keytask.completion": ("重点任务完成", "Key tasks done"),
    "keytask.completion_value": ("{done}/{total}项", "{done} of {total}"),
    "keytask.completion_help": (
        "已完成全部节点的重点任务数；单独列示，不计入指标得分。",
        "Key tasks with every milestone done; shown separately, not counted in the indicator score.",
    ),
    "keytask.late": ("滞后的重点任务", "Key tasks late"),
    "keytask.late_value": ("{late}项", "{late}"),
    "keytask.status_done": ("已完成", "Done"),
    "keytask.status_done_late": ("已完成（滞后{days}天）", "Done ({days} days late)"),
    "keytask.status_on_schedule": ("按期推进", "On schedule"),
    "keytask.status_late": ("滞后{days}天", "{days} days late"),
    "keytask.status_late_one": ("滞后{days}天", "{days} day late"),
    "keytask.status_done_late_one": ("已完成（滞后{days}天）", "Done ({days} day late)"),
    "keytask.status_not_started": ("未开始", "Not started"),
    "keytask.col_task": ("所属任务", "Plan task"),
    "keytask.col_name": ("重点任务", "Key task"),
    "keytask.col_department": ("责任单位", "Responsible department"),
    "keytask.col_time": ("起止时间", "Time"),
    "keytask.col_milestones": ("节点完成", "Milestones done"),
    "keytask.col_status": ("状态", "Status"),
    "keytask.time_value": ("{start}至{due}", "{start} to {due}"),
    "keytask.milestones_value": ("{done}/{total}", "{done}/{total}"),
    "keytask.chart_title": ("重点任务节点", "Key task milestones"),
    "keytask.chart_today": ("报告日", "Reporting date"),
    "keytask.chart_due": ("节点时间", "Due"),
    # Supervision (督办) and the departments' scorecard (hqd.views.supervision, hqd.views.departments, CLI).
    "nav.supervise": ("督办", "Supervision"),
    "nav.supervision": ("督办事项", "Items to answer"),
    "nav.departments": ("单位考评", "Department scorecard"),
    "col.explanation": ("说明状态", "Explanation"),
    "supervise.title": ("督办事项", "Items to answer"),
    "supervise.heading": ("{period}督办事项", "Items to answer for {period}"),
    "supervise.rules": (
        "截至{today}。{period}滞后的指标须在{deadline}前报送情况说明，过截止日{days}天仍未说明的为逾期；"
        "重点任务节点按{as_of}判断。",
        "As of {today}. Indicators behind in {period} are explained by {deadline}; still unexplained {days} days "
        "after that, they are overdue. Key-task milestones are judged at {as_of}.",
    ),
    "supervise.sample": (
        "情况说明、重点任务节点完成情况为示例数据，仅为演示。",
        "The explanations and completed milestones are sample data, for demonstration only.",
    ),
    "supervise.metric_open": ("待办事项", "Open items"),
    "supervise.metric_overdue": ("逾期未说明", "Overdue explanations"),
    "supervise.metric_milestones": ("滞后节点", "Late milestones"),
    "supervise.metric_instructions": ("未答复批示", "Open instructions"),
    "supervise.metric_answered": ("已办结", "Answered"),
    "supervise.filter_department": ("责任单位", "Department"),
    "supervise.filter_kind": ("事项类别", "Kind"),
    "supervise.filter_all": ("全部", "All"),
    "supervise.kind_explanation": ("指标情况说明", "Explanation"),
    "supervise.kind_milestone": ("重点任务节点", "Milestone"),
    "supervise.kind_instruction": ("领导批示", "Instruction"),
    "supervise.state_explained": ("✔ 已说明", "✔ Explained"),
    "supervise.state_explained_late": (
        "✔ 已说明（晚于截止日{days}天）",
        "✔ Explained ({days} days after the deadline)",
    ),
    "supervise.state_unexplained": ("○ 未说明", "○ Not explained"),
    "supervise.state_overdue": ("✖ 逾期{days}天", "✖ Overdue by {days} days"),
    "supervise.state_open": ("○ 未答复", "○ Open"),
    "supervise.state_answered": ("✔ 已答复", "✔ Answered"),
    "supervise.col_kind": ("类别", "Kind"),
    "supervise.col_item": ("事项", "Item"),
    "supervise.col_state": ("办理状态", "State"),
    "supervise.col_since": ("截止（提出）日期", "Due (asked on)"),
    "supervise.col_days": ("超期天数", "Days past due"),
    "supervise.col_answer": ("答复内容", "Answer"),
    "supervise.col_by": ("答复人", "Answered by"),
    "supervise.col_on": ("答复日期", "Answered on"),
    "supervise.col_explanations": ("待说明指标", "Explanations owed"),
    "supervise.col_overdue": ("其中逾期", "Of which overdue"),
    "supervise.col_milestones": ("滞后节点", "Late milestones"),
    "supervise.col_instructions": ("未答复批示", "Open instructions"),
    "supervise.col_open": ("待办合计", "Open in all"),
    "supervise.col_answered": ("已办结", "Answered"),
    "supervise.item_milestone": (
        "{code} {name}：节点{step} {description}",
        "{code} {name}: milestone {step} {description}",
    ),
    "supervise.item_instruction": ("{target}：{text}", "{target}: {text}"),
    "supervise.answer_explanation": (
        "原因：{cause}；措施：{measures}；预计完成：{expected}",
        "Cause: {cause}; measures: {measures}; expected by {expected}",
    ),
    "supervise.answer_milestone": ("{date}完成", "Done on {date}"),
    "supervise.department": (
        "{department}：待办{open}项，已办结{answered}项",
        "{department}: {open} open, {answered} answered",
    ),
    "supervise.none": ("没有需要督办的事项。", "Nothing to answer."),
    "supervise.no_departments": (
        "您的账号未关联任何有督办事项的责任单位。",
        "Your account belongs to no department with items to answer.",
    ),
    "supervise.chart": ("各单位待办事项", "Open items by department"),
    "supervise.chart_axis": ("事项数（项）", "Items"),
    "supervise.export": ("下载督办单", "Download the supervision list"),
    "supervise.export_help": (
        "Excel文件，每个责任单位一个工作表，按当前筛选条件导出。",
        "An Excel workbook with a sheet per department, as filtered on this page.",
    ),
    "supervise.export_title": ("督办单", "Supervision list"),
    "supervise.export_period": ("报告期：{period}", "Reporting period: {period}"),
    "supervise.export_date": ("制表日期：{date}", "Date: {date}"),
    "supervise.export_file": ("督办单_{period}.xlsx", "supervision_{period}.xlsx"),
    "departments.title": ("责任单位考评", "Department scorecard"),
    "departments.heading": ("{period}各责任单位", "Departments in {period}"),
    "departments.intro": (
        "按所负责指标的平均得分排名；情况说明以截止日前报送为按时，节点以节点时间前完成为按期（截至{as_of}）。",
        "Ranked by the mean score of each department's indicators; an explanation is on time when given by its "
        "deadline, a milestone when done by its date (as of {as_of}).",
    ),
    "departments.col_rank": ("排名", "Rank"),
    "departments.col_score": ("平均得分", "Mean score"),
    "departments.col_explained": ("按时说明", "Explained on time"),
    "departments.col_milestones": ("节点按期完成", "Milestones on time"),
    "departments.col_instructions": ("未答复批示", "Open instructions"),
    "departments.ratio": ("{done}/{total}", "{done}/{total}"),
    "departments.chart": ("各单位指标状态（按排名）", "Indicators' statuses by department (ranked)"),
    "departments.chart_label": ("{rank}. {department}（{score}分）", "{rank}. {department} ({score})"),
    "departments.none": ("没有可显示的责任单位。", "No department to show."),
    "cli.supervision_heading": (
        "{period}督办事项（截至{today}）：待办{open}项，其中逾期未说明{overdue}项。",
        "Items to answer for {period} (as of {today}): {open} open, {overdue} explanations overdue.",
    ),
    "cli.supervision_department": ("【{department}】待办{open}项", "[{department}] {open} open"),
    "cli.supervision_none": ("没有需要督办的事项。", "Nothing to answer."),
    "sample.reports_file": ("示例督办数据", "Sample supervision reports"),
    "cli.unknown_department": ("没有责任单位「{department}」。", "There is no department “{department}”."),
    "nav.overview": ("总览", "Overview"),
    "nav.programmes": ("六大工程", "Six Major Projects"),
    "overview.heading": ("{year}年总体进展", "Overall progress in {year}"),
    "overview.score": ("总体得分", "Overall score"),
    "overview.expected": ("序时进度", "Expected progress to date"),
    "overview.status": ("状态", "Status"),
    "overview.change": ("较上年", "vs. last year"),
    "overview.coverage": ("数据覆盖", "Data coverage"),
    "overview.score_help": (
        "各指标目标完成进度（0–100）按权重逐级汇总为得分；序时进度是按规划轨迹本年应达到的水平。",
        "Each indicator's progress toward the target (0–100), weighted up the levels; the expected progress to date "
        "is where the plan's trajectory should be this year.",
    ),
    "overview.programmes": ("各工程进展", "Programmes"),
    "overview.open": ("查看详情", "Open"),
    "overview.charts": ("对比", "Comparison"),
    "overview.attention": ("需关注的指标", "Needs attention"),
    "overview.attention_none": (
        "本年度没有明显滞后或低于基期的指标。",
        "No indicator is well behind schedule or below baseline this year.",
    ),
    "overview.summary": ("简要分析", "Summary"),
    "overview.updated": (
        "数据更新于{time}，第{id}号上传（{file}，{user}）。",
        "Data last updated {time} by upload #{id} ({file}, {user}).",
    ),
    "overview.no_upload": ("尚未上传任何数据。", "No data has been uploaded yet."),
    "empty.year": (
        "{year}年暂无任何指标数据。请选择其他年份，或上传该年数据。",
        "There is no indicator data for {year}. Choose another year or upload that year's figures.",
    ),
    "empty.programme": ("{year}年本工程的指标尚未填报。", "No indicator of this programme is reported for {year}."),
    "chart.scores": ("各工程得分与序时进度", "Score vs. expected progress, by programme"),
    "chart.tasks": ("各项任务得分与序时进度", "Score against expected progress to date by task"),
    "chart.score": ("得分", "Score"),
    "chart.expected": ("序时进度", "Expected progress to date"),
    "chart.score_axis": ("得分（0–100）", "Score (0–100)"),
    "chart.status_split": ("各工程指标状态分布", "Indicators by status in each programme"),
    "chart.count_axis": ("指标数（项）", "Indicators"),
    # One line of a chart's hover: what, and its value.
    "chart.hover_line": ("{label}：{value}", "{label}: {value}"),
    "chart.actual": ("实际值", "Actual"),
    "chart.trajectory": ("规划轨迹", "Planned trajectory"),
    "chart.target": ("目标值", "Target"),
    "chart.projection": ("趋势预测", "Projection"),
    "chart.year_axis": ("年份", "Year"),
    "chart.no_data": ("暂无数据", "No data"),
    "col.indicator": ("指标", "Indicator"),
    "col.code": ("编码", "Code"),
    "col.programme": ("工程", "Programme"),
    "col.unit": ("单位", "Unit"),
    "col.department": ("责任单位", "Responsible department"),
    "col.value": ("本年实际值", "Actual this year"),
    "col.actual": ("实际值", "Actual value"),
    "col.latest": ("最新值", "Latest value"),
    "col.target": ("目标值", "Target"),
    "col.completion": ("目标完成进度", "Progress to target"),
    "col.expected": ("序时进度", "Expected progress to date"),
    "col.status": ("状态", "Status"),
    "col.trend": ("历年走势", "Trend"),
    "col.projection": ("目标年预计", "Projected for the target year"),
    "col.gap": ("与目标差距", "Gap to target"),
    "programme.goal": ("规划目标", "The plan's goal"),
    "programme.indicators": ("指标一览", "Indicators"),
    "programme.pick": ("查看指标详情", "Indicator detail"),
    "programme.pick_placeholder": ("选择一个指标…", "Choose an indicator…"),
    "programme.pick_help": ("在表格中点选一行，或在此选择指标。", "Click a row in the table or choose here."),
    "meta.title": ("指标说明", "About this indicator"),
    "meta.definition": ("指标解释：{text}", "Definition: {text}"),
    "meta.formula": ("计算公式：{text}", "Formula: {text}"),
    "meta.source": ("数据来源：{text}", "Source: {text}"),
    "meta.reported": ("报送频率：{frequency}；数值类型：{kind}", "Reported: {frequency}; {kind}"),
    "detail.definition": (
        "{unit} · {direction} · 责任单位：{department} · 基期{base_year}年{base} → 目标{target_year}年{target}",
        "{unit} · {direction} · responsible: {department} · baseline {base_year} {base} → "
        "target {target_year} {target}",
    ),
    "detail.needed": ("今后每年需增加{change}。", "Reaching the target on time needs an increase of {change} a year."),
    "detail.projected": (
        "按目前趋势，{year}年预计达到{value}（{outcome}{confidence}）。",
        "On the current trend, {value} by {year} ({outcome}{confidence}).",
    ),
    "detail.low_confidence": ("，数据点较少，仅供参考", ", few data points: low confidence"),
    "summary.overall": (
        "{year}年，总体得分{score}分，{versus}{change}。",
        "In {year} the overall score was {score}, {versus}{change}.",
    ),
    "summary.best": (
        "分工程看，{best}进展最好（{best_score}分），{worst}最需加力（{worst_score}分）。",
        "By programme, {best} leads ({best_score}); {worst} needs the most effort ({worst_score}).",
    ),
    "summary.counts": ("{total}项指标中，{parts}。", "Of {total} indicators, {parts}."),
    "summary.projection": (
        "按当前趋势测算，预计{count}项指标到{year}年难以完成规划目标{examples}。",
        "On the current trend, {count} indicators are expected to miss the plan's {year} target{examples}.",
    ),
    "summary.projection_none": (
        "按当前趋势测算，有数据的指标预计均能在{year}年完成或接近规划目标。",
        "On the current trend, every reported indicator is expected to reach or come close to the plan's "
        "{year} target.",
    ),
    "summary.overall_insufficient": (
        "{year}年，有数据的指标权重不足，暂不评价总体进度。",
        "In {year} too little of the weight is reported to judge overall progress.",
    ),
    "summary.below": (
        "低于序时进度（{expected}分）{gap}分，{pace}",
        "{gap} points below the expected progress to date ({expected}): {pace}",
    ),
    "summary.above": (
        "高于序时进度（{expected}分）{gap}分",
        "{gap} points above the expected progress to date ({expected})",
    ),
    "summary.level": ("达到序时进度（{expected}分）", "level with the expected progress to date ({expected})"),
    "summary.pace_on_track": ("总体符合序时进度要求", "within the on-schedule band"),
    "summary.pace_at_risk": ("进度偏慢", "slightly behind schedule"),
    "summary.pace_lagging": ("进度明显滞后", "well behind schedule"),
    "summary.pace_regressing": ("低于基期水平", "below baseline"),
    "summary.change_up": ("；较上年提高{delta}分", "; up {delta} points on the year before"),
    "summary.change_down": ("；较上年下降{delta}分", "; down {delta} points on the year before"),
    "summary.change_level": ("；与上年持平", "; unchanged on the year before"),
    "summary.overall_final": (
        "{year}年为规划目标年，总体得分{score}分，{versus}{change}。",
        "{year} is the plan's target year: the overall score was {score}, {versus}{change}.",
    ),
    "summary.final_short": (
        "距规划目标（{expected}分）差{gap}分",
        "{gap} points short of the plan's target ({expected})",
    ),
    "summary.final_reached": ("全面完成规划目标", "the plan's target reached"),
    "inyear.summary_overall": (
        "截至{year}年{month}月，纳入序时进度监测的{total}项月度、季度指标中，{parts}；总体完成{score}%，"
        "序时进度{expected}%，{gap}。",
        "To the end of {month_name} {year}, of the {total} indicators reported monthly or quarterly, {parts}; "
        "overall {score}% done against {expected}% due by now, {gap}.",
    ),
    "inyear.gap_below": ("低于序时进度{points}个百分点", "{points} points behind"),
    "inyear.gap_above": ("高于序时进度{points}个百分点", "{points} points ahead"),
    "inyear.gap_level": ("与序时进度持平", "level with it"),
    "inyear.summary_behind": ("{names}明显滞后于序时进度。", "Well behind schedule: {names}."),
    "inyear.summary_on_pace": ("{names}达到序时进度。", "On schedule: {names}."),
    "inyear.summary_headline": (
        "1—{month}月，{name}累计{value}{growth}，完成年度目标的{completion}。",
        "{name}, January–{month_name}: {value}{growth}, {completion} of the annual target.",
    ),
    # The bulletin's 一、总体情况 goes on from the summary (hqd.briefing compare_programmes_in_year,
    # describe_headlines_in_year).
    "inyear.summary_extremes": (
        "从各工程看，{best}完成{best_score}%，{best_gap}，进度最好；{worst}完成{worst_score}%，{worst_gap}，差距最大。",
        "By programme, {best} stands best at {best_score}% done, {best_gap}; {worst} is furthest behind at "
        "{worst_score}% done, {worst_gap}.",
    ),
    "inyear.summary_growth": ("从主要指标看，{items}。", "Among the headline indicators: {items}."),
    "inyear.headline_item": ("{name}累计{value}", "{name} {value}"),
    "inyear.growth_up": ("，同比增长{growth}", ", up {growth} on the same months last year"),
    "inyear.growth_down": ("，同比下降{growth}", ", down {growth} on the same months last year"),
    "inyear.heading": (
        "{period} · {year}年序时进度（截至{year}年{month}月）",
        "{period} · {year}, progress to the end of {month_name}",
    ),
    "upload.template_period": ("报告期", "Period"),
    "upload.years": ("历年（年度数据）", "Every year (annual figures)"),
    "explorer.month": ("{year}年截至月份", "Month of {year} to judge at"),
    "explorer.in_year": ("{heading}：序时进度", "{heading}: against due by now"),
    "explorer.by_year": ("历年情况", "Year by year"),
    "inyear.as_of": ("截至{year}年{month}月", "To the end of {month_name} {year}"),
    "inyear.score": ("总体完成（序时进度口径）", "Done so far (overall)"),
    "inyear.expected": ("序时进度", "Due by now"),
    "inyear.gap": ("差距（百分点）", "Gap (points)"),
    "inyear.gap_label": ("较序时进度", "vs schedule"),
    # A programme card's sparkline, hovered.
    "card.history_year": ("历年得分：{scores}", "Scores year by year: {scores}"),
    "card.history_month": ("逐月得分：{scores}", "Scores month by month: {scores}"),
    "inyear.card_expected": ("应达{score}", "due {score}"),
    "inyear.programmes_chart": ("各工程完成情况与序时进度", "Done so far by programme, against due by now"),
    "inyear.months_chart": ("月度指标逐月完成进度与序时进度", "Monthly indicators month by month, against due by now"),
    "inyear.months_chart_cut": (
        "月度指标逐月完成进度与序时进度（滞后最多的{count}项）",
        "Monthly indicators month by month, against due by now (the {count} furthest behind)",
    ),
    "inyear.attention": ("低于序时进度的指标", "Indicators behind schedule"),
    "inyear.attention_none": (
        "所有月度、季度指标均达到序时进度。",
        "Every monthly and quarterly indicator is on schedule.",
    ),
    "inyear.yearly_note": (
        "年度指标（{count}项）于年末报送，年内不计入序时进度。",
        "Yearly indicators ({count}) are reported at year end and not judged within the year.",
    ),
    "chart.due_line": ("序时进度", "Due by now"),
    "chart.annual_target": ("年度目标{value}", "Annual target {value}"),
    "chart.last_year": ("{year}年同期", "Same months of {year}"),
    "chart.this_year": ("{year}年", "{year}"),
    "inyear.programme_heading": ("{year}年序时进度（截至{month}月）", "{year}, progress to the end of {month_name}"),
    "inyear.programme_none": (
        "本工程没有月度、季度报送的指标：年度指标于年末报送，{year}年年内不计入序时进度。",
        "This programme has no indicator reported monthly or quarterly: its yearly figures come at the end of {year}.",
    ),
    "inyear.detail": (
        "{period}：{value}{growth}；年度目标{target}，完成{completion}，序时进度{due}，{gap}。",
        "{period}: {value}{growth}; annual target {target}, {completion} done against {due} due, {gap}.",
    ),
    # The monthly bulletin (推进情况通报): hqd.bulletin builds it, hqd.views.bulletin serves it.
    "bulletin.zone": ("长沙高新区", "Changsha High-tech Zone"),
    "bulletin.title": ("{zone}“六大工程”推进情况通报", "{zone}: progress of the Six Major Projects"),
    "bulletin.period": ("（{period}）", "({period})"),
    "bulletin.issuer": ("{zone}“六大工程”推进工作办公室", "Six Major Projects Office, {zone}"),
    "bulletin.date": ("{year}年{month}月{day}日", "{day} {month_name} {year}"),
    "bulletin.file_stem": ("“六大工程”推进情况通报（{period}）", "Six Major Projects bulletin ({period})"),
    "bulletin.sample_mark": ("示例数据　仅供演示", "Sample data: for demonstration only"),
    "bulletin.page": ("— {page} —", "— {page} —"),
    "bulletin.heading": ("{number}、{text}", "{number}. {text}"),
    "bulletin.subheading": ("（{number}）{text}", "({number}) {text}"),
    "bulletin.overall": ("总体情况", "Overall"),
    "bulletin.programmes": ("分工程推进情况", "Progress by programme"),
    "bulletin.attention": ("需关注的问题", "Issues needing attention"),
    "bulletin.key_tasks": ("重点任务进展", "Key tasks"),
    "bulletin.suggestions": ("下步工作建议", "Next steps"),
    "bulletin.annex": ("附件：{title}", "Annex: {title}"),
    "bulletin.annex_title": ("{period}各指标序时进度完成情况", "Every indicator against the schedule, {period}"),
    "bulletin.no_data": (
        "{period}尚无纳入序时进度监测的指标数据，本期通报暂无统计内容，数据报送后可重新生成。",
        "No figure judged against the schedule has been reported for {period}: this bulletin has nothing to "
        "report yet. Build it again once figures are in.",
    ),
    "bulletin.programme_summary": (
        "纳入序时进度监测的{total}项指标中，{parts}；总体完成{score}%，序时进度{expected}%，{gap}，{status}。",
        "Of its {total} indicators judged against the schedule, {parts}; {score}% done against {expected}% due "
        "by now, {gap}: {status}.",
    ),
    "bulletin.programme_no_data": (
        "纳入序时进度监测的{total}项指标尚未报送数据。",
        "None of its {total} indicators judged against the schedule has reported a figure yet.",
    ),
    "bulletin.programme_chart": ("{name}各指标完成进度与序时进度", "{name}: each indicator against due by now"),
    "bulletin.chart_most": (
        "图中列示差距最大的{shown}项指标，{total}项指标均见下表。",
        "The chart shows the {shown} indicators furthest behind; the table lists all {total}.",
    ),
    "bulletin.attention_intro": (
        "截至{month}月末，{count}项指标低于序时进度，其中明显滞后{lagging}项，略低于序时进度{at_risk}项。",
        "At the end of {month_name}, {count} indicators were behind schedule: {lagging} well behind and "
        "{at_risk} slightly.",
    ),
    "bulletin.attention_lead": (
        "{number}．{name}（{department}，{status}）。",
        "{number}. {name} ({department}, {status}).",
    ),
    "bulletin.attention_item": (
        "{period}{value}{growth}，完成{completion}，序时进度{due}，{gap}。",
        "{value} in {period}{growth}; {completion} done against {due} due, {gap}.",
    ),
    "bulletin.cause": ("原因分析：{text}", "Cause: {text}"),
    "bulletin.measures": ("整改措施：{text}{when}", "Measures: {text}{when}"),
    "bulletin.expected_by": ("（预计{date}前到位）", " (expected by {date})"),
    "bulletin.key_tasks_intro": (
        "截至{date}，{total}项重点任务中，{parts}；逾期未完成的节点{overdue}个。",
        "On {date}, of {total} key tasks, {parts}; {overdue} milestones are overdue.",
    ),
    "bulletin.key_count_done": ("已完成{count}项", "{count} done"),
    "bulletin.key_count_on_schedule": ("按期推进{count}项", "{count} on schedule"),
    "bulletin.key_count_late": ("滞后{count}项", "{count} late"),
    "bulletin.key_count_not_started": ("未开始{count}项", "{count} not started"),
    "bulletin.key_tasks_none_late": (
        "重点任务均按期推进，没有逾期节点。",
        "Every key task is on schedule: no milestone is overdue.",
    ),
    "bulletin.col_number": ("序号", "No."),
    "bulletin.col_milestone": ("最早逾期节点", "Earliest overdue milestone"),
    "bulletin.col_milestone_due": ("节点时间", "Due"),
    "bulletin.col_overdue": ("逾期节点数", "Overdue milestones"),
    "bulletin.and_more": ("{names}等", "{names} and others"),
    "bulletin.suggest_programmes_lead": ("加快{names}推进。", "Speed up {names}."),
    "bulletin.suggest_programmes": (
        "上述工程明显滞后于序时进度，{indicators}差距较大，请{departments}对照年度目标逐项查找原因，倒排工期、"
        "挂图作战，确保完成年度目标。",
        "These programmes are well behind schedule, furthest in {indicators}: {departments} to find the cause "
        "indicator by indicator against the annual target and plan back from the year's end to meet it.",
    ),
    "bulletin.suggest_lagging_lead": ("盯紧明显滞后的{count}项指标。", "Watch the {count} indicators well behind."),
    "bulletin.suggest_lagging": (
        "{indicators}明显滞后于序时进度，请{departments}分析原因、制定措施，加快追赶进度。",
        "{indicators} are well behind schedule: {departments} to find the cause, set measures and catch up.",
    ),
    "bulletin.suggest_at_risk_lead": (
        "推动略低于序时进度的{count}项指标赶上进度。",
        "Bring the {count} indicators slightly behind up to schedule.",
    ),
    "bulletin.suggest_at_risk": (
        "请{departments}加强调度，力争{when}达到序时进度。",
        "{departments} to follow them closely and reach the schedule {when}.",
    ),
    "bulletin.suggest_by_month": ("{month}月底前", "by the end of {month_name}"),
    "bulletin.suggest_by_year": ("下一年度", "next year"),
    "bulletin.suggest_key_tasks_lead": (
        "推动{count}项滞后的重点任务落地。",
        "Move the {count} late key tasks forward.",
    ),
    "bulletin.suggest_key_tasks": (
        "请各责任单位及时报送节点完成情况，对逾期节点明确完成时限，已完成的节点尽快补报。",
        "Each department to report its milestones, set a date for each overdue one and report those already done.",
    ),
    "bulletin.suggest_reporting_lead": ("按时报送数据。", "Report on time."),
    "bulletin.suggest_reporting": (
        "{indicators}等{count}项指标尚未报送数据，请{departments}按时报送。",
        "{count} indicators, {indicators}, have no figure yet: {departments} to report them on time.",
    ),
    "bulletin.suggest_keep_lead": ("保持推进力度。", "Keep up the pace."),
    "bulletin.suggest_keep": (
        "各项指标均达到序时进度，请各责任单位保持工作力度，确保全面完成年度目标。",
        "Every indicator is on schedule: each department to keep up its work and meet every annual target.",
    ),
    "bulletin.download_docx": ("通报（Word）", "Bulletin (Word)"),
    "bulletin.download_pdf": ("通报（PDF）", "Bulletin (PDF)"),
    "bulletin.download_html": ("通报（网页）", "Bulletin (HTML)"),
    "bulletin.download_help": (
        "按当前数据生成{period}推进情况通报，点击后生成文件。",
        "The progress bulletin of {period} from the current data, made when clicked.",
    ),
    "bulletin.heading_app": ("推进情况通报", "Progress bulletin"),
    "bulletin.no_chromium": (
        "未找到 Chromium（{path}），无法生成通报的图表和 PDF。请安装 Debian 软件包 chromium（apt-get install "
        "chromium），或用 HQD_CHROMIUM 指定其路径。",
        "Chromium ({path}) was not found, so the bulletin's charts and PDF cannot be drawn. Install the Debian "
        "package chromium (apt-get install chromium), or name its path in HQD_CHROMIUM.",
    ),
    "bulletin.no_kaleido": (
        "未安装 kaleido，无法绘制 Word 通报的图表。请运行 pip install -r requirements.txt。",
        "kaleido is not installed, so the Word bulletin's charts cannot be drawn. Run pip install -r requirements.txt.",
    ),
    "bulletin.print_timeout": (
        "生成 PDF 超过{seconds}秒，已停止。请稍后重试。",
        "Printing the PDF took more than {seconds} seconds and was stopped. Try again later.",
    ),
    "bulletin.draw_failed": ("Chromium 未能绘制通报的图表。", "Chromium did not draw the bulletin's charts."),
    "bulletin.print_failed": ("Chromium 未能生成 PDF。", "Chromium did not print the PDF."),
    "cli.bulletin_written": ("已写入{file}。", "Wrote {file}."),
    "chart.month_axis": ("月份", "Month"),
    "chart.month_suffix": ("月", ""),
    "col.as_of": ("截至", "As of"),
    "col.annual_target": ("年度目标", "Annual target"),
    "col.due": ("序时进度", "Due by now"),
    "col.gap_points": ("差距（百分点）", "Gap (points)"),
    "col.yoy": ("同比", "Year on year"),
    "summary.count_achieved": ("已完成{count}项", "{count} achieved"),
    "summary.count_on_track": ("达到序时进度{count}项", "{count} on schedule"),
    "summary.count_at_risk": ("略低于序时进度{count}项", "{count} slightly behind schedule"),
    "summary.count_lagging": ("明显滞后{count}项", "{count} well behind schedule"),
    "summary.count_missed": ("未完成{count}项", "{count} missed their target"),
    "summary.count_regressing": ("低于基期{count}项", "{count} below baseline"),
    "summary.count_insufficient_data": ("数据不足{count}项", "{count} with insufficient data"),
    "summary.count_no_data": ("无数据{count}项", "{count} with no data"),
    "summary.final_achieved": ("已完成目标{count}项", "{count} reached their target"),
    "summary.final_open": ("未完成目标{count}项", "{count} did not"),
    "summary.examples_all": ("，即{names}", ": {names}"),
    "summary.examples": ("，主要包括{names}等", ", notably {names}"),
    "nav.data": ("数据填报", "Data entry"),
    "nav.upload": ("上传数据", "Upload"),
    "nav.history": ("上传历史", "Upload history"),
    "asof.banner": (
        "正在查看{time}的历史数据（第{id}号上传之前），不是当前数据。",
        "You are looking at the data as of {time} (before upload #{id}), not the current data.",
    ),
    "asof.back": ("返回当前数据", "Back to current data"),
    "asof.refused": (
        "那个时刻还没有指标目录，无法显示，已回到当前数据。",
        "There was no catalog yet at that moment, so the current data is shown.",
    ),
    "upload.title": ("上传数据", "Upload data"),
    "upload.intro": (
        "下载模板 → 在 Excel/WPS 中填写 → 上传 → 核对预览 → 提交。提交前不会改动任何数据；"
        "提交后可在「上传历史」中撤销。",
        "Download the template, fill it in Excel or WPS, upload it, check the preview, commit. "
        "Nothing changes before you commit, and every upload can be undone in Upload history.",
    ),
    "upload.step_template": ("① 下载填报模板", "① Download the template"),
    "upload.department": ("责任单位", "Responsible department"),
    "upload.all_departments": ("全部责任单位", "All departments"),
    "upload.download": ("下载模板（.xlsx）", "Download template (.xlsx)"),
    "upload.template_help": (
        "模板已预填当前数据；灰色单元格锁定，黄色年份单元格可填写。",
        "The template holds the current figures; grey cells are locked, yellow year cells are for you to fill.",
    ),
    "upload.step_file": ("② 上传填好的文件", "② Upload the filled file"),
    "upload.file": (
        "选择文件（.xlsx、.xls、.ods、.csv，不超过{mb} MB）",
        "Choose a file (.xlsx, .xls, .ods, .csv; up to {mb} MB)",
    ),
    "upload.unreadable": ("无法读取「{file}」：{error}", "Cannot read “{file}”: {error}"),
    "upload.revise_catalog": (
        "此文件用于修改指标目录（按「指标目录」表调整目标、权重、责任单位，按「年度目标」表设定年度目标）",
        "This file revises the catalog (apply its 指标目录 and 年度目标 sheets)",
    ),
    "upload.revise_catalog_help": (
        "仅管理员可用。不勾选时，「指标目录」「年度目标」表只作参考，不会改动目录。",
        "Admins only. Unticked, the 指标目录 and 年度目标 sheets are for reference and change nothing.",
    ),
    "upload.annual_targets_download": ("下载年度目标表（管理员）", "Download the annual targets (admin)"),
    "upload.annual_targets_help": (
        "现行规划期每个指标每年的年度目标，「来源」列注明是管理员设定的年度目标还是按规划轨迹推算；"
        "修改「年度目标值」（填「按规划轨迹」则取消），再以「修改指标目录」方式上传。",
        "Each indicator's annual target for each year of the current plan period, its source column saying whether "
        "an admin set it or it follows the plan trajectory. Change the values (write 按规划轨迹 to remove one), "
        "then upload the file as a catalog revision.",
    ),
    "upload.step_preview": ("③ 核对预览", "③ Check the preview"),
    "upload.new": ("新增", "New"),
    "upload.changed": ("修改", "Changed"),
    "upload.unchanged": ("未变", "Unchanged"),
    "upload.catalog_changes": ("目录修改", "Catalog changes"),
    "upload.errors": ("错误", "Errors"),
    "upload.warnings": ("提醒", "Warnings"),
    "upload.has_errors": (
        "发现{count}处错误，文件未导入。请按下表在 Excel 中修改后重新上传。",
        "{count} errors found; nothing was imported. Fix them in Excel and upload again.",
    ),
    "upload.has_warnings": (
        "以下提醒不影响提交，请确认无误。",
        "These warnings do not block the commit; please check.",
    ),
    "upload.no_errors": ("检查通过，没有错误。", "No errors found."),
    "upload.changes": ("数值变化", "Changes to values"),
    "upload.show_unchanged": ("显示未变的数值", "Show unchanged values"),
    "upload.no_changes": ("文件中的数值与当前数据完全相同。", "The file's values equal the current data."),
    "upload.catalog_title": ("指标目录修改（目标、权重、责任单位）", "Catalog changes (targets, weights, departments)"),
    "upload.step_commit": ("④ 提交", "④ Commit"),
    "upload.user": ("提交人", "Submitted by"),
    "upload.user_help": ("将记录在上传历史中。", "Recorded in the upload history."),
    "upload.commit": ("提交导入", "Commit"),
    "upload.commit_disabled": ("有错误时不能提交；请先填写提交人。", "Fix the errors and enter your name to commit."),
    "upload.committed": (
        "已提交：第{ids}号上传，{count}个数值已更新。",
        "Committed as upload #{ids}; {count} values updated.",
    ),
    "upload.to_overview": ("查看总览", "Go to the overview"),
    "upload.to_history": ("查看上传历史", "Go to upload history"),
    "history.title": ("上传历史", "Upload history"),
    "history.intro": (
        "每次上传都完整保存（含原始文件）。撤销一次上传后，它替换掉的数值会恢复。",
        "Every upload is kept with its original file. Rolling one back restores the values it replaced.",
    ),
    "history.empty": ("还没有任何上传。", "There are no uploads yet."),
    "history.pick": ("选择一次上传查看详情", "Choose an upload"),
    "history.kind_data": ("数据", "Data"),
    "history.kind_catalog": ("指标目录", "Catalog"),
    "history.kind_sample": ("{kind}（示例）", "{kind} (sample)"),
    "history.values": (
        "{rows}（新增{new} · 修改{changed} · 未变{unchanged}）",
        "{rows} (new {new} · changed {changed} · unchanged {unchanged})",
    ),
    "history.catalog_values": ("目录修改{count}项", "Catalog changes: {count}"),
    "sample.user": ("示例数据", "Sample data"),
    "sample.catalog_file": ("默认指标目录（示例数据）", "Default catalog (sample data)"),
    "history.active": ("有效", "In effect"),
    "history.rolled_back": ("已撤销（{user}，{time}）", "Rolled back ({user}, {time})"),
    "history.download": ("下载原始文件", "Download the original file"),
    "history.changed": ("这次上传改变了什么", "What this upload changed"),
    "history.nothing": ("这次上传没有改变任何数值。", "This upload changed no value."),
    "history.rollback": ("撤销这次上传", "Roll back this upload"),
    "history.confirm_title": ("确认撤销", "Confirm rollback"),
    "history.confirm": (
        "撤销第{id}号上传「{file}」？它带来的{rows}个数值将不再生效，之前的数值恢复。此操作会记录在历史中。",
        "Roll back upload #{id} “{file}”? Its {rows} values stop counting and the previous values "
        "come back. The rollback is recorded in the history.",
    ),
    "history.confirm_button": ("确认撤销", "Roll back"),
    "history.cancel": ("取消", "Cancel"),
    "history.rolled": (
        "已撤销第{id}号上传，之前的数值已恢复。",
        "Upload #{id} rolled back; previous values restored.",
    ),
    "history.as_of": ("查看这次上传之前的看板", "Dashboard before this upload"),
    "col.upload": ("编号", "No."),
    "col.kind": ("类型", "Kind"),
    "col.file": ("文件", "File"),
    "col.user": ("提交人", "By"),
    "col.time": ("时间", "Time"),
    "col.rows": ("数值", "Values"),
    "col.state": ("状态", "State"),
    "col.year": ("年份", "Year"),
    "col.period": ("报告期", "Period"),
    "col.old": ("原值", "Old value"),
    "col.new": ("新值", "New value"),
    "col.change": ("变化", "Change"),
    "col.note": ("备注", "Note"),
    "col.field": ("字段", "Field"),
    "col.sheet": ("工作表", "Sheet"),
    "col.row": ("行", "Row"),
    "col.column": ("列", "Column"),
    "col.message": ("问题", "Problem"),
    "change.new": ("新增", "new"),
    "change.changed": ("修改", "changed"),
    "change.unchanged": ("未变", "unchanged"),
    "nav.analysis": ("分析", "Analysis"),
    "nav.explorer": ("指标查询", "Explorer"),
    "nav.quality": ("数据质量", "Data quality"),
    "explorer.title": ("指标查询", "Indicator explorer"),
    "explorer.intro": (
        "筛选条件保存在网址中，复制网址即可分享同一视图。",
        "Filters are kept in the URL: copy it to share this exact view.",
    ),
    "explorer.programmes": ("工程", "Programmes"),
    "explorer.tasks": ("任务", "Tasks"),
    "explorer.departments": ("责任单位", "Departments"),
    "explorer.statuses": ("状态（按末年）", "Status (in the last year)"),
    "explorer.search": ("搜索指标名称或编码", "Search names or codes"),
    "explorer.years": ("年份范围", "Years"),
    "explorer.all": ("全部", "All"),
    "explorer.reset": ("清除筛选", "Reset filters"),
    "explorer.count": ("共{count}项指标", "{count} indicators"),
    "table.page": ("页码（共{pages}页）", "Page (of {pages})"),
    "table.rows_shown": ("第{first}—{last}行，共{rows}行", "Rows {first}–{last} of {rows}"),
    "explorer.none": ("没有符合条件的指标，请放宽筛选条件。", "No indicator matches; widen the filters."),
    "explorer.export_csv": ("导出 CSV", "Export CSV"),
    "explorer.export_xlsx": ("导出 Excel", "Export Excel"),
    "explorer.charts": ("图表", "Charts"),
    "explorer.chart_limit": (
        "所选指标较多：热力图显示前{rows}项，两年对比显示变化最大的{rows}项。",
        "Many indicators selected: the heatmap shows the first {rows}, the comparison the {rows} that moved most.",
    ),
    "explorer.heatmap": ("目标完成进度热力图", "Progress toward the target: heatmap"),
    "explorer.compare": ("两年对比", "Two years compared"),
    "explorer.scatter": ("进度与预测", "Pace and projection"),
    "explorer.first_year": ("对比年份一", "First year"),
    "explorer.second_year": ("对比年份二", "Second year"),
    "explorer.pick": ("查看指标详情（历史、轨迹、数据溯源）", "Indicator detail (history, trajectory, data lineage)"),
    "chart.heatmap": ("各指标历年目标完成进度", "Progress toward the target of each indicator by year"),
    "chart.completion_axis": ("目标完成进度", "Progress toward the target"),
    "chart.completion_hover": ("目标完成进度：{share}", "Progress toward the target: {share}"),
    "chart.compare": ("{a}年与{b}年目标完成进度对比", "Progress toward the target in {a} and {b}"),
    "chart.pace_axis": (
        "进度比（目标完成进度 / 序时进度）",
        "Pace (progress toward the target / expected progress to date)",
    ),
    "chart.projected_axis": ("目标年预计目标完成进度", "Projected progress toward the target in the target year"),
    "chart.scatter": ("进度比与目标年预计目标完成进度", "Pace against projected progress toward the target"),
    "chart.up": ("上升", "Up"),
    "chart.down": ("下降", "Down"),
    "lineage.title": ("数据溯源（每个数值由哪次上传设定）", "Data lineage: which upload set each value"),
    "lineage.empty": ("该指标还没有任何上传数值。", "No value has been uploaded for this indicator."),
    "lineage.in_effect": ("现行", "in effect"),
    "lineage.replaced": ("已被替换", "replaced"),
    "lineage.rolled_back": ("已撤销", "rolled back"),
    "detail.weight": ("权重{weight}", "weight {weight}"),
    "quality.title": ("数据质量", "Data quality"),
    "quality.intro": (
        "{year}年的填报进度，以及值得复核的数据。",
        "Reporting progress for {year}, and figures worth a check.",
    ),
    "quality.progress": ("填报进度（按责任单位）", "Reporting progress by department"),
    "quality.missing": ("{year}年尚无数值的指标", "Indicators without a {year} value"),
    "quality.stale": ("连续{years}年以上数值不变", "Same value {years} years or more in a row"),
    "quality.jumps": (
        "数值跳变（超过上年3倍或不足三分之一）",
        "Jumps (more than 3× or under a third of the year before)",
    ),
    "quality.targets": ("缺少基期值或目标值的指标", "Indicators without a baseline or target"),
    "quality.none": ("无。", "None."),
    "quality.all_reported": ("{year}年所有指标均已填报。", "Every indicator has a {year} value."),
    "col.reported": ("已填报", "Reported"),
    "col.indicators": ("指标数", "Indicators"),
    "col.share": ("填报率", "Share reported"),
    "col.missing": ("未填报指标", "Missing"),
    "col.from": ("起始年", "From"),
    "col.to": ("截止年", "To"),
    "col.years": ("年数", "Years"),
    "col.previous": ("上年值", "Year before"),
    "col.ratio": ("倍数", "Ratio"),
    "col.open": ("详情", "Detail"),
    "col.pace": ("进度比", "Pace"),
    "col.baseline": ("基期值", "Baseline"),
    "col.projected": ("预测值", "Projected"),
    "col.outcome": ("预测结论", "Outlook"),
    "col.replaced": ("替换的原值", "Value replaced"),
    "export.sample": ("示例数据：数值仅为演示，并非真实统计。", "Sample data: invented figures, not real statistics."),
    "nav.admin": ("管理", "Administration"),
    "nav.accounts": ("账号与角色", "Accounts and roles"),
    "nav.audit": ("审计日志", "Audit log"),
    "nav.account": ("账号", "Account"),
    "nav.signin": ("登录", "Sign in"),
    "auth.single_user": (
        "本机单用户模式：尚未设置任何账号，打开本页的人都拥有管理员权限。要启用登录，请用 "
        "`python -m hqd user add 用户名 --role admin` 创建账号（详见 README）。",
        "Single-user local mode: no account is set up, so whoever opens this page is admin. To turn "
        "on sign-in, create an account with `python -m hqd user add NAME --role admin` (see README).",
    ),
    "auth.signed_in": ("当前用户：{name}（{role}）", "Signed in: {name} ({role})"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.expired": ("长时间未操作，已自动退出，请重新登录。", "You were signed out after a while without activity."),
    "auth.title": ("登录", "Sign in"),
    "auth.intro": ("请使用管理员分配的账号登录。", "Sign in with the account your administrator gave you."),
    "auth.username": ("用户名", "User name"),
    "auth.password": ("密码", "Password"),
    "auth.submit": ("登录", "Sign in"),
    "auth.sso": ("使用单位统一身份认证登录", "Sign in with single sign-on"),
    "auth.already": ("您已登录为{name}（{role}）。", "You are signed in as {name} ({role})."),
    "auth.header_mode": ("身份由反向代理提供，无需在此登录。", "Your identity comes from the proxy; no sign-in here."),
    "auth.no_proxies": (
        "已设置 `HQD_TRUSTED_HEADER`（{header}），却没有设置 `HQD_TRUSTED_PROXIES`：任何人都能自己发送这个请求头、"
        "冒充管理员，因此看板拒绝运行。请把反向代理连接本程序时使用的地址写入 `HQD_TRUSTED_PROXIES`"
        "（例如 `127.0.0.1/32`，多个用逗号分隔），然后重新启动（详见 SECURITY.md）。",
        "`HQD_TRUSTED_HEADER` ({header}) is set but `HQD_TRUSTED_PROXIES` is not: anyone could send that "
        "header and pose as an admin, so the dashboard refuses to run. Set `HQD_TRUSTED_PROXIES` to the "
        "address the reverse proxy connects from (e.g. `127.0.0.1/32`, several separated by commas) and "
        "restart (see SECURITY.md).",
    ),
    "auth.bad_proxies": (
        "`HQD_TRUSTED_PROXIES` 中的“{entry}”不是 IP 地址或网段（例如 `127.0.0.1/32`），"
        "看板拒绝运行。请改正后重新启动。",
        "“{entry}” in `HQD_TRUSTED_PROXIES` is not an IP address or network (e.g. `127.0.0.1/32`), so the "
        "dashboard refuses to run. Correct it and restart.",
    ),
    "upload.user_signed_in": ("提交人：{name}（当前登录用户）", "Submitted by: {name} (signed in)"),
    "accounts.title": ("账号与角色", "Accounts and roles"),
    "accounts.intro": (
        "查看人员只读；分析人员可筛选和导出；领导可筛选和导出，并可人工研判和作出批示；"
        "填报人员可上传、提交和撤销，并答复本单位的批示；管理员另可管理账号和指标目录。",
        "Viewers read; analysts also filter and export; leaders also filter and export, review lights and give "
        "instructions; editors also upload, commit, roll back and answer their departments' instructions; "
        "admins also manage accounts and the catalog.",
    ),
    "accounts.list": ("本地账号", "Local accounts"),
    "accounts.none": (
        "还没有本地账号。创建第一个管理员账号后，应用将要求登录。",
        "No local account yet. Once the first admin account exists, the app asks people to sign in.",
    ),
    "accounts.add": ("新建或修改账号", "Add or change an account"),
    "accounts.username": ("用户名", "User name"),
    "accounts.display": ("姓名", "Name"),
    "accounts.role": ("角色", "Role"),
    "accounts.password": ("新密码（修改账号时留空则不变）", "New password (leave empty to keep it)"),
    "accounts.disabled": ("停用此账号", "Disable this account"),
    "accounts.save": ("保存账号", "Save account"),
    "accounts.saved": ("已保存账号 {username}。", "Account {username} saved."),
    "accounts.identities": ("统一身份认证 / 代理用户的角色", "Roles of single sign-on and proxy users"),
    "accounts.identities_help": (
        "未列出的用户以「查看人员」身份只读访问。",
        "Users not listed here get read-only access.",
    ),
    "accounts.identity": ("邮箱或代理用户名", "E-mail or proxy user name"),
    "accounts.identity_save": ("保存身份角色", "Save identity role"),
    "accounts.identity_remove": ("（移除）", "(remove)"),
    "accounts.locked": ("锁定至{time}", "locked until {time}"),
    "audit.title": ("审计日志", "Audit log"),
    "audit.intro": (
        "登录、上传、撤销、目录和账号的每次变动，按时间倒序；记录只增不改。",
        "Every sign-in, upload, rollback, catalog and account change, newest first; rows are never changed.",
    ),
    "audit.action": ("操作", "Action"),
    "audit.user": ("用户", "User"),
    "audit.empty": ("没有符合条件的记录。", "No matching entry."),
    "audit.chain_intact": ("审计链完整，共{count}条。", "The audit chain is intact: {count} entries."),
    "audit.chain_changed": (
        "审计链断裂：第{seq}条（编号{row_id}）的内容与其哈希不符，已被改动。",
        "The audit chain is broken: entry {seq} (id {row_id}) no longer matches its hash; it was altered.",
    ),
    "audit.chain_link": (
        "审计链断裂：第{seq}条（编号{row_id}）接不上前一条：记录被改动后重算了哈希、被替换、插入或调换了次序。",
        "The audit chain is broken: entry {seq} (id {row_id}) does not follow the one before: an entry was "
        "altered and re-hashed, replaced, inserted or moved.",
    ),
    "audit.chain_missing": (
        "审计链断裂：第{seq}条已被删除。",
        "The audit chain is broken: entry {seq} was deleted.",
    ),
    "audit.chain_head": (
        "审计链断裂：链头记录缺失或与最后一条不符。",
        "The audit chain is broken: its head record is missing or does not match the last entry.",
    ),
    "col.detail": ("说明", "Detail"),
    "col.role": ("角色", "Role"),
    "col.username": ("用户名", "User name"),
    "col.disabled": ("已停用", "Disabled"),
    "col.last_sign_in": ("最近登录", "Last sign-in"),
    "col.identity": ("身份", "Identity"),
    "role.none": ("无", "none"),
    # Refusals (hqd.refusal.Refusal): code -> message; the values are those the code carries.
    "denied.view": ("您的角色（{role}）无权使用此页面。", "Your role ({role}) may not use this page."),
    "denied.explore": ("您的角色（{role}）无权使用此页面。", "Your role ({role}) may not use this page."),
    "denied.export": ("您的角色（{role}）无权导出数据。", "Your role ({role}) may not export data."),
    "denied.export_bulletin": (
        "只有填报人员或管理员可以生成推进情况通报。",
        "Only editors and admins may make the progress bulletin.",
    ),
    "denied.upload": ("只有填报人员或管理员可以提交数据。", "Only editors and admins may commit data."),
    "denied.commit": ("只有填报人员或管理员可以提交数据。", "Only editors and admins may commit data."),
    "denied.review_uploads": (
        "只有填报人员或管理员可以撤销上传；撤销指标目录须由管理员进行。",
        "Only editors and admins may roll back uploads; catalog versions need an admin.",
    ),
    "denied.rollback_data": (
        "只有填报人员或管理员可以撤销上传；撤销指标目录须由管理员进行。",
        "Only editors and admins may roll back uploads; catalog versions need an admin.",
    ),
    "denied.rollback_catalog": (
        "只有填报人员或管理员可以撤销上传；撤销指标目录须由管理员进行。",
        "Only editors and admins may roll back uploads; catalog versions need an admin.",
    ),
    "denied.revise_catalog": (
        "文件含有指标目录修改，只有管理员可以提交。请删除「指标目录」表后再上传数据。",
        "The file changes the catalog, which only an admin may commit. Remove its 指标目录 sheet and upload "
        "the data again.",
    ),
    "denied.remove_sample": ("只有管理员可以删除示例数据。", "Only an admin may remove the sample data."),
    "denied.manage_accounts": ("您的角色（{role}）无权使用此页面。", "Your role ({role}) may not use this page."),
    "denied.read_audit": ("您的角色（{role}）无权使用此页面。", "Your role ({role}) may not use this page."),
    "denied.explain": ("您的角色（{role}）无权填写情况说明。", "Your role ({role}) may not record explanations."),
    "denied.report_key_tasks": (
        "您的角色（{role}）无权填报重点任务进展。",
        "Your role ({role}) may not report key-task progress.",
    ),
    "denied.answer_instruction": (
        "您的角色（{role}）无权答复批示。",
        "Your role ({role}) may not answer instructions.",
    ),
    "denied.review_light": ("您的角色（{role}）无权人工研判。", "Your role ({role}) may not review lights."),
    "denied.instruct": ("您的角色（{role}）无权作出批示。", "Your role ({role}) may not give instructions."),
    # --- Leaders (issue 13, helper "leaders"): reviewed lights (人工研判), instructions (批示), key tasks in the
    # score (hqd.directives, hqd.ui.leadership). ---
    "denied.answer_other_department": (
        "该批示请{department}答复，您的账号不能答复。",
        "This instruction is for {department} to answer: your account may not answer it.",
    ),
    "directive.reason_needed": ("请填写研判理由。", "Give the reason for the review."),
    "directive.reason_too_long": (
        "研判理由过长（{length}字），最多{limit}字。",
        "The reason is too long ({length} characters); at most {limit}.",
    ),
    "directive.instruction_needed": ("请填写批示内容。", "Write the instruction."),
    "directive.instruction_too_long": (
        "批示内容过长（{length}字），最多{limit}字。",
        "The instruction is too long ({length} characters); at most {limit}.",
    ),
    "directive.answer_needed": ("请填写答复内容。", "Write the answer."),
    "directive.answer_too_long": (
        "答复内容过长（{length}字），最多{limit}字。",
        "The answer is too long ({length} characters); at most {limit}.",
    ),
    "directive.bad_status": ("不能研判为「{status}」。", "A light cannot be reviewed as “{status}”."),
    "directive.bad_target": (
        "批示对象不明（{target_kind}：{target}）。",
        "Unknown subject of the instruction ({target_kind}: {target}).",
    ),
    "directive.department_needed": ("请选择答复单位。", "Choose the department to answer."),
    "audit.answer_refused": (
        "拒绝答复第{instruction}号批示：该批示请{department}答复",
        "Answer to instruction #{instruction} refused: it is for {department} to answer",
    ),
    "review.note": (
        "计算：{computed} → 研判：{status}，理由：{reason}（{role} {user}，{date}）",
        "Computed: {computed} → reviewed: {status}; reason: {reason} ({role} {user}, {date})",
    ),
    "review.heading": ("人工研判（{period}）", "Reviewed light ({period})"),
    "review.help": (
        "研判状态与计算状态并列显示，仅适用于本报告期；需填写理由。",
        "A reviewed light is shown beside the computed one and holds for this reporting period only; give a reason.",
    ),
    "review.status": ("研判状态", "Reviewed light"),
    "review.reason": ("理由", "Reason"),
    "review.save": ("保存研判", "Save review"),
    "review.withdraw": ("撤销研判", "Withdraw review"),
    "review.saved": ("已保存人工研判。", "Review saved."),
    "review.withdrawn": ("已撤销人工研判。", "Review withdrawn."),
    "review.counted": ("统计按研判状态计。", "Counts take the reviewed light."),
    "review.not_counted": ("统计仍按计算状态计。", "Counts keep the computed light."),
    "col.review": ("研判", "Reviewed"),
    "summary.reviewed": (
        "{count}个指标本期经人工研判，{counted}",
        "{count} indicators' lights were reviewed for this period; {counted}",
    ),
    "summary.reviewed_one": (
        "{count}个指标本期经人工研判，{counted}",
        "{count} indicator's light was reviewed for this period; {counted}",
    ),
    "instruction.heading": ("批示", "Instructions"),
    "instruction.none": ("暂无批示。", "No instruction yet."),
    "instruction.give": ("作出批示", "Give an instruction"),
    "instruction.target": ("批示对象", "On"),
    "instruction.department": ("答复单位", "Department to answer"),
    "instruction.text": ("批示内容", "Instruction"),
    "instruction.save": ("发出批示", "Give instruction"),
    "instruction.saved": ("已发出批示。", "Instruction given."),
    "instruction.on_indicator": ("指标 {code} {name}", "Indicator {code} {name}"),
    "instruction.on_task": ("任务 {name}", "Task {name}"),
    "instruction.on_programme": ("工程 {name}", "Programme {name}"),
    "instruction.open": (
        "待答复｜{target}｜请{department}答复｜{user}，{date}",
        "Open | {target} | for {department} | {user}, {date}",
    ),
    "instruction.closed": (
        "已答复｜{target}｜{department}｜{user}，{date}",
        "Answered | {target} | {department} | {user}, {date}",
    ),
    "instruction.answer_line": ("答复：{answer}（{user}，{date}）", "Answer: {answer} ({user}, {date})"),
    "instruction.answer": ("答复", "Answer"),
    "instruction.answer_save": ("提交答复", "Submit answer"),
    "instruction.answered": ("已答复批示。", "Answer given."),
    "keytask.in_score_help": (
        "已完成全部节点的重点任务数；按设置以{weight}的权重计入工程得分（docs/METHOD.md §8）。",
        "Key tasks with every milestone done; by the settings they count for {weight} of the programme's score "
        "(docs/METHOD.md §8).",
    ),
    "store.busy": (
        "数据库正忙（其他人正在提交），请稍后重试。",
        "The database is busy (someone else is committing); please try again in a moment.",
    ),
    "store.duplicate": (
        "该文件与第{upload_id}号上传（{file_name}）内容完全相同，未重复导入。",
        "This file is identical to upload #{upload_id} ({file_name}); it was not imported again.",
    ),
    "store.schema_newer": (
        "数据库结构版本{version}比本程序（{supported}）新，请升级 HQD。",
        "The database schema (version {version}) is newer than this program's ({supported}); please upgrade HQD.",
    ),
    "store.schema_not_owner": (
        "数据库结构需要从版本{version}升级到{supported}，当前数据库账号无权修改结构。"
        "请用数据库所有者账号运行 python -m hqd init，再用 python -m hqd grant 重新授权。",
        "The database schema must be upgraded from version {version} to {supported}, and this database account "
        "may not change it. Run python -m hqd init as the database owner, then python -m hqd grant again.",
    ),
    "store.no_catalog": (
        "数据库中没有指标目录，请先运行 python -m hqd init。",
        "The database holds no catalog; run python -m hqd init first.",
    ),
    "store.no_upload": ("没有第{upload_id}号上传。", "There is no upload #{upload_id}."),
    "store.no_evidence": ("没有第{evidence_id}号佐证材料。", "There is no evidence file #{evidence_id}."),
    "store.no_instruction": ("没有第{instruction_id}号批示。", "There is no instruction #{instruction_id}."),
    "store.instruction_answered": (
        "第{instruction_id}号批示已于{at}答复，不能再次答复。",
        "Instruction #{instruction_id} was answered at {at}; it cannot be answered again.",
    ),
    "store.already_rolled_back": (
        "第{upload_id}号上传已于{at}撤销。",
        "Upload #{upload_id} was already rolled back at {at}.",
    ),
    "store.last_catalog": (
        "这是唯一有效的指标目录版本，不能撤销。",
        "This is the only catalog version in effect; it cannot be rolled back.",
    ),
    "store.audit_head_missing": (
        "审计日志的链头记录缺失，可能被人改动过；请管理员运行 python -m hqd audit --verify 检查。",
        "The audit log's head record is missing and may have been tampered with; an admin should run "
        "python -m hqd audit --verify.",
    ),
    "store.backup_not_sqlite": (
        "请用数据库自带的工具备份（PostgreSQL：pg_dump）。",
        "Back up with the database's own tools (PostgreSQL: pg_dump).",
    ),
    "store.backup_exists": ("{path} 已存在，请换一个文件名。", "{path} already exists; choose another file name."),
    "store.backup_damaged": (
        "备份文件已损坏（{detail}），未恢复。",
        "The backup is damaged ({detail}); nothing was restored.",
    ),
    "store.backup_not_hqd": (
        "备份文件不是 HQD 数据库，未恢复。",
        "The backup is not an HQD database; nothing was restored.",
    ),
    "store.backup_newer": (
        "备份的数据库结构版本{version}比本程序（{supported}）新，请先升级 HQD。",
        "The backup's schema (version {version}) is newer than this program's ({supported}); upgrade HQD first.",
    ),
    "store.backup_unreadable": (
        "备份文件不是有效的 SQLite 数据库（{detail}），未恢复。",
        "The backup is not a valid SQLite database ({detail}); nothing was restored.",
    ),
    "store.database_in_use": (
        "数据库正在使用中（HQD 仍在运行？），请先停止 HQD 再恢复。",
        "The database is in use (is HQD still running?); stop HQD before restoring.",
    ),
    "store.restore_not_sqlite": (
        "只能恢复 SQLite 数据库；PostgreSQL 请用 pg_restore。",
        "Only a SQLite database can be restored this way; for PostgreSQL use pg_restore.",
    ),
    "store.backup_missing": ("找不到备份文件 {path}。", "Backup file {path} not found."),
    "store.backup_is_database": (
        "备份文件就是当前数据库，无需恢复。",
        "The backup is the current database itself; there is nothing to restore.",
    ),
    "store.grant_not_postgresql": (
        "只有 PostgreSQL 需要区分所有者账号和应用账号。",
        "Only PostgreSQL needs the owner's account kept apart from the app's.",
    ),
    "store.grant_no_role": (
        "数据库中没有角色 {role_name}，请先创建（CREATE ROLE {role_name} LOGIN PASSWORD '…'）。",
        "The database has no role {role_name}; create it first (CREATE ROLE {role_name} LOGIN PASSWORD '…').",
    ),
    "store.grant_superuser": (
        "角色 {role_name} 是超级用户或当前（所有者）账号，不能作为应用账号。",
        "Role {role_name} is a superuser or the current (owner's) account; it cannot be the app's account.",
    ),
    "store.grant_owner": (
        "角色 {role_name} 拥有（或继承）表 {tables}，可以停用触发器；应用账号不能拥有任何表。",
        "Role {role_name} owns (or inherits) the tables {tables} and could disable their triggers; the app's "
        "account must own no table.",
    ),
    "store.grant_schema": (
        "当前账号无权让 {role_name} 使用 schema {schema}：请由数据库管理员把该 schema 交给所有者账号"
        "（ALTER SCHEMA {schema} OWNER TO 所有者），或直接授予（GRANT USAGE ON SCHEMA {schema} TO {role_name}）。",
        "This account may not let {role_name} use schema {schema}: a database administrator should give the schema "
        "to the owner's account (ALTER SCHEMA {schema} OWNER TO owner) or grant it directly "
        "(GRANT USAGE ON SCHEMA {schema} TO {role_name}).",
    ),
    # Problems found in an uploaded file or a catalog (hqd.problems): code -> sentence; the values
    # are the problem's params. Where it is (sheet, row, column) is shown beside it.
    "problems.found": ("发现{count}处问题：\n{lines}", "{count} problems found:\n{lines}"),
    "problem.at_sheet": ("工作表「{sheet}」", "Sheet “{sheet}”"),
    "problem.at_row": ("第{row}行", "row {row}"),
    "problem.at_column": ("{column}列", "column {column}"),
    "problem.uncalculated": (
        "该单元格的公式没有保存计算结果，请在 Excel/WPS 中打开文件、保存后再上传。",
        "The formula in this cell has no saved result: open the file in Excel or WPS, save it and upload it again.",
    ),
    "problem.no_header": (
        "找不到表头（应有「{code_header}」或「{name_header}」列）。",
        "No header row found: the sheet needs a column “{code_header}” (indicator code) or “{name_header}” "
        "(indicator name).",
    ),
    "problem.no_value_column": (
        "缺少「{value_header}」列：长表须有「{year_header}」和「{value_header}」两列。",
        "The column “{value_header}” (value) is missing: a long table needs the columns “{year_header}” (year) "
        "and “{value_header}” (value).",
    ),
    "problem.no_year_column": (
        "缺少「{year_header}」列：长表须有「{year_header}」和「{value_header}」两列。",
        "The column “{year_header}” (year) is missing: a long table needs the columns “{year_header}” (year) "
        "and “{value_header}” (value).",
    ),
    "problem.no_year_columns": (
        "缺少年份列：请使用模板的年份列（如2023），或「{year_header}」「{value_header}」两列。",
        "No year column: use the template's year columns (such as 2023), or the columns “{year_header}” (year) "
        "and “{value_header}” (value).",
    ),
    "problem.bad_year": ("年份「{value}」无效。", "“{value}” is not a valid year."),
    "problem.unknown_indicator": (
        "未知指标「{text}」：指标目录中没有这个编码或名称。",
        "Unknown indicator “{text}”: no indicator in the catalog has this code or name.",
    ),
    "problem.unknown_indicator_hint": (
        "未知指标「{text}」：指标目录中没有这个编码或名称，是否为「{hint} {hint_name}」？",
        "Unknown indicator “{text}”: no indicator in the catalog has this code or name. Did you mean "
        "“{hint} {hint_name_en}”?",
    ),
    "problem.stray_row": (
        "「{text}」不是指标目录中的指标，且没有数值，已忽略。",
        "“{text}” is not an indicator of the catalog and the row has no values; it was ignored.",
    ),
    "problem.not_a_number": ("「{value}」不是数字。", "“{value}” is not a number."),
    "problem.percent_for_unit": (
        "该指标单位为「{unit}」，不应填写百分数「{value}」。",
        "The indicator's unit is “{unit}”: the percentage “{value}” does not fit it.",
    ),
    "problem.future_year": ("{year}尚未到来。", "{year} has not come yet."),
    "problem.outside_period": (
        "{year}不在规划期（{first}–{last}年）内。",
        "{year} is outside the plan period ({first}–{last}).",
    ),
    # A figure's period against its indicator's reporting frequency and kind of value (issue 12).
    "problem.bad_period": (
        "报告期「{value}」无效（可写作2026年1—10月、2026年10月、2026年三季度、2026年上半年等）。",
        "“{value}” is not a reporting period (write it as, for instance, 2026-10, 2026Q3 or 2026).",
    ),
    "problem.period_without_year": (
        "「{period}」没有年份：请写明年份（如2026年{period}），或在工作表名称或表头上方的标题中注明年份。",
        "“{period}” has no year: add the year to it, or give the year in the sheet's name or in a title above "
        "the header.",
    ),
    "problem.period_not_from_january": (
        "「{period}」不是从1月起的累计期：请填写1—{month}月累计数。",
        "“{period}” does not start in January: enter the year-to-date total for months 1–{month}.",
    ),
    "problem.period_not_quarterly": (
        "{indicator}按季度报送，「{period}」不是季末：只填写3、6、9、12月（一至四季度）的数据。",
        "{indicator} is reported quarterly and “{period}” ends no quarter: only figures for March, June, "
        "September and December (the quarters) are taken.",
    ),
    "problem.period_not_yearly": (
        "{indicator}按年度报送，「{period}」不是全年数据：请填写{year}年全年的数值。",
        "{indicator} is reported yearly and “{period}” is not a whole year: enter the figure for the whole "
        "year {year}.",
    ),
    "problem.period_single_month": (
        "「{period}」是单月数，而{indicator}按1月起的累计数报送：请填写1—{month}月累计数。",
        "“{period}” is one month's figure, but {indicator} is reported as a year-to-date total: enter the total "
        "for months 1–{month}.",
    ),
    "problem.period_single_quarter": (
        "「{period}」是单季数，而{indicator}按1月起的累计数报送：请填写1—{month}月累计数。",
        "“{period}” is one quarter's figure, but {indicator} is reported as a year-to-date total: enter the "
        "total for months 1–{month}.",
    ),
    "problem.percent_range": ("百分比{value:g}超出0–100。", "The percentage {value:g} is outside 0–100."),
    "problem.negative": ("数量或金额不能为负数：{value:g}。", "A count or an amount cannot be negative: {value:g}."),
    "problem.milestone_integer": (
        "节点性指标须填整数阶段，现为{value:g}。",
        "A milestone indicator takes a whole stage number, not {value:g}.",
    ),
    "problem.percent_fraction": (
        "百分比指标填了{value:g}，是否应为{percent:g}？（百分比指标请填写百分数本身）",
        "A percentage indicator holds {value:g}: should it be {percent:g}? (Enter the percentage itself.)",
    ),
    "problem.duplicate_value": (
        "指标{indicator}的{year}数据出现多次且数值不同（{value:g}；首次见于「{first_sheet}」第{first_row}行"
        "{first_column}列）。",
        "Indicator {indicator} has more than one value for {year} ({value:g}; first seen on sheet “{first_sheet}”, "
        "row {first_row}, column {first_column}).",
    ),
    "problem.jump": (
        "{indicator}的{year}数值{value:g}是上年{previous:g}的{ratio:.2g}倍，请确认单位和数值。",
        "Indicator {indicator}: the {year} value {value:g} is {ratio:.2g} times the year before's {previous:g}; "
        "check the unit and the value.",
    ),
    "problem.jump_within_year": (
        "{indicator}的{year}数值{value:g}是上年同期{previous:g}的{ratio:.2g}倍，请确认单位和数值。",
        "Indicator {indicator}: the {year} value {value:g} is {ratio:.2g} times the same period of the year "
        "before ({previous:g}); check the unit and the value.",
    ),
    "problem.coverage": (
        "文件中没有{department}的以下指标的数值：{codes}。",
        "The file has no value for these indicators of {department}: {codes}.",
    ),
    "problem.coverage_no_department": (
        "文件中没有未指定责任单位的以下指标的数值：{codes}。",
        "The file has no value for these indicators without a responsible department: {codes}.",
    ),
    "problem.empty_sheet": ("工作表为空，已忽略。", "The sheet is empty; it was ignored."),
    "problem.sheet_without_header": (
        "该工作表没有指标数据表头（「{code_header}」或「{name_header}」），已忽略。",
        "The sheet has no indicator header (“{code_header}” or “{name_header}”); it was ignored.",
    ),
    "problem.no_values": (
        "文件中没有找到任何指标数值（工作表为空或年份列都没有填写）。",
        "The file holds no indicator value (its sheets are empty or no year column is filled in).",
    ),
    "problem.catalog_no_header": (
        "找不到表头（应有「{code_header}」列），未修改指标目录。",
        "No header row found (the column “{code_header}” is needed); the catalog was not changed.",
    ),
    "problem.catalog_unknown_indicator": (
        "指标「{code}」不在{period}的指标目录中；目录修改只能调整已有指标，新增指标请联系管理员。",
        "Indicator “{code}” is not in the catalog of {period}: a catalog revision may only change existing "
        "indicators; ask an admin to add a new one.",
    ),
    "problem.catalog_not_a_number": ("「{header}」不是数字：{value}。", "“{header}” is not a number: {value}."),
    "problem.catalog_ignored": (
        "此表与当前指标目录有{count}处不同，已忽略；修改目录须由管理员以「修改指标目录」方式上传。",
        "This sheet differs from the current catalog in {count} places and was ignored; only an admin may change "
        "the catalog, by uploading the file as a catalog revision.",
    ),
    "problem.catalog_missing_column": ("缺少列「{name}」。", "The column “{name}” is missing."),
    "problem.catalog_field_not_a_number": ("「{name}」不是数字：{value}。", "“{name}” is not a number: {value}."),
    "problem.catalog_field_blank": ("「{name}」为空。", "“{name}” is empty."),
    "problem.catalog_blank_code": ("编码为空。", "The code is empty."),
    "problem.catalog_duplicate_code": ("编码「{code}」重复。", "The code “{code}” appears more than once."),
    "problem.catalog_weight": ("权重必须为正数，现为{weight:g}。", "The weight must be positive, not {weight:g}."),
    "problem.catalog_duplicate_slug": ("网址名「{slug}」重复。", "The URL name “{slug}” appears more than once."),
    "problem.catalog_target_year": ("目标年必须晚于基期年。", "The target year must come after the baseline year."),
    "problem.catalog_unknown_programme": (
        "工程「{programme}」不在工程表中。",
        "Programme “{programme}” is not in the programmes table.",
    ),
    "problem.catalog_programme_without_tasks": (
        "工程「{programme}」没有任务。",
        "Programme “{programme}” has no task.",
    ),
    "problem.catalog_task_without_indicators": ("任务「{task}」没有指标。", "Task “{task}” has no indicator."),
    "problem.catalog_unknown_period": (
        "规划期「{period}」不在规划期表中。",
        "Plan period “{period}” is not in the periods table.",
    ),
    "problem.catalog_unknown_task": ("任务「{task}」不在任务表中。", "Task “{task}” is not in the tasks table."),
    "problem.catalog_task_programme": (
        "任务「{task}」不属于工程「{programme}」。",
        "Task “{task}” does not belong to programme “{programme}”.",
    ),
    "problem.catalog_direction": (
        "方向「{direction}」无效，应为 up、down 或 milestone。",
        "The direction “{direction}” is invalid: it must be up, down or milestone.",
    ),
    "problem.catalog_trajectory": (
        "轨迹「{trajectory}」无效，应为 linear 或 compound。",
        "The trajectory “{trajectory}” is invalid: it must be linear or compound.",
    ),
    "problem.catalog_frequency": (
        "报送频率「{frequency}」无效，应为 month（月度）、quarter（季度）或 year（年度）。",
        "The reporting frequency “{frequency}” is invalid: it must be month, quarter or year.",
    ),
    "problem.catalog_value_kind": (
        "数值类型「{value_kind}」无效，应为 cumulative（累计值）、stock（时点值）、rate（比率）或 milestone（节点）。",
        "The kind of value “{value_kind}” is invalid: it must be cumulative, stock, rate or milestone.",
    ),
    "problem.catalog_milestone_kind": (
        "节点性目标的数值类型应为 milestone，不能是「{value_kind}」。",
        "A milestone target's kind of value must be milestone, not “{value_kind}”.",
    ),
    "problem.catalog_annual_target_unknown": (
        "年度目标中的指标 {code}（{period}）不在指标目录中。",
        "The annual target's indicator {code} ({period}) is not in the catalog.",
    ),
    "problem.catalog_annual_target_year": (
        "指标 {code} 的年度目标年份 {year} 不在其基期年之后、目标年及之前。",
        "The annual target year {year} of indicator {code} is not after its baseline year and up to its target year.",
    ),
    # Key tasks (重点任务) and their milestones (节点) in the catalog (hqd.catalog._check_key_tasks).
    "problem.catalog_key_task_unknown_task": (
        "重点任务 {key_task} 所属的任务「{task}」不在任务表中。",
        "Key task {key_task} belongs to task “{task}”, which is not in the tasks table.",
    ),
    "problem.catalog_month_format": (
        "{name} 列的「{value}」不是年月，应写作 YYYY-MM（如 2025-06）。",
        "“{value}” in column {name} is not a month: write it as YYYY-MM (e.g. 2025-06).",
    ),
    "problem.catalog_key_task_due_before_start": (
        "重点任务 {key_task} 的完成时间 {due} 早于开始时间 {start}。",
        "Key task {key_task} is due in {due}, before it starts in {start}.",
    ),
    "problem.catalog_milestone_unknown_key_task": (
        "节点所属的重点任务 {key_task} 不在重点任务表中。",
        "The milestone's key task {key_task} is not in the key tasks table.",
    ),
    "problem.catalog_milestone_outside": (
        "重点任务 {key_task} 的节点时间 {due} 不在其起止时间（{start}至{end}）之内。",
        "Key task {key_task}'s milestone in {due} is outside its time, {start} to {end}.",
    ),
    "problem.catalog_milestone_last_not_due": (
        "重点任务 {key_task} 的最后一个节点在 {due}，应在其完成时间 {end}。",
        "Key task {key_task}'s last milestone is in {due}: it must be in its due month, {end}.",
    ),
    # An admin's 年度目标 sheet (hqd.revisions.read_annual_targets_sheet).
    "problem.annual_no_header": (
        "找不到年度目标表头：应有「{code_header}」列，以及「{year_header}」「{value_header}」两列或每年一列"
        "（如「2027」「2027年」）；未修改年度目标。",
        "No annual-targets header found: the sheet needs a “{code_header}” column and either “{year_header}” and "
        "“{value_header}” columns or one column per year (such as “2027”); no annual target was changed.",
    ),
    "problem.annual_unknown_indicator": (
        "指标「{code}」不在{period}的指标目录中，不能设定年度目标。",
        "Indicator “{code}” is not in the catalog of {period}: it can have no annual target.",
    ),
    "problem.annual_bad_year": (
        "指标{indicator}的年份「{value}」无效，应为如2027或2027年。",
        "Indicator {indicator}: “{value}” is not a year (write e.g. 2027).",
    ),
    "problem.annual_not_a_number": (
        "指标{indicator}的{year}年度目标「{value}」不是数字；要恢复按规划轨迹，请填写「{trajectory_word}」。",
        "The {year} annual target of indicator {indicator}, “{value}”, is not a number; to follow the plan "
        "trajectory again, write “{trajectory_word}”.",
    ),
    "problem.annual_duplicate": (
        "指标{indicator}的{year}年度目标已在第{first_row}行填写，同一年份只能填写一次。",
        "The {year} annual target of indicator {indicator} is already given in row {first_row}; give each year once.",
    ),
    "problem.annual_targets_ignored": (
        "此表有{count}个年度目标与现行不同，已忽略；修改年度目标须由管理员以「修改指标目录」方式上传。",
        "This sheet differs from the annual targets in effect in {count} places and was ignored; only an admin may "
        "change annual targets, by uploading the file as a catalog revision.",
    ),
    "problem.catalog_target_below_base": (
        "方向为「{direction}」，目标值{target:g}不应低于基期值{base:g}。",
        "With direction “{direction}” the target {target:g} may not be below the baseline {base:g}.",
    ),
    "problem.catalog_target_above_base": (
        "方向为「down」，目标值{target:g}不应高于基期值{base:g}。",
        "With direction “down” the target {target:g} may not be above the baseline {base:g}.",
    ),
    "problem.catalog_milestone_integer": (
        "节点性指标的阶段必须为整数，现为{value:g}。",
        "A milestone indicator's stage must be a whole number, not {value:g}.",
    ),
    # Files that cannot be read (hqd.reading.WorkbookError).
    "read.too_large": (
        "文件大小{mb:.1f} MB，超过上限{max_mb} MB。",
        "The file is {mb:.1f} MB, over the limit of {max_mb} MB.",
    ),
    "read.empty": ("文件是空的。", "The file is empty."),
    "read.no_reader": (
        "服务器暂时无法读取文件，请稍后重试。",
        "The server cannot read files just now; please try again later.",
    ),
    "read.timeout": (
        "读取文件超过{seconds}秒仍未完成，已停止：文件过大、结构异常或已损坏。"
        "请删除多余内容，或用 Excel/WPS 另存为 .xlsx 后再上传。",
        "Reading the file took more than {seconds} seconds and was stopped: the file is too large, oddly built or "
        "damaged. Delete what is not needed, or save it as .xlsx in Excel or WPS, and upload it again.",
    ),
    "read.memory": (
        "读取该文件所需内存超过上限（{mb:,} MB），文件可能已损坏或为恶意文件，已拒绝。",
        "Reading the file needs more memory than the limit ({mb:,} MB); the file may be damaged or malicious and "
        "was refused.",
    ),
    "read.crashed": (
        "无法读取该文件，文件可能已损坏（读取时出错退出）。",
        "The file cannot be read and may be damaged (the reader stopped with an error).",
    ),
    "read.bad_answer": (
        "无法读取该文件，文件可能已损坏（读取结果无效）。",
        "The file cannot be read and may be damaged (the reader's answer was invalid).",
    ),
    "read.password": (
        "文件设有密码保护，请在 Excel/WPS 中取消密码后再上传。",
        "The file is protected by a password: remove the password in Excel or WPS and upload it again.",
    ),
    "read.corrupt_detail": (
        "无法读取该文件，文件可能已损坏：{detail}",
        "The file cannot be read and may be damaged: {detail}",
    ),
    "read.bad_zip": (
        "文件已损坏（压缩结构无效），请重新保存后再上传。",
        "The file is damaged (its zip structure is invalid); save it again and upload it.",
    ),
    "read.not_a_table": (
        "文件内容不是 Excel/WPS 表格（可能是改了扩展名的其他文件），请另存为 .xlsx 后再上传。",
        "The file is not an Excel or WPS spreadsheet (perhaps another kind of file, renamed); save it as .xlsx and "
        "upload it again.",
    ),
    "read.dtd": (
        "文件中含有 DTD 声明（Excel/WPS 从不写入，常见于 XXE、“十亿笑声”等攻击），疑似恶意文件，已拒绝。",
        "The file contains a DTD declaration (Excel and WPS never write one; XXE and “billion laughs” attacks do): "
        "refused as likely malicious.",
    ),
    "read.extent": (
        "工作表「{sheet}」的数据区域为 {area}（{rows:,}行 × {columns:,}列），超过上限{max_cells:,}个单元格，"
        "文件未读取。请删除表格以外远处的单元格或多余的行列后再上传。",
        "Sheet “{sheet}” spans {area} ({rows:,} rows × {columns:,} columns), more than the limit of "
        "{max_cells:,} cells; the file was not read. Delete far-away cells and extra rows or columns, then upload "
        "it again.",
    ),
    "read.rows": (
        "文件共{rows:,}行，超过上限{max_rows:,}行，请拆分后分别上传。",
        "The file has {rows:,} rows, more than the limit of {max_rows:,}; split it and upload the parts one by one.",
    ),
    "read.zip_members": (
        "文件含有{count:,}个压缩成员，远超任何表格文件，疑似恶意文件，已拒绝。",
        "The file holds {count:,} zip members, far more than any spreadsheet: refused as likely malicious.",
    ),
    "read.zip_claims": (
        "文件解压后达{mb} MB，与文件大小不成比例，疑似恶意文件，已拒绝。",
        "The file would unpack to {mb} MB, out of all proportion to its size: refused as likely malicious.",
    ),
    "read.unpacked": (
        "文件解压后超过{mb} MB，与文件大小不成比例（压缩包所记录的大小与实际不符），疑似恶意文件，已拒绝。",
        "The file unpacks to more than {mb} MB, out of all proportion to its size (the sizes its zip records are "
        "false): refused as likely malicious.",
    ),
    "read.xlsb": (
        "不支持 Excel 二进制工作簿（.xlsb），请在 Excel/WPS 中另存为 .xlsx 后再上传。",
        "Excel binary workbooks (.xlsb) are not supported: save the file as .xlsx in Excel or WPS and upload it again.",
    ),
    "read.compression": (
        "文件使用了表格软件不使用的压缩方式，无法读取，请用 Excel/WPS 重新保存后再上传。",
        "The file uses a compression no spreadsheet program uses and cannot be read; save it again in Excel or WPS "
        "and upload it.",
    ),
    "read.cells_total": (
        "文件各工作表的数据区域合计超过上限{max_cells:,}个单元格，文件未读取。请拆分后分别上传。",
        "The sheets of the file together span more than the limit of {max_cells:,} cells; the file was not read. "
        "Split it and upload the parts one by one.",
    ),
    "read.sheet_cells": (
        "工作表「{sheet}」的单元格超过上限{max_cells:,}个，文件未读取。请拆分后分别上传。",
        "Sheet “{sheet}” has more than the limit of {max_cells:,} cells; the file was not read. Split it and upload "
        "the parts one by one.",
    ),
    "read.cell_position": (
        "无法读取该文件，文件可能已损坏（工作表「{sheet}」中有无效的单元格位置）。",
        "The file cannot be read and may be damaged (sheet “{sheet}” names an invalid cell position).",
    ),
    "read.merged": (
        "工作表「{sheet}」的合并单元格覆盖范围过大，疑似恶意文件，已拒绝。",
        "The merged cells of sheet “{sheet}” cover too large an area: refused as likely malicious.",
    ),
    "read.csv_binary": (
        "文件内容不是文本表格，请另存为 .xlsx 后再上传。",
        "The file is not a text table; save it as .xlsx and upload it again.",
    ),
    "read.csv_field": (
        "CSV 文件第{row}行有单元格超过{limit:,}个字符（也可能是引号不成对），无法读取。请检查该行后再上传。",
        "Row {row} of the CSV file has a cell longer than {limit:,} characters (or unmatched quotes) and cannot be "
        "read; check that row and upload the file again.",
    ),
    "read.csv_format": (
        "CSV 文件第{row}行格式有误（{detail}），无法读取。",
        "Row {row} of the CSV file is malformed ({detail}) and cannot be read.",
    ),
    "read.encoding": (
        "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件。",
        "The file's text encoding is not recognised; save it as a UTF-8 or GBK CSV, or as .xlsx.",
    ),
    # Account checks and sign-in (hqd.accounts).
    "account.password_short": (
        "密码至少需要{length}个字符。",
        "A password needs at least {length} characters.",
    ),
    "account.password_simple": ("密码不能只含数字或只含字母。", "A password may not be only digits or only letters."),
    "account.bad_username": (
        "用户名只能包含字母、数字、点、下划线或减号（2–40个字符）。",
        "A user name may hold only letters, digits, dots, underscores and hyphens (2–40 characters).",
    ),
    "account.password_needed": ("新账号必须设置密码。", "A new account needs a password."),
    "account.last_admin": (
        "必须保留至少一个可用的管理员账号（第一个账号请设为管理员）。",
        "At least one enabled admin account must remain (make the first account an admin).",
    ),
    # Departments of accounts (issue 13): editors report only for their own departments' indicators.
    "account.department_needed": (
        "填报人员账号须属于至少一个责任单位。",
        "An editor's account must belong to at least one department.",
    ),
    "account.departments_editor_only": (
        "只有填报人员账号属于责任单位；管理员可填报全部单位，分析人员、领导和查看人员不填报。请清空责任单位。",
        "Only editors belong to departments: admins report for all, analysts, leaders and viewers for none. "
        "Clear the departments.",
    ),
    "account.unknown_department": (
        "没有责任单位「{department}」。",
        "No department “{department}”.",
    ),
    "accounts.departments": ("责任单位（填报人员）", "Departments (editors)"),
    "accounts.departments_help": (
        "填报人员只能上传本单位指标的数值；管理员可上传全部单位的数值。",
        "Editors may upload figures only for their departments' indicators; admins for every department.",
    ),
    "col.departments": ("责任单位", "Departments"),
    # A figure, an explanation or a key-task row of another department (issue 13: departments, reports).
    "problem.not_your_department": (
        "该项由{department}负责，您的账号不能为其填报。",
        "This item is {department}'s: your account may not report for it.",
    ),
    "denied.other_department": (
        "文件有{count}项内容属于您所在单位以外的指标或重点任务，未导入。",
        "The file holds {count} items of other departments' indicators or key tasks; nothing was imported.",
    ),
    "audit.upload_refused": (
        "上传被拒绝：{count}项内容属于本单位（{departments}）以外的指标或重点任务",
        "Upload refused: {count} items of indicators or key tasks outside the account's departments ({departments})",
    ),
    # --- Departments' reports beside their figures (issue 13, helper explain: hqd.reports, hqd.submissions,
    # hqd.ui.reporting): explanations, key-task progress, evidence files, rollback by department ---
    "problem.text_too_long": (
        "「{field}」共{length}字，超过{limit}字的上限，请精简。",
        "“{field}” has {length} characters, over the limit of {limit}; shorten it.",
    ),
    "problem.explanation_incomplete": (
        "情况说明须同时填写原因分析和整改措施：「{field}」未填。",
        "An explanation needs both its cause and its measures: “{field}” is empty.",
    ),
    "problem.bad_date": (
        "「{value}」不是日期（可写作2026-12-31、2026年12月31日或2026年12月）。",
        "“{value}” is not a date (write it as 2026-12-31, or a month as 2026-12).",
    ),
    "problem.expected_before_period": (
        "预计完成时间{value}早于报告期（{period_year}年{period_month}月）。",
        "The expected completion date {value} is before the reporting month ({period_year}-{period_month:02d}).",
    ),
    "problem.explanation_no_period": (
        "指标{indicator}的情况说明没有报告期：请填写「说明报告期」或「报告期」。",
        "The explanation of {indicator} names no reporting month: fill in its reporting period.",
    ),
    "problem.duplicate_explanation": (
        "同一指标、同一报告期有两条情况说明，只取第一条。",
        "A second explanation of the same indicator and month: only the first is kept.",
    ),
    "problem.no_key_task_header": (
        "重点任务表没有找到表头「{header}」。",
        "The key-task sheet has no “{header}” header.",
    ),
    "problem.unknown_key_task": (
        "未知重点任务「{text}」：目录中没有这个编号。",
        "Unknown key task “{text}”: no key task has this code.",
    ),
    "problem.unknown_step": (
        "重点任务{key_task}没有节点「{step}」。",
        "Key task {key_task} has no milestone “{step}”.",
    ),
    "problem.bad_completion_date": (
        "重点任务{key_task}的完成日期「{value}」不是日期（可写作2026-09-30或2026年9月30日）。",
        "The completion date “{value}” of key task {key_task} is not a date (write it as 2026-09-30).",
    ),
    "problem.completion_cleared": (
        "重点任务{key_task}的节点{step}已报完成，不能通过清空完成日期撤销；如需更正，请在「上传历史」中撤销报送该日期的那次填报。",
        "Milestone {step} of key task {key_task} is reported done; a blank date does not undo it: roll back the "
        "upload that reported it on the upload history page.",
    ),
    "problem.completed_in_future": (
        "重点任务{key_task}的完成日期{value}晚于今天：只填写已完成的节点。",
        "Key task {key_task}'s completion date {value} is after today: report only milestones done.",
    ),
    "problem.progress_conflict": (
        "重点任务{key_task}有两段不同的进展情况：每个重点任务只填一段。",
        "Key task {key_task} has two different progress texts: give one per key task.",
    ),
    "problem.progress_no_period": (
        "重点任务{key_task}的进展情况没有有效的报告期（「{value}」），请写作2026年10月。",
        "Key task {key_task}'s progress has no valid reporting month (“{value}”); write it as 2026-10.",
    ),
    "problem.evidence_empty": ("佐证材料「{file}」是空文件。", "The evidence file “{file}” is empty."),
    "problem.evidence_too_large": (
        "佐证材料「{file}」有{mb}MB，超过{max_mb}MB的上限。",
        "The evidence file “{file}” is {mb} MB, over the limit of {max_mb} MB.",
    ),
    "problem.evidence_type": (
        "佐证材料「{file}」的内容不是可接受的类型（{kinds}），未保存。",
        "The evidence file “{file}” is not of an accepted kind by its content ({kinds}); it was not kept.",
    ),
    "problem.nothing_reported": (
        "没有新的内容：与现有的说明或进展相同，未保存。",
        "Nothing new: the same as what is already reported, so nothing was stored.",
    ),
    "denied.department": (
        "该项由{department}负责，您的账号不能为其填报，已记录。",
        "This item is {department}'s: your account may not report for it. The attempt was recorded.",
    ),
    "denied.rollback_other_department": (
        "第{upload_id}号上传含有本单位以外（{departments}）的内容，只有管理员可以撤销，已记录。",
        "Upload #{upload_id} holds items of other departments ({departments}): only an admin may roll it back."
        " The attempt was recorded.",
    ),
    "audit.rollback_refused": (
        "拒绝撤销第{upload_id}号上传：含有本单位以外（{departments}）的内容",
        "Rollback of upload #{upload_id} refused: it holds items of other departments ({departments})",
    ),
    "history.other_departments": (
        "此上传含有本单位以外（{departments}）的内容，只有管理员可以撤销。",
        "This upload holds items of other departments ({departments}): only an admin may roll it back.",
    ),
    "upload.form_file": ("表单填报", "Form"),
    "explain.heading": ("情况说明", "Explanation"),
    "explain.none": ("本报告期尚无情况说明。", "No explanation for this reporting month yet."),
    "explain.line": ("**{label}**：{text}", "**{label}**: {text}"),
    "explain.cause": ("原因分析", "Cause"),
    "explain.measures": ("整改措施", "Measures"),
    "explain.expected": ("预计完成时间", "Expected completion"),
    "explain.given": ("{user}填报于{time}", "Given by {user} on {time}"),
    "explain.submit": ("提交情况说明", "Submit the explanation"),
    "report.saved": ("已保存，可在上传历史中查看或撤销。", "Saved; see or roll it back in the upload history."),
    "report.key_task": ("{code} {name}：填报进展与佐证材料", "{code} {name}: progress and evidence"),
    "report.evidence_file": (
        "{file}（{kb}KB，{user}，{time}）",
        "{file} ({kb} KB, {user}, {time})",
    ),
    "report.progress_text": ("进展情况（{period}）", "Progress ({period})"),
    "report.milestone_done": (
        "节点{step}：{text}（计划{due}）完成日期",
        "Milestone {step}: {text} (due {due}), completed on",
    ),
    "report.evidence": (
        "佐证材料（PDF、图片、Word或Excel文件，可选）",
        "Evidence (PDF, image, Word or Excel file; optional)",
    ),
    "report.submit": ("提交进展", "Submit the progress"),
    "report.explanations": ("情况说明（{count}条）", "Explanations ({count})"),
    "report.progress": ("重点任务进展（{count}条）", "Key-task progress ({count})"),
    "report.milestones": ("完成的节点（{count}个）", "Milestones completed ({count})"),
    "report.col_period": ("报告期", "Period"),
    "report.col_cause": ("原因分析", "Cause"),
    "report.col_measures": ("整改措施", "Measures"),
    "report.col_expected": ("预计完成时间", "Expected completion"),
    "report.col_progress": ("进展情况", "Progress"),
    "report.col_step": ("节点序号", "Milestone"),
    "report.col_completed": ("完成日期", "Completed on"),
    "cli.account_departments": ("账号 {username} 的责任单位已设置。", "Departments of account {username} set."),
    "signin.refused": ("用户名或密码错误。", "Wrong user name or password."),
    "signin.locked": (
        "连续多次密码错误，账号已锁定，请{minutes}分钟后再试。",
        "Too many wrong passwords: the account is locked; try again in {minutes} minutes.",
    ),
    "signin.locked_now": (
        "连续{attempts}次密码错误，账号已锁定{minutes}分钟。",
        "{attempts} wrong passwords in a row: the account is locked for {minutes} minutes.",
    ),
    "commit.has_errors": ("文件有{count}处错误，未导入。", "The file has {count} errors; nothing was imported."),
    "commit.nothing": (
        "文件中没有可导入的数值或目录修改。",
        "The file holds no values or catalog changes to import.",
    ),
    "sample.real_data": (
        "数据库中已有真实数据，不再加载示例数据。",
        "The database already holds real data; the sample data is not loaded.",
    ),
    "cli.no_department": (
        "没有责任单位「{department}」。可选：{known}",
        "No department “{department}”. Known: {known}",
    ),
    "cli.password_mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "cli.account_exists": (
        "账号 {username} 已存在；改密码请用 user passwd。",
        "Account {username} already exists; change its password with user passwd.",
    ),
    "cli.no_account": ("没有账号 {username}。", "There is no account {username}."),
    "cli.error": ("错误：{message}", "Error: {message}"),
    "cli.unreadable": ("无法读取文件 {file}：{error}", "Cannot read the file {file}: {error}"),
    "cli.problem_error": ("错误：{line}", "Error: {line}"),
    "cli.problem_warning": ("警告：{line}", "Warning: {line}"),
    "cli.import_summary": (
        "共{rows}个数值：新增{new}，修改{changed}，未变{unchanged}；目录修改{catalog_changes}处；"
        "错误{errors}，警告{warnings}。",
        "{rows} values: {new} new, {changed} changed, {unchanged} unchanged; {catalog_changes} catalog changes; "
        "{errors} errors, {warnings} warnings.",
    ),
    "cli.imported": ("已导入，第{upload_id}号上传。", "Imported as upload #{upload_id}."),
    "cli.dry_run": ("仅检查（--dry-run），未导入。", "Checked only (--dry-run); nothing was imported."),
    "cli.not_imported": ("文件有错误，未导入任何数据。", "The file has errors; nothing was imported."),
    "cli.init_created": (
        "已创建数据库，指标目录{count}项。",
        "Database created; its catalog holds {count} indicators.",
    ),
    "cli.init_exists": (
        "已存在数据库，指标目录{count}项。",
        "The database already exists; its catalog holds {count} indicators.",
    ),
    "cli.sample_loaded": ("已载入示例数据（第{upload_id}号上传）。", "Sample data loaded (upload #{upload_id})."),
    "cli.sample_exists": ("示例数据已存在。", "The sample data is already loaded."),
    "cli.template_written": ("已生成模板：{path}", "Template written: {path}"),
    "cli.bad_period": (
        "报告期「{value}」无效：请写年份（如2026）或年月（如2026-10）。",
        "“{value}” is not a period: give a year (such as 2026) or a month (such as 2026-10).",
    ),
    "cli.progress_heading": (
        "{year}年进度（得分 / 序时进度 / 状态）",
        "Progress in {year} (score / expected progress to date / status)",
    ),
    "cli.overall": ("总体", "Overall"),
    "cli.keytasks_heading": (
        "截至{date}的重点任务：共{total}项，滞后{late}项（未报送进展时，过了节点时间即为滞后）。",
        "Key tasks as of {date}: {total}, {late} late (until progress is reported, a milestone past its date is late).",
    ),
    "cli.bad_date": (
        "无法识别日期「{text}」，应写作 YYYY-MM-DD。",
        "Cannot read the date “{text}”: write it as YYYY-MM-DD.",
    ),
    "cli.attention": ("需关注的指标：", "Needs attention:"),
    "cli.in_year_heading": (
        "截至{year}年{month}月进度（完成 / 序时进度 / 差距（百分点） / 状态）",
        "Progress to the end of {month}/{year} (done / due by now / gap in points / status)",
    ),
    "cli.in_year_row": (
        "  {code} {name}：{status}，完成{completion:.0%}，序时进度{expected:.0%}，{department}",
        "  {code} {name}: {status}, {completion:.0%} done against {expected:.0%} due by now, {department}",
    ),
    "cli.bad_month": (
        "月份「{value}」无效，应写作 年-月，如 2026-10。",
        "The month “{value}” is invalid: write it as year-month, e.g. 2026-10.",
    ),
    "cli.nothing_within_year": (
        "规划期 {period} 没有月度、季度报送的指标：{year}年{month}月无序时进度可计算，年度指标于年末报送。",
        "The plan period {period} has no indicator reported monthly or quarterly: nothing to judge at "
        "{month}/{year}; yearly figures come at the year's end.",
    ),
    "cli.month_outside_period": (
        "{year}年不在规划期 {period} 内。",
        "{year} is not a year of the plan period {period}.",
    ),
    "cli.attention_row": (
        "  {code} {name}：{status}，目标完成进度{completion:.0%}，{department}",
        "  {code} {name}: {status}, progress toward the target {completion:.0%}, {department}",
    ),
    "cli.upload_row": (
        "#{id:<4} {time}  {kind}{sample}  {state}  {user}  {file}  "
        "{rows}行（新增{new}，修改{changed}，未变{unchanged}）",
        "#{id:<4} {time}  {kind}{sample}  {state}  {user}  {file}  "
        "{rows} rows ({new} new, {changed} changed, {unchanged} unchanged)",
    ),
    "cli.sample_mark": ("（示例）", " (sample)"),
    "cli.rolled_back": ("已撤销", "rolled back"),
    "cli.in_effect": ("有效", "in effect"),
    "cli.sample_removed": ("已删除示例数据（{count}次上传）。", "Sample data removed ({count} uploads)."),
    "cli.no_sample": ("没有示例数据。", "There is no sample data."),
    "cli.password_prompt": ("密码：", "Password: "),
    "cli.password_again": ("再次输入：", "Again: "),
    "cli.account_enabled": ("可用", "enabled"),
    "cli.account_disabled": ("停用", "disabled"),
    "cli.account_add": ("账号 {username} 已创建。", "Account {username} created."),
    "cli.account_passwd": ("账号 {username} 已重设密码。", "Password of account {username} set."),
    "cli.account_disable": ("账号 {username} 已停用。", "Account {username} disabled."),
    "cli.account_enable": ("账号 {username} 已启用。", "Account {username} enabled."),
    "cli.identity_set": ("身份 {identity} 的角色已设为{role}。", "Role of {identity} set to {role}."),
    "cli.identity_none": ("无（只读）", "none (read only)"),
    "cli.last_hash": ("末条哈希：{hash}", "Last hash: {hash}"),
    "cli.backup_done": ("已备份到 {path}", "Backed up to {path}"),
    "cli.restored": ("已从 {backup} 恢复数据库。", "Database restored from {backup}."),
    "cli.restored_kept": (
        "已从 {backup} 恢复数据库；原数据库另存为 {kept}。",
        "Database restored from {backup}; the replaced database was kept as {kept}.",
    ),
    "cli.granted": (
        "已授权角色 {role_name}：审计日志只能读取和追加，不能修改、删除或清空。",
        "Role {role_name} granted: it may read the audit log and append to it, never change, delete or empty it.",
    ),
    # Audit details the store records as data (hqd.store.audit.encode_detail).
    "audit.catalog_version": ("指标目录新版本，{indicators}项指标", "New catalog version: {indicators} indicators"),
    "audit.catalog_revised": (
        "指标目录新版本，{indicators}项指标，修改{changed}处",
        "New catalog version: {indicators} indicators, {changed} changes",
    ),
    "audit.values_committed": (
        "{values}个数值（新增{new}，修改{changed}）",
        "{values} values ({new} new, {changed} changed)",
    ),
    "audit.rolled_back": ("撤销第{upload_id}号上传", "Upload #{upload_id} rolled back"),
    "audit.copy_rolled_back": (
        "撤销第{upload_id}号上传：与更早的上传内容完全相同（结构升级）",
        "Upload #{upload_id} rolled back: the same bytes as an earlier upload (schema upgrade)",
    ),
    "audit.light_reviewed": (
        "人工研判：{indicator}（{year}年{month}月）",
        "Light reviewed: {indicator} ({month}/{year})",
    ),
    "audit.review_withdrawn": (
        "撤销人工研判：{indicator}（{year}年{month}月）",
        "Review withdrawn: {indicator} ({month}/{year})",
    ),
    "audit.instruction_given": (
        "第{instruction}号批示：{target}，请{department}答复",
        "Instruction #{instruction} on {target}, for {department} to answer",
    ),
    "audit.instruction_answered": ("答复第{instruction}号批示", "Instruction #{instruction} answered"),
    "audit.sample_removed": ("删除示例数据（{uploads}次上传）", "Sample data removed ({uploads} uploads)"),
    "audit.account_created": ("新建账号 {username}：{fields}", "Account {username} created: {fields}"),
    "audit.account_changed": ("修改账号 {username}：{fields}", "Account {username} changed: {fields}"),
    "audit.password_sign_in": ("密码登录", "Password sign-in"),
    "audit.restored": ("从备份 {backup} 恢复", "Restored from backup {backup}"),
    "audit.restored_kept": (
        "从备份 {backup} 恢复，原数据库另存为 {kept}",
        "Restored from backup {backup}; the replaced database was kept as {kept}",
    ),
    "audit.sign_in_locked": ("账号锁定中", "Account locked"),
    "audit.sign_in_unknown": ("没有这个账号", "No such account"),
    "audit.sign_in_disabled": ("账号已停用", "Account disabled"),
    "audit.sign_in_wrong": ("密码错误", "Wrong password"),
    "audit.identity_role": ("身份 {identity} 的角色设为{role}", "Role of {identity} set to {role}"),
    # Charts (issue 11): the target and projection named in the legend, the pace chart's target year and gaps.
    "chart.target_legend": ("{year}年目标值：{value}", "Target for {year}: {value}"),
    "chart.projection_of": ("趋势预测（{status}）", "Projection ({status})"),
    "chart.outcome_axis": ("目标年实际目标完成进度", "Progress toward the target reached in the target year"),
    "chart.scatter_outcome": (
        "进度比与目标年实际目标完成进度",
        "Pace against progress toward the target reached in the target year",
    ),
    "chart.pace_no_values": (
        "{year}年所选指标均无实际值，无法计算进度比。请选择有数据的截止年份。",
        "None of the selected indicators has a value for {year}, so there is no pace to plot. "
        "Choose an end year with data.",
    ),
    "chart.pace_base_year": (
        "{year}年为基期，尚无进度可比。请选择更晚的截止年份。",
        "{year} is the base year: there is no progress to compare yet. Choose a later end year.",
    ),
    "chart.pace_no_projection": (
        "{year}年所选指标均无法测算目标年目标完成进度（测算需至少两年实际值）。",
        "None of the selected indicators can be projected from {year} (a projection needs two years of values).",
    ),
    "chart.pace_omitted": (
        "另有{count}项指标因数据不足未画出。",
        "{count} more indicators not shown (not enough data).",
    ),
    # --- Links and times (issue 11, "Links") ---
    "settings.bad_timezone": (
        "HQD_TIMEZONE 设置为“{name}”，不是已知的时区。请改为时区名称（例如 Asia/Shanghai）后重新启动。",
        "HQD_TIMEZONE is set to “{name}”, which is not a known time zone. "
        "Set it to a time zone name (for example Asia/Shanghai) and restart.",
    ),
    # Upload, history, audit and the command line (issue 11).
    "history.confirm_values": (
        "撤销第{id}号上传「{file}」？{count}个数值将恢复为上传前的状态。",
        "Roll back upload #{id} “{file}”? {count} values go back to what they were before it. ",
    ),
    "history.confirm_changed": (
        "修改过的{count}个数值恢复原值。",
        "{count} changed values get their previous value back. ",
    ),
    "history.confirm_new": ("新增的{count}个数值撤除。", "{count} new values are removed. "),
    "history.confirm_unchanged": (
        "另有{count}个数值与上传前相同，撤销后不变。",
        "{count} more values equal those in effect before the upload and stay as they are. ",
    ),
    "history.confirm_recorded": ("此操作会记录在历史中。", "The rollback is recorded in the history."),
    "history.confirm_catalog": (
        "撤销第{id}号上传「{file}」？它对指标目录的{count}处修改将恢复为上传前的状态。此操作会记录在历史中。",
        "Roll back upload #{id} “{file}”? Its {count} changes to the catalog go back to what they were before it. "
        "The rollback is recorded in the history.",
    ),
    "history.why_name": ("请先填写操作人：撤销会记录此姓名。", "Enter your name first: the rollback records it."),
    "upload.why_errors": (
        "有{count}个错误，不能提交：请改正文件后重新上传。",
        "{count} errors block the commit: correct the file and upload it again.",
    ),
    "upload.why_name": ("请先填写提交人，再提交。", "Enter your name under “Submitted by” to commit."),
    "upload.why_as_of": (
        "正在查看过去某一时刻的数据：回到当前数据后才能提交。",
        "You are viewing the data as of a past moment: return to today's data to commit.",
    ),
    "audit.previewed": (
        "预览{rows}个数值：新增{new}个，修改{changed}个，未变{unchanged}个；目录修改{catalog_changes}处；"
        "错误{errors}个，提醒{warnings}个",
        "Preview of {rows} values: {new} new, {changed} changed, {unchanged} unchanged; "
        "{catalog_changes} catalog changes; {errors} errors, {warnings} warnings",
    ),
    "cli.file_missing": ("找不到文件「{file}」。", "No such file: {file}."),
    "cli.file_denied": ("没有读写文件「{file}」的权限。", "Not allowed to read or write the file {file}."),
    "cli.file_is_directory": ("「{file}」是文件夹，不是文件。", "{file} is a folder, not a file."),
    "cli.file_failed": (
        "无法读写文件「{file}」（系统错误 {errno}）。",
        "Cannot read or write the file {file} (system error {errno}).",
    ),
    # Issue 11, tables, exports and the programme cards.
    "col.attainment": ("完成率", "Completion rate"),
    "app.sample_line": (
        "示例数据：数值仅为演示，并非真实统计（管理员可运行 `python -m hqd remove-sample` 删除）。",
        "Sample data: invented figures, not real statistics (delete them with `python -m hqd remove-sample`).",
    ),
    "auth.single_user_line": (
        "本机单用户模式：打开本页的人都有管理员权限；启用登录见 README。",
        "Single-user mode: whoever opens this page is an admin; see README to turn on sign-in.",
    ),
    "overview.card_expected": ("序时进度{score}", "expected {score}"),
    "detail.standing": (
        "{year}年完成率{attainment}（实际值÷目标值），目标完成进度{completion}。",
        "In {year}: completion rate {attainment} (actual ÷ target), progress toward the target {completion}.",
    ),
    "detail.needed_down": (
        "今后每年需减少{change}。",
        "Reaching the target on time needs a decrease of {change} a year.",
    ),
    "field.base_year": ("基期年", "Baseline year"),
    "field.base_value": ("基期值", "Baseline"),
    "field.target_year": ("目标年", "Target year"),
    "field.target_value": ("目标值", "Target"),
    "field.weight": ("权重", "Weight"),
    "field.department": ("责任单位", "Responsible department"),
    "field.annual_target": ("{year}年度目标", "{year} annual target"),
    "field.annual_target_trajectory": ("按规划轨迹", "on the plan trajectory"),
    # Issue 12, the final assessment of a finished period.
    "nav.assessment": ("终期评估", "Final assessment"),
    "assessment.title": ("{period}终期评估", "{period}: final assessment"),
    "assessment.none": (
        "尚无已结束的规划期：规划目标年的数据填报后，即可查看终期评估。",
        "No plan period has ended yet: the final assessment shows once a period's target year is reported.",
    ),
    "assessment.scope": (
        "{period}（{base_year}—{target_year}年）各项指标在目标年{target_year}年是否完成规划目标。",
        "Whether each indicator of the {period} ({base_year}–{target_year}) met its target in {target_year}.",
    ),
    "assessment.summary": ("评估结论", "Summary"),
    "assessment.indicators": ("各指标完成情况", "Indicators"),
    "assessment.programmes": ("分工程完成情况", "By programme"),
    "assessment.tasks": ("分任务完成情况", "By task"),
    "assessment.share_met": ("完成占比（按权重）", "Share met (weighted)"),
    "assessment.share_help": (
        "已完成指标的权重占全部指标权重的比例；无数据的指标计入分母，视为未达到目标。",
        "The weight of the indicators that met their target over the weight of all of them; an indicator "
        "without data counts in the whole, as not met.",
    ),
    "assessment.summary_counts": (
        "{period}期末，{total}项指标中{parts}；按指标权重计，已完成的占{share}。",
        "At the end of the {period}, of {total} indicators {parts}; by indicator weight, {share} met their target.",
    ),
    "assessment.count_met": ("已完成{count}项", "{count} met their target"),
    "assessment.count_not_met": ("未完成{count}项", "{count} fell short"),
    "assessment.count_no_data": ("无数据{count}项", "{count} without a final figure"),
    "assessment.summary_programmes": (
        "分工程看，{best}完成占比最高（{best_share}），{worst}最低（{worst_share}）。",
        "By programme, {best} met the largest share ({best_share}) and {worst} the smallest ({worst_share}).",
    ),
    "assessment.summary_short": (
        "未完成的指标中，目标完成进度最低的是{names}。",
        "Of those that fell short, the furthest from their target are {names}.",
    ),
    "overview.to_assessment": ("查看{period}终期评估", "Open the {period} final assessment"),
    "col.outcome_final": ("完成情况", "Outcome"),
    "col.final_value": ("期末实际值", "Final actual"),
    "col.task": ("任务", "Task"),
    "col.met": ("已完成", "Met"),
    "col.not_met": ("未完成", "Not met"),
    "col.no_data": ("无数据", "No data"),
    "col.share_met": ("完成占比（按权重）", "Share met (weighted)"),
    "cli.assess_heading": (
        "{period}终期评估，目标年{year}年（指标数 / 已完成 / 未完成 / 无数据 / 完成占比）：",
        "{period}: final assessment, target year {year} (indicators / met / not met / no data / share met):",
    ),
    "cli.assess_indicators": ("各指标（完成情况 / 完成率 / 与目标差距）：", "Indicators (outcome / rate / gap):"),
    "cli.unknown_period": (
        "没有规划期「{period}」；已有：{known}。",
        "There is no plan period {period}; known: {known}.",
    ),
    "cli.no_ended_period": (
        "尚无已结束的规划期，请用 --period 指定。",
        "No plan period has ended yet; name one with --period.",
    ),
}


def translate(key: str, lang: str = "zh", **values) -> str:
    """Return the text of a key in the language, with values filled in."""
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def translator(lang: str) -> Callable[..., str]:
    """Return translate() bound to one language."""
    return lambda key, **values: translate(key, lang, **values)


def audit_chain_text(check, lang: str = "zh") -> str:
    """Return the verdict on the audit chain (a store.AuditCheck): intact, or its first broken link."""
    if check.problem is None:
        return translate("audit.chain_intact", lang, count=check.rows)
    return translate(f"audit.chain_{check.problem}", lang, seq=check.seq, row_id=check.row_id)


def status_name(status: str, lang: str = "zh") -> str:
    """Return the name of a status in the language."""
    return STATUSES.loc[status, "zh" if lang == "zh" else "en"]


def status_text(status: str, lang: str = "zh") -> str:
    """Return a status as symbol and name, never colour alone."""
    return f"{STATUSES.loc[status, 'symbol']} {status_name(status, lang)}"


def status_labels(lang: str = "zh") -> dict[str, str]:
    """Return status_text() of every status, to map a whole column at once."""
    return {status: status_text(status, lang) for status in STATUSES.index}


def key_task_status_text(status: str, days_late: int, lang: str = "zh") -> str:
    """Return a key task's or milestone's standing as symbol and words: 已完成, 按期推进, 滞后 N 天 or 未开始."""
    key = "done_late" if status == "done" and days_late > 0 else status
    key = f"{key}_one" if days_late == 1 and key in ("late", "done_late") else key
    return f"{KEY_TASK_STATUSES.loc[status, 'symbol']} {translate(f'keytask.status_{key}', lang, days=days_late)}"


def explanation_text(state: str | None, days: int = 0, on_time: bool | None = None, lang: str = "zh") -> str:
    """Return an indicator's 说明状态 as symbol and words: 已说明 (late: how late), 未说明, 逾期N天; empty for none."""
    if not state:
        return ""
    key = "explained_late" if state == "explained" and on_time is False else state
    return translate(f"supervise.state_{key}", lang, days=int(days))


def outcome_text(outcome: str, lang: str = "zh") -> str:
    """Return a final assessment's outcome (met, not_met, no_data) as symbol and name, never colour alone."""
    return f"{OUTCOMES.loc[outcome, 'symbol']} {OUTCOMES.loc[outcome, 'zh' if lang == 'zh' else 'en']}"


def projection_text(projection: str, lang: str = "zh") -> str:
    """Return the name of a projection outcome ('' when there is none)."""
    return PROJECTIONS.loc[projection, "zh" if lang == "zh" else "en"] if projection else ""


def name_column(lang: str) -> str:
    """Return the catalog column holding names in the language."""
    return "name_zh" if lang == "zh" else "name_en"


def department_name(department: str, lang: str = "zh") -> str:
    """Return a responsible department's name in the language; one without an English name as the catalog has it."""
    return department if lang == "zh" else read_department_names().get(department, department)


def person_name(name: str, lang: str = "zh") -> str:
    """Return who made a change as shown: a person's name as recorded; the app's own loads as 示例数据 / sample data."""
    return translate("sample.user", lang) if name == SAMPLE_USER else name


def file_label(name: str, lang: str = "zh") -> str:
    """Return an upload's file name as shown; the catalog the app loads on first start, the sample's supervision
    reports and a form's report are named in the language."""
    if name == FORM_FILE:
        return translate("upload.form_file", lang)
    if name == SAMPLE_REPORTS:
        return translate("sample.reports_file", lang)
    return translate("sample.catalog_file", lang) if name == DEFAULT_CATALOG else name


def role_name(role: str | None, lang: str = "zh") -> str:
    """Return a role's name in the language (no role: none)."""
    if role not in ROLE_NAMES.index:
        return translate("role.none", lang)
    return ROLE_NAMES.loc[role, "zh" if lang == "zh" else "en"]


def _shown(values: Mapping, lang: str) -> dict[str, str]:
    """Return the values of a message as shown: times local, lists joined, roles named."""
    shown = {}
    for name, value in values.items():
        if isinstance(value, datetime):
            value = format_time(value, lang)
        elif name == "departments" and isinstance(value, list | tuple):
            value = ("、" if lang == "zh" else ", ").join(department_name(str(v), lang) for v in value)
        elif isinstance(value, list | tuple):
            value = ("、" if lang == "zh" else ", ").join(str(v) for v in value)
        elif name == "role":
            value = role_name(value, lang)
        elif name == "department" and isinstance(value, str):
            value = department_name(value, lang)
        shown[name] = value
    return shown


def describe_error(error: Exception, lang: str = "zh") -> str:
    """Return the message of a refusal (anything with a code in MESSAGES and its params) in the language.

    Any other error is shown as it is.
    """
    code = getattr(error, "code", None)
    if code not in MESSAGES:
        return str(error)
    values = _shown(getattr(error, "params", {}), lang)
    problems = getattr(error, "problems", None)
    if problems is not None:
        # hqd.problems.ProblemsError: every problem, one a line.
        values["lines"] = "\n".join(problem_line(p, lang) for _, p in problems.iterrows())
    return translate(code, lang, **values)


def describe_problem(problem, params: Mapping | None = None, lang: str = "zh") -> str:
    """Return what a problem says, in the language: from a row of a problems frame, or from a code and its params."""
    if isinstance(problem, str):
        code, values = problem, params or {}
    else:
        code, values = problem["code"], problem["params"]
    if code not in MESSAGES:
        return code
    if code in PERIOD_WORDED and isinstance(values.get("year"), int):
        # The period as the office writes it: 2026年1—10月 where a month is given, 2026年 for a year.
        when = format_period(values["year"], values.get("month", 12), lang, values.get("kind", "year"))
        values = {**values, "year": when}
    return translate(code, lang, **_shown(values, lang))


# Problems whose sentence names the figure's period by {year}: a year, or a part of one (params month, kind).
PERIOD_WORDED = frozenset(
    {
        "problem.future_year",
        "problem.outside_period",
        "problem.duplicate_value",
        "problem.jump",
        "problem.jump_within_year",
    }
)


def problem_line(problem, lang: str = "zh") -> str:
    """Return a problem as one line: where it is in the file (sheet, row, column), then what it says."""
    parts = []
    if problem["sheet"]:
        parts.append(translate("problem.at_sheet", lang, sheet=problem["sheet"]))
    if problem["row"] is not None and not pd.isna(problem["row"]):
        parts.append(translate("problem.at_row", lang, row=problem["row"]))
    if problem["column"]:
        parts.append(translate("problem.at_column", lang, column=problem["column"]))
    text = describe_problem(problem, lang=lang)
    if not parts:
        return text
    return "".join(parts) + "：" + text if lang == "zh" else ", ".join(parts) + ": " + text


def describe_audit_detail(detail, lang: str = "zh") -> str:
    """Return an audit row's detail in the language: data ({"code": ..., values}) worded, text as stored.

    Rows written before details were data, and details others give as text, are shown unchanged.
    """
    if not isinstance(detail, str):
        return ""
    try:
        data = json.loads(detail) if detail.startswith("{") else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("code") not in MESSAGES:
        return detail
    values = {k: v for k, v in data.items() if k != "code"}
    return translate(data["code"], lang, **_shown(values, lang))
