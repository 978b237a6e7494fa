"""mtreview's glossary layer: the term base, Korean-aware name matching and variant discovery."""
