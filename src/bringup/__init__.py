"""bringup: get a stuck multi-service stack running, one service at a time, and prove it."""

__version__ = "0.1.0"
