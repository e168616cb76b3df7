"""sdkgen: typed Python SDKs from published API documentation pages."""

__version__ = "0.1.0"
