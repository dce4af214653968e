"""The Textual dashboard. Imports nothing heavy at module level: spaCy and the
extraction code load in a worker thread after the first paint."""
