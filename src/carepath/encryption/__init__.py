"""Sensitive free text encrypted at rest (Fernet), with keys from the environment and their rotation."""
