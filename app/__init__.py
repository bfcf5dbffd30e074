"""The action-sociale service: settings, the start-up check and the CLI here; the HTTP edge in
`api/`, the application services in `services/`, what persists or seals in `store/`, demo data
in `demo/`."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("action-sociale")  # the release installed: pyproject.toml's version
except PackageNotFoundError:  # run from a copy of the source that was never installed
    __version__ = "0+unknown"
