"""Mutation fuzzing of the scraper (`python -m fuzz`); see fuzz/README.md."""
