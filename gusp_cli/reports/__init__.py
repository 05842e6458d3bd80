"""Documents people read: the annual revue de gestion, validation reports, the one Jinja sandbox.

May import: gusp_cli.french, gusp_cli.model, gusp_cli.store, gusp_cli.track, gusp_cli.history,
gusp_cli.governance.
"""
