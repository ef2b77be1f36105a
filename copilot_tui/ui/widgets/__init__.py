"""Widgets: each renders what it is given and posts messages up; none fetches."""
