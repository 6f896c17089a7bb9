//! Integration tests: psplib.
