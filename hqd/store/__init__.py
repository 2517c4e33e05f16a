"""The database, one module per concern; callers write `store.commit_upload(...)`.

- schema: the tables and the constants naming their parts (SCHEMA_VERSION, DATA, CATALOG)
- engine: opening an engine, write transactions, stored time, the data's revision, refusals
- migrations: connect() with the schema created or upgraded
- uploads: the one commit path for values and catalog versions, what is in effect, rollback
- figures: the figures in effect now, brought up to date by the uploads since this process last read them
- audit: the hash-chained audit log
- accounts: accounts, identities' roles, counting sign-in attempts
- supervision: explanations, key-task progress and evidence in effect; reviewed lights; instructions
- admin: backup, restore, a replica's first start, PostgreSQL grants

The store holds no policy (hqd.policy decides who may) and no prose (refusals carry a code).
"""

from sqlalchemy.engine import Engine

from hqd.store.accounts import (
    claim_sign_in_attempt,
    confirm_sign_in,
    count_accounts,
    read_account,
    read_account_departments,
    read_accounts,
    read_departments,
    read_identity_roles,
    role_of_identity,
    save_account,
    save_identity_role,
)
from hqd.store.admin import backup, first_start_lock, grant_app_role, restore_backup
from hqd.store.audit import AuditCheck, append_audit, hash_audit_row, read_audit, verify_audit
from hqd.store.engine import BusyError, DuplicateUploadError, StoreError, data_version, read_meta, write_meta, writing
from hqd.store.figures import read_observations_now
from hqd.store.migrations import connect, ensure_schema, schema_version
from hqd.store.schema import CATALOG, DATA
from hqd.store.supervision import (
    Supervision,
    answer_instruction,
    read_evidence,
    read_evidence_file,
    read_explanations,
    read_instructions,
    read_key_task_reports,
    read_milestone_reports,
    read_reviews,
    read_supervision,
    read_upload_reports,
    save_instruction,
    save_review,
)
from hqd.store.uploads import (
    commit_upload,
    empty_observations,
    find_copy,
    has_catalog,
    has_sample,
    load_catalog,
    read_lineage,
    read_observations,
    read_upload_file,
    read_upload_observations,
    read_uploads,
    read_year_figures,
    remove_sample,
    rollback_upload,
    upload_kind,
)

__all__ = [
    "Supervision",
    "read_supervision",
    "read_upload_reports",
    "save_review",
    "save_instruction",
    "read_reviews",
    "read_milestone_reports",
    "read_key_task_reports",
    "read_instructions",
    "read_explanations",
    "read_evidence_file",
    "read_evidence",
    "answer_instruction",
    "CATALOG",
    "DATA",
    "AuditCheck",
    "BusyError",
    "DuplicateUploadError",
    "Engine",
    "StoreError",
    "append_audit",
    "backup",
    "claim_sign_in_attempt",
    "commit_upload",
    "confirm_sign_in",
    "connect",
    "count_accounts",
    "data_version",
    "read_meta",
    "write_meta",
    "empty_observations",
    "ensure_schema",
    "find_copy",
    "first_start_lock",
    "grant_app_role",
    "has_catalog",
    "has_sample",
    "hash_audit_row",
    "load_catalog",
    "read_account",
    "read_account_departments",
    "read_accounts",
    "read_audit",
    "read_departments",
    "read_identity_roles",
    "read_lineage",
    "read_observations",
    "read_observations_now",
    "read_year_figures",
    "read_upload_file",
    "read_upload_observations",
    "read_uploads",
    "remove_sample",
    "restore_backup",
    "role_of_identity",
    "rollback_upload",
    "save_account",
    "save_identity_role",
    "schema_version",
    "upload_kind",
    "verify_audit",
    "writing",
]
