//! Dockerfile parser (placeholder until the Dockerfile issue lands).
