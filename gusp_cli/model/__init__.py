"""The charter's vocabulary and what follows from it alone: no I/O, no clock.

The pydantic models whose fields are the YAML keys, the closed vocabularies, the échéance grammar,
the loaded :class:`~gusp_cli.model.charter.Charter` (actions in place, party resolution), the
cross-record rules, problems as values, source positions, field docs and JSON Schemas.

May import: gusp_cli.french.
"""
