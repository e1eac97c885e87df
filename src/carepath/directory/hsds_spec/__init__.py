"""The Open Referral HSDS 3.1 schemas and tabular descriptor, shipped as data (see README.md)."""
