"""One module per command: each takes the context and returns a result the face renders, so
every command's outcome is data first (and JSON whenever it is asked for)."""
