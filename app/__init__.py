"""The action-sociale service: settings, the start-up check and the CLI here; the HTTP edge in
`api/`, the application services in `services/`, what persists or seals in `store/`, demo data
in `demo/`."""
