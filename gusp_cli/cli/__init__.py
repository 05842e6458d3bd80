"""The command-line layer: typer commands on top of the pure core. Rich output lives only here."""
