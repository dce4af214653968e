"""News feeds followed live: polled politely, each new article written into the seeds folder.

Headless (no textual or rich): the dashboard runs `Poller.poll` in a thread
worker and `tui fetch` runs it once. See `tui.feeds.poller` for what a poll does.
"""

from tui.feeds.http import USER_AGENT, FetchError, PoliteClient
from tui.feeds.parse import FeedError, parse_feed
from tui.feeds.poller import FeedHealth, FeedReport, Poller, health_line, health_summary
from tui.feeds.state import state_path

__all__ = [
    "USER_AGENT",
    "health_line",
    "health_summary",
    "FeedError",
    "FeedHealth",
    "FeedReport",
    "FetchError",
    "Poller",
    "PoliteClient",
    "parse_feed",
    "state_path",
]
