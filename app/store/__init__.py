"""What persists or seals: the event store and its mapper, the dossiers' keys, the audit chain,
the SQL engine and tables beside the events, and the unit of work every command goes through."""
