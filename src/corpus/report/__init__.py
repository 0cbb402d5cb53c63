"""Tables and figures to the HTML report: its display tables and the self-contained page."""

__all__: list[str] = []
