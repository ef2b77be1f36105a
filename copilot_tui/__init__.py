"""copilot-tui: GitHub Copilot usage metrics for organizations and enterprises, in the terminal."""

__version__ = "0.1.0"
