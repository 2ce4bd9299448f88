"""Integrations with other libraries, one module per library.

Each module has an ``init_*(state)`` that the extension calls from ``init_app``;
it imports its library only there, and does nothing when the library is not
installed.
"""
