//! Integration tests: chart.
