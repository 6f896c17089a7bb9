//! Integration tests: robust.
