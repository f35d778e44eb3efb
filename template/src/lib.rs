//! Go text/template engine (placeholder until the Helm issue lands).
