"""`make bench`: fill a database with synthetic events, serve it with uvicorn, measure it."""

#: Bump when the generated data, or how it is made ready, changes, so kept databases are
#: made again.
GENERATOR_VERSION = 2
