"""Instructor-side tooling for the course: notebook authoring and the grading pipeline."""
