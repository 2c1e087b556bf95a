"""The built-in filter steps, one module per kind (registered in curate/filters/registry.py)."""
