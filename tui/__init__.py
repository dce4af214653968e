"""tui: a terminal dashboard for relations between countries, from news articles."""

__version__ = "0.1.0"
