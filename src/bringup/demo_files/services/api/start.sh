#!/bin/sh
# Starts the API.
exec python3 app.py
