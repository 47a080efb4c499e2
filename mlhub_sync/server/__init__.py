"""The mirror server: publishes a mirror directory as a Radiant MLHub API v1."""
