"""The project lead's daily work on actions: select, match, flatten, attribute, plan edits.

Queries (late, upcoming, search), loose matching of what users type, the stable record contract,
responsibilities per party, and the edit plans behind ``status``, ``amend`` and ``add``.

May import: gusp_cli.french, gusp_cli.model, gusp_cli.store.
"""
