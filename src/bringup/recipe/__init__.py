"""Recipes: the model of one service, its reader (every error names file, key and expectation),
the edits bringup makes to it, the workspace that holds them, and a service's environment."""
