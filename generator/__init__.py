"""Explainer site generator: content/ YAML → validated, cross-linked Markdown pages in docs/."""
