"""nbgrader preprocessors of the course's grading pipelines, one per module.

Autograding (``Autograde.autograde_preprocessors``, set by :func:`nbcourse.trusted_grading.overrides`):

1. :class:`~.trust_source_cells.TrustSourceCells`: cell roles and test code come from the
   instructor's source notebook, never from the submission;
2. :class:`~.checked_execute.CheckedExecute`: the student's cells run in their kernel;
   each test cell runs in the grader's process (:mod:`nbcourse.checker`) against it;
3. :class:`~.save_verdicts.SaveVerdicts`: a test cell's score is its verdict's, alone.

Feedback (``GenerateFeedback.preprocessors``, in ``nbgrader_config.py``):
:class:`~.hide_hidden_tests.HideHiddenTests` keeps hidden tests out of the student's page.
"""
