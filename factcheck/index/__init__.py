"""The persistent corpus index for `ci`: store, codec, vectors, incremental check, baseline."""
