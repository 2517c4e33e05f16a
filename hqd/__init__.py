"""HQD: the indicator dashboard of the Six Major Projects (六大工程)."""
