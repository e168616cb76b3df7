"""sdkgen: typed Python SDKs from published API documentation pages."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sdkgen")  # the one version: [project] version in pyproject.toml
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
