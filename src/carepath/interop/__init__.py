"""Exchanging Carepath data with other systems (FHIR R4 today)."""
