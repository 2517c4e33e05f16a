"""The tables: what the database holds, and the constants naming its parts.

Nothing is updated in place or deleted (except sample data on request): the current value of
(indicator, year, month) is the one from the newest upload not rolled back, so a rollback restores
exactly what was there before and any past moment can be recomputed.
"""

from __future__ import annotations

import sqlalchemy as sa

from hqd.catalog import FLOATS, INTEGERS, TABLES

SCHEMA_VERSION = 6
# A counter in meta bumped by every change to the data, and a random token drawn anew with each bump: the
# pages key their caches on both (store.data_version).
REVISION = "data_revision"
REVISION_TOKEN = "data_revision_token"
# The audit chain's head in meta: "<number of rows> <hash of the last row>". Appends lock it, and
# it lets --verify notice rows deleted from the end, which leave no gap behind.
AUDIT_HEAD = "audit_head"
GENESIS = "0" * 64
# PostgreSQL advisory lock keys: schema creation and migrations; a replica's first start.
SCHEMA_LOCK, FIRST_START_LOCK = 4_851_440_001, 4_851_440_002
# The two kinds of upload: values, and a catalog version.
DATA, CATALOG = "data", "catalog"

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("is_sample", sa.Boolean, nullable=False, default=False),
    sa.Column("rows", sa.Integer, nullable=False, default=0),
    sa.Column("new", sa.Integer, nullable=False, default=0),
    sa.Column("changed", sa.Integer, nullable=False, default=0),
    sa.Column("unchanged", sa.Integer, nullable=False, default=0),
    sa.Column("warnings", sa.Integer, nullable=False, default=0),
    sa.Column("rolled_back_at", sa.DateTime, nullable=True),
    sa.Column("rolled_back_by", sa.Text, nullable=True),
    # Ids are never reused (SQLite would reuse the highest after a delete): audit rows point at them.
    sqlite_autoincrement=True,
)
# The same bytes are in effect at most once, enforced by the database: a check before the insert
# alone lets two commits of one file at the same moment both land.
in_effect_once = sa.Index(
    "ux_uploads_in_effect",
    uploads.c.kind,
    uploads.c.sha256,
    unique=True,
    sqlite_where=uploads.c.rolled_back_at.is_(None),
    postgresql_where=uploads.c.rolled_back_at.is_(None),
)
observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    # Schema version 4: the last month of the figure's reporting period (3/6/9/12 for a quarter; 12
    # for a year, so every figure stored before monthly reporting is its year's).
    sa.Column("month", sa.Integer, nullable=False, server_default="12"),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    # Covers the current-state query: newest upload per (indicator, year, month) without a table scan.
    sa.Index("ix_observations_key", "indicator", "year", "month", "upload_id"),
    sa.Index("ix_observations_upload", "upload_id"),
)


# Schema version 2: accounts, identities mapped to roles (single sign-on, proxy header), audit.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=True),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("last_sign_in", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
identities = sa.Table(
    "identities",
    metadata,
    sa.Column("identity", sa.String(256), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("display_name", sa.Text, nullable=True),
)
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=True),
    sa.Column("action", sa.String(32), nullable=False, index=True),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("upload_id", sa.Integer, nullable=True),
    sa.Column("file_name", sa.Text, nullable=True),
    # Schema version 3: the hash chain. Nullable because rows older than it are chained by the
    # upgrade; a row without a hash fails verification like any other altered row.
    sa.Column("seq", sa.Integer, nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=True),
    sa.Column("row_hash", sa.String(64), nullable=True),
    # Two appends can never take the same place in the chain, whatever the locking.
    sa.Index("ux_audit_seq", "seq", unique=True),
)
VERSION_2_TABLES = [accounts, identities, audit]
# Schema version 3: failed sign-ins under names without an account, counted and locked like an account's.
sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True),
)
VERSION_3_TABLES = [sign_in_failures]
# The fields of an audit row its hash covers (with its place in the chain and the previous hash).
AUDIT_FIELDS = ("at", "user_name", "role", "action", "detail", "upload_id", "file_name")


