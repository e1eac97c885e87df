"""Carepath's Django project: adapters around the pure core in `carepath_core`."""
