"""Caseboard: caseload supervision and caseload management for NHS mental health teams."""

__version__ = "0.1.0"
