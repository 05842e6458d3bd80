"""The charter published for its residents: a static website and an open-data package, no server.

``gusp publish`` builds, from a loaded charter seen on a day, every page of the site (home,
quartiers, actions, governance, how to read the figures, the data package's page), the Atom feed
of the changes recorded in git, and the Frictionless Data Package of ``donnees/``, as bytes in
memory; the command writes them as one folder, all or none (``store.folders``). Templates are
rendered by a function the command passes in (the one sandbox of ``reports.templating``): this
package only builds what they show. What a resident may see of the follow-up is decided in one
module, :mod:`gusp_cli.publish.public`.

May import: gusp_cli.french, gusp_cli.model, gusp_cli.store, gusp_cli.track, gusp_cli.history,
gusp_cli.governance.
"""
