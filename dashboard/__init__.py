"""Målbild: follow up a municipality's international strategy."""

__version__ = "0.1.0"
