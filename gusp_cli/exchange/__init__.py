"""Exchange with partners and other tools: JSON/CSV/Markdown records, Excel workbooks, iCalendar,
and reading back what partners filled in.

May import: gusp_cli.french, gusp_cli.model, gusp_cli.store, gusp_cli.track, gusp_cli.history,
gusp_cli.governance.
"""
