"""Stage 2, the engine: the computational graph (a network lowered to equations), the
derivation (forward pass, local derivatives, the chain rule, deltas, the update), the
solution records it produces, worksheet variants, and a student's answers checked with
error carried forward. Exact numbers throughout; nothing here knows of any output."""
