//! What users do.
