"""Certificates of attendance (built in the certificates issue)."""
