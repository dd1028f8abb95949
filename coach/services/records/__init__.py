"""What the product writes down: audit events, the audit log in plain words, and the
administrators' audited look at the outbox."""
