//! Integration tests: replan.
