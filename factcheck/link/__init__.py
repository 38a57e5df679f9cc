"""Linking: embedders and caches, candidate pairs (FAISS), same-fact gates, clusters."""
