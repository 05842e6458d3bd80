"""User text made inert where people read it: Markdown (issue and pull-request comments)."""

from __future__ import annotations


def md_escape(text: str) -> str:
    """Escape a text for a GFM table cell: pipes, line breaks, HTML-looking brackets."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")
