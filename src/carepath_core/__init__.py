"""Carepath's pure domain: no Django, no database, no HTTP, no file or network I/O."""
