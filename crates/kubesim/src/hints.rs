//! Editor diagnostics.
