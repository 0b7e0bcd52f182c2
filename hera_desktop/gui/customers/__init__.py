"""Customers: list, search, onboarding and detail."""
