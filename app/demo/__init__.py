"""Demo data: fictional people and dossiers, loaded through the real rules."""
