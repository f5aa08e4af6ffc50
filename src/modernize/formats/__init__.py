"""Format readers: each parses text only to locate things, by character offsets."""
