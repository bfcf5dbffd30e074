"""Read models built from the event store: what readers see, derived from the events."""
