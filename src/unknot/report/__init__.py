"""Turning an assessment into something a person reads: terminal text, Markdown."""

from .markdown import assessment_markdown

__all__ = ["assessment_markdown"]
