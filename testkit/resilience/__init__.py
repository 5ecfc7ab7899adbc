"""Faults on purpose: a proxy that cuts or stalls a link, servers that fail or hang, and dictations to compare."""
