"""Searching the service directory, without a database: text, places, opening hours, costs, queries.

The database side (`carepath.directory`) stores what these functions derive and asks them how to
read a person's query; everything here is plain Python so it can be tested value by value.
"""