def _catalog_table(name: str, columns: list[str]) -> sa.Table:
    """Return the table holding one catalog table for every catalog version (upload)."""
    typed = [
        sa.Column(
            c,
            sa.Integer if c in INTEGERS else sa.Float if c in FLOATS else sa.Text,
            nullable=True,
        )
        for c in columns
    ]
    return sa.Table(
        f"catalog_{name}",
        metadata,
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        *typed,
    )


catalog_tables = {name: _catalog_table(name, columns) for name, columns in TABLES.items()}
# Schema version 4: the indicators' reporting frequency, kind of value and former names; annual targets.
VERSION_4_INDICATOR_COLUMNS = ["frequency", "value_kind", "aliases"]
VERSION_4_TABLES = [catalog_tables["annual_targets"]]
# Schema version 5 (supervision, issue 13): the tables it adds, created by the migration from 4.
# The departments an editor reports for, by account user name or kept identity (e-mail, proxy user name).
account_departments = sa.Table(
    "account_departments",
    metadata,
    sa.Column("username", sa.String(256), primary_key=True),
    sa.Column("department", sa.String(64), primary_key=True),
)
VERSION_5_TABLES: list[sa.Table] = [account_departments, catalog_tables["key_tasks"], catalog_tables["milestones"]]

# Schema version 6 (supervision, issue 13): what departments report beside their figures and what leaders add.
# Explanations, key-task progress, completed milestones and evidence each come with an upload, like figures: the
# newest upload in effect counts, a rollback takes them out, the history keeps the file (or the form's JSON).
explanations = sa.Table(
    "explanations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False, index=True),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("cause", sa.Text, nullable=False),  # 原因分析
    sa.Column("measures", sa.Text, nullable=False),  # 整改措施
    sa.Column("expected_by", sa.Date, nullable=True),  # 预计完成时间
    sa.Index("ix_explanations_key", "indicator", "year", "month", "upload_id"),
)
key_task_reports = sa.Table(
    "key_task_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False, index=True),
    sa.Column("key_task", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("progress", sa.Text, nullable=False),  # 进展情况
    sa.Index("ix_key_task_reports_key", "key_task", "year", "month", "upload_id"),
)
milestone_reports = sa.Table(
    "milestone_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False, index=True),
    sa.Column("key_task", sa.String(64), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("completed_on", sa.Date, nullable=False),
    sa.Index("ix_milestone_reports_key", "key_task", "step", "upload_id"),
)
evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False, index=True),
    sa.Column("key_task", sa.String(64), nullable=False),
    sa.Column("step", sa.Integer, nullable=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("media_type", sa.String(64), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)
# Reviewed lights (人工研判) and instructions (批示) are a person's act, not a department's report: a row each,
# never changed; a review withdrawn is a newer row without a status, an instruction answered gets an answer row.
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=True),
    sa.Column("computed", sa.String(16), nullable=True),  # the computed status the reviewer saw
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_reviews_key", "indicator", "year", "month", "id"),
)
instructions = sa.Table(
    "instructions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_kind", sa.String(16), nullable=False),  # indicator, task or programme
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("department", sa.String(64), nullable=False),  # who answers
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sqlite_autoincrement=True,
)
instruction_answers = sa.Table(
    "instruction_answers",
    metadata,
    sa.Column("instruction_id", sa.Integer, sa.ForeignKey("instructions.id"), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
VERSION_6_TABLES = [
    explanations,
    key_task_reports,
    milestone_reports,
    evidence,
    reviews,
    instructions,
    instruction_answers,
]
# What an upload of values may bring beside its figures, by the name commit_upload is handed each frame under.
REPORT_TABLES = {
    "explanations": explanations,
    "key_task_reports": key_task_reports,
    "milestone_reports": milestone_reports,
    "evidence": evidence,
}
