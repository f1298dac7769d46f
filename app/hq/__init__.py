"""Head office: import and verify what tills pushed, consolidate it, report on it, enrol tills."""
