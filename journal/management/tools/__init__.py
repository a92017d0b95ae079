"""Tooling behind the management commands: the journal generator and the benchmark.

Nothing here is imported while the app serves pages; the commands in
``journal/management/commands`` use it.
"""
