"""HQD: the indicator dashboard of the Six Major Projects (六大工程)."""

import os

# openpyxl switches to an lxml writer and reader whenever lxml is installed (python-docx brings it), and they
# differ from the standard library's in what they write (a carriage return kept as &#13;) and read. HQD's
# workbooks and the reading process are built and tested with the standard library's: keep them, unless an
# operator asks for lxml explicitly. Set before anything imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")
