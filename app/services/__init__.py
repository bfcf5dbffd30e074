"""The application services: the dossier use cases, the projections' runner, reference data and
the identifiers they check."""
