"""The review in PDF: the HTML review printed by WeasyPrint, a paged-media engine.

WeasyPrint lays out the review's own print stylesheet (A4, running footer « Page 3 / 41 », a page
break before each quartier, table headers repeated) and fills the table of contents' page numbers
with CSS ``target-counter()``. It needs Pango, a system library: when it cannot be loaded the
error names the Debian packages to install rather than WeasyPrint's own banner.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from gusp_cli.model.errors import GuspError

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core"
"""What WeasyPrint loads at import (Debian 12 names)."""


def html_to_pdf(html: str) -> bytes:
    """Print the review's HTML to PDF bytes (its ``<title>`` is the PDF's); nothing is fetched from
    the network or the disk."""
    import logging

    weasyprint = _weasyprint()

    class NoFetch(weasyprint.URLFetcher):  # type: ignore[misc,name-defined]
        """Refuse every resource: the review is self-contained, and a link from the YAML fetches nothing."""

        def fetch(self, url: str, headers: object = None) -> object:
            raise ValueError(f"ressource externe refusée : {url[:80]}")

    quiet = logging.getLogger("weasyprint")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False  # its warnings (an unsupported CSS property) are not the user's problem
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=NoFetch())
    return bytes(document.write_pdf())


def _weasyprint() -> Any:
    """Import WeasyPrint (0.6 s), its missing system libraries told in French."""
    banner = io.StringIO()
    try:
        with contextlib.redirect_stdout(banner):  # it prints a banner before it raises
            import weasyprint
    except OSError as exc:
        raise GuspError("la revue en PDF a besoin de Pango, une bibliothèque système que WeasyPrint "
                        f"ne trouve pas ({str(exc).splitlines()[0][:160]}) ; sous Debian ou Ubuntu : "
                        f"apt-get install {DEBIAN_PACKAGES} (ou écrivez la revue en HTML et imprimez-la "
                        "depuis un navigateur : -o revue.html)", 2) from None
    except ImportError:
        raise GuspError("la revue en PDF a besoin du paquet Python weasyprint : pip install weasyprint "
                        "(ou -o revue.html)", 2) from None
    return weasyprint
