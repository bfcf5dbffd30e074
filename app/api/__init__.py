"""The HTTP API: one router per aggregate, sharing the dependencies of `app.api.deps`."""
