"""Helpers shared by the tests (fixtures are registered in conftest.py)."""
