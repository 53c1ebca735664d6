"""A test cell's automatic score is the checker's verdict, and nothing else.

nbgrader's own :class:`~nbgrader.preprocessors.SaveAutoGrades` reads a test cell's score
from its outputs: any error or any ``stderr`` text gives 0, an ``execute_result`` holding a
number gives partial credit. Here the outputs are only shown: a warning printed by a
correct function costs nothing, and nothing the kernel displays can earn a point. The
verdicts come from :class:`~nbcourse.preprocessors.checked_execute.CheckedExecute`
through ``resources``, which a submission cannot reach.
"""
from nbgrader.preprocessors import SaveAutoGrades

from ..cells import RESOURCES_KEY, grade_id_of, is_test_cell


class SaveVerdicts(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, scoring test cells from their verdicts."""

    def preprocess(self, nb, resources):
        self._verdicts = resources.get(RESOURCES_KEY, {}).get("verdicts", {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        if not is_test_cell(cell):
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(grade_id_of(cell), self.notebook_id, self.assignment_id, self.student_id)
        verdict = self._verdicts.get(grade_id_of(cell))
        grade.auto_score = float(cell.metadata["nbgrader"]["points"]) if verdict and verdict.passed else 0.0
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()
