"""The charter through git: run git, read revisions in memory, diff them, follow one action.

May import: gusp_cli.french, gusp_cli.model, gusp_cli.store.
"""
