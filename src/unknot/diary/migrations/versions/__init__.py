"""One module per schema revision, oldest first (r0001, r0002, ...)."""
