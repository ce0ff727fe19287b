"""derive's version, in one place for the package, its scripts and its packaging."""

__version__ = "0.1.0"
