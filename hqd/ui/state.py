"""Every key HQD keeps in st.session_state or the URL, named once, each with why it is kept.

Keys starting with "_" are the app's own memory; the others are widget keys, most of them also
query parameters (bind="query-params"), so their text is part of every shared link: never rename them.
"""

from __future__ import annotations

# --- Who is using the session (hqd.ui.auth) ---
IDENTITY = "_identity"  # the password sign-in: it must outlive the run that signed in
LAST_SEEN = "_last_seen"  # when the session last ran, to end it after HQD_SESSION_MINUTES idle
SESSION_EXPIRED = "_session_expired"  # set when an idle session was ended: the sign-in page says why, once
HEADER_REFUSED = "_header_refused"  # an untrusted proxy header is logged once per session, not on every run
CURRENT_IDENTITY = "_current_identity"  # who the entry script found this run, for the page it runs

# --- What is viewed (hqd.ui.data, hqd.ui.shell) ---
AS_OF = "_as_of"  # the past moment viewed: it must survive page changes (mirrored in the URL)
AS_OF_PARAM = "as_of"  # the same moment in the URL, so a link opens the same past state
AS_OF_REFUSED = "_as_of_refused"  # a moment before the first catalog was refused: the next banner says so
PROGRAMME = "_programme"  # the programme whose page the navigation chose (one script serves them all)
SHOWN_LANG = "_shown_lang"  # the language of the last run: on a switch, widgets showing names are sent them again

# --- Widgets kept in the URL (bind="query-params", or by hand where a bound widget would keep the
# text it shows, which changes with the language: those hold codes, so a link opens in either language) ---
LANG = "lang"  # the language switch, by hand: zh or en (links made before hold 中文 or English)
YEAR = "year"  # the year picker in the sidebar
PERIOD = "period"  # the plan-period picker in the sidebar (?period=P15)
INDICATOR = "indicator"  # the indicator whose detail is open (an indicator code), by hand
FILTER_PROGRAMME = "programme"  # explorer filters, by hand: programme codes
FILTER_TASK = "task"  # explorer filters, by hand: task codes
FILTER_DEPARTMENT = "department"  # explorer filters, by hand: departments as stored
FILTER_STATUS = "status"  # explorer filters, by hand: status codes (on_track …) in the last year of the range
FILTER_TEXT = "q"  # explorer filters: search text
FILTER_YEARS = "years"  # explorer filters: the year range
FILTER_MONTH = "month"  # explorer: the month a year under way is judged at

# --- Other widgets whose value the app reads or sets ---
USER_NAME = "user_name"  # the name recorded for changes in single-user mode, kept while the session lasts
PICKED_ROW = "_picked_row"  # the table row last followed, so a kept selection does not re-point the picker

# --- One action's memory across the runs it takes (upload, history) ---
AUDITED = "_audited"  # previews already written to the audit log: a preview reruns many times
COMMITTED = "_committed"  # what the last commit stored, said once on the run after it
UPLOAD_ROUND = "_upload_round"  # counts commits: a new file-uploader key empties the drop zone
CONFIRM_ROLLBACK = "_confirm_rollback"  # the upload whose rollback is being asked about (a dialog spans runs)
ROLLED_BACK = "_rolled_back"  # the upload just rolled back, said once on the run after it
DIRECTIVE_DONE = "_directive_done"  # a review, instruction or answer just saved (its message key), said once after
REPORTED = "_reported"  # the form whose report was just stored (explain:CODE, progress:CODE), said once after
