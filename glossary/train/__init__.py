"""Scripts that build the small learned tables shipped in glossary/data."""
