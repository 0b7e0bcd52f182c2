"""The pure heart of HERA Desktop: values, rules and contracts, free of any database or UI."""
