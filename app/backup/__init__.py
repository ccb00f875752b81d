"""The whole site in one file and back: `parley dump` and `parley restore`."""
