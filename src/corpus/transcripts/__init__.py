"""Clean text to turns: who speaks (speakers and outlets), when (dates, events) and the turn structure."""

__all__: list[str] = []
