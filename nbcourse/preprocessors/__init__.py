"""nbgrader preprocessors of the course, added to nbgrader's pipelines in ``nbgrader_config.py``."""
