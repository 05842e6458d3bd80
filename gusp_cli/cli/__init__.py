"""The command-line layer: typer commands, one module per group, on top of the pure core.

It parses options, reads the clock (today's date is passed down), prints (rich lives only here)
and maps errors to exit codes in one place (:func:`gusp_cli.cli.app.run`).

May import: every layer of gusp_cli.
"""
