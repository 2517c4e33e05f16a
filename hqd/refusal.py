"""Refusals as data: a code naming what was refused and the values its message needs.

The core never writes the sentence: hqd.i18n.describe_error makes it at the edge, in the
reader's language, from the code (a key of hqd.i18n.MESSAGES) and the values.
"""

from __future__ import annotations


class Refusal(Exception):
    """A request HQD refuses: `code` names why, `params` are the values its message needs."""

    def __init__(self, code: str, **params) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        # For logs and tracebacks; people read i18n.describe_error(error, lang).
        values = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.code}({values})" if values else self.code
