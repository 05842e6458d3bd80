"""Finding, reading, caching and writing a charter repository.

The YAML reader (positions, bounds), values checked into models, the loader that collects every
problem, the content-addressed cache and its speed-only companions (file index, frozen models,
rules' verdict), the round-trip editor, atomic writes and the scaffold of a new repository.

May import: gusp_cli.french, gusp_cli.model.
"""
