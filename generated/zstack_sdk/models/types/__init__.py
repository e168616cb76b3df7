"""Types shared by several operations (one module per type)."""
