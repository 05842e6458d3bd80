"""The charter's bodies and reporting duties: meeting calendar, agendas, insertion reporting.

May import: gusp_cli.french, gusp_cli.model, gusp_cli.store, gusp_cli.track, gusp_cli.history.
"""
