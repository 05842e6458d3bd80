"""French for people: dates and numbers in words, plurals, loose matching, and the escaping that keeps
user text inert in Markdown, spreadsheets and the terminal.

The lowest layer: plain functions on strings, dates and numbers, with no knowledge of charters.

May import: nothing of gusp_cli.
"""
