"""Fixtures shared by the test modules, registered as plugins from tests/support/ (import
helpers from there; fixtures need no import): the mini Handbook (`mini`, `mini_project`), the
built real site (`built_site`), Chromium (`chromium`) and the quality-gate servers."""

from __future__ import annotations

pytest_plugins = ["support.handbooks", "support.sites", "support.browser", "support.gates"]


def pytest_terminal_summary(terminalreporter):
    """After the run: pages checked per language and what the quality gates found."""
    from support.gates import terminal_summary

    terminal_summary(terminalreporter)
