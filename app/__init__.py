"""The action-sociale service: HTTP edge, settings, application services and CLI."""
