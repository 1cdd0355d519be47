"""The API namespaces of the clients (see ``_endpoint`` for how one list serves both)."""
