"""The nbgrader harness itself, on the tiny fixture assignment in tests/fixtures.

One real round trip (generate, six students, one autograde, gradebook, export) proves the
harness and the checks that tests/test_mistakes.py applies to the real assignments.
"""
import copy

import nbformat
import pytest

from fixtures import build_00_fixture as fixture
from nbgrader_harness import (
    RESTORE_HEADER, Course, NbgraderError, combined_cohort, comparable, export_problems, grade_cohort,
    leaks, metadata_problems, mistake_problems, notebook_differences, solution_and_blank_problems,
    source_assignments, standard_cohort,
)


def test_fixture_notebook_is_what_its_builder_writes(tmp_path):
    rebuilt = fixture.build(tmp_path / "rebuilt.ipynb")
    assert rebuilt.read_text() == fixture.NOTEBOOK.read_text()


def test_source_assignments_lists_folders_with_notebooks(tmp_path):
    (tmp_path / "02_b").mkdir()
    (tmp_path / "02_b" / "02_b.ipynb").write_text("{}")
    (tmp_path / "01_a").mkdir()
    (tmp_path / "01_a" / "01_a.ipynb").write_text("{}")
    (tmp_path / "empty").mkdir()
    assert source_assignments(tmp_path) == ["01_a", "02_b"]
    assert source_assignments(fixture.SOURCE_ROOT) == [fixture.ASSIGNMENT]


def test_submit_refuses_a_student_id_nbgrader_cannot_use(tmp_path):
    course = Course(tmp_path, [fixture.ASSIGNMENT], source_root=fixture.SOURCE_ROOT)
    with pytest.raises(ValueError, match="student id"):
        course.submit(fixture.ASSIGNMENT, "alice smith", {})


def test_a_failing_nbgrader_command_raises_with_its_log(tmp_path):
    course = Course(tmp_path, [], source_root=fixture.SOURCE_ROOT)
    with pytest.raises(NbgraderError, match="no_such_assignment"):
        course.run("generate_assignment", "no_such_assignment")


@pytest.mark.xdist_group("nbgrader-00_fixture")
def test_round_trip_on_the_fixture(tmp_path):
    course = Course(tmp_path, [fixture.ASSIGNMENT], source_root=fixture.SOURCE_ROOT)
    result = grade_cohort(course, fixture.ASSIGNMENT, fixture.MISTAKES)

    # The release: stubs instead of solutions, hidden tests gone; leaks() agrees and
    # spots a solution line or a hidden test put back.
    release_nb = course.release(fixture.ASSIGNMENT)[fixture.ASSIGNMENT]
    release = nbformat.writes(release_nb)
    assert "raise NotImplementedError()" in release and "YOUR ANSWER HERE" in release
    assert "return x ** 2" not in release and "random_case.z((3, 4), seed=0)" not in release
    source_nb = nbformat.read(fixture.NOTEBOOK, as_version=4)
    assert leaks(release_nb, source_nb) == []
    leaky = copy.deepcopy(release_nb)
    leaky.cells[2].source += "\n    return x ** 2"
    leaky.cells[3].source += "\nx = random_case.z((3, 4), seed=0)"
    leaky.cells[6].source = "`keepdims=True` keeps the summed axis with length one, so the result is a column"
    assert leaks(leaky, source_nb) == [
        "cell 2 ('square'): 'return x ** 2'",
        "cell 3 ('test_square'): 'x = random_case.z((3, 4), seed=0)'",
        "cell 6 ('why_keepdims'): '`keepdims=True` keeps the summed axis with length one, so the result is a column'",
    ]
    assert notebook_differences(release_nb, leaky) == [
        "cell 2 (square): changed source", "cell 3 (test-square): changed source",
        "cell 6 (why-keepdims): changed source"]
    assert notebook_differences(release_nb, copy.deepcopy(release_nb)) == []
    assert comparable(copy.deepcopy(release_nb)) == comparable(release_nb)

    # The gradebook, read independently of the harness's own checks.
    assert result.max_scores == {"test_square": 1.0, "test_row_means": 2.0, "why_keepdims": 1.0}
    assert result.test_cells == ["test_square", "test_row_means"]
    assert result.scores["solution"] == {"test_square": 1.0, "test_row_means": 2.0, "why_keepdims": None}
    assert result.scores["blank"] == {"test_square": 0.0, "test_row_means": 0.0, "why_keepdims": 0.0}
    by_name = {result.mistakes[s].name: scores for s, scores in result.scores.items() if s in result.mistakes}
    assert by_name["square computed as 2x"]["test_square"] == 0.0
    assert by_name["visible answer hard-coded"]["test_square"] == 0.0  # hidden test catches it
    assert by_name["row means over the wrong axis"] == {"test_square": 1.0, "test_row_means": 0.0, "why_keepdims": None}
    assert {row["student_id"]: float(row["score"]) for row in result.export} == {
        "solution": 3.0, "blank": 0.0, "mistake_01": 2.0, "mistake_02": 1.0, "mistake_03": 1.0, "mistake_04": 2.0}

    # The checks test_mistakes.py relies on: silent here, and they speak up when they should.
    assert solution_and_blank_problems(result) == []
    assert mistake_problems(result) == []
    assert export_problems(result) == []
    unmakeable = fixture.Mistake("typo in old", "square", "return x ** 3", "return x", tests=("test_square",))
    unusable = {}
    cohort = standard_cohort(course.release(fixture.ASSIGNMENT), {fixture.ASSIGNMENT: source_nb},
                             [fixture.MISTAKES[0], unmakeable], unusable)
    assert list(cohort) == ["solution", "blank", "mistake_01"]
    assert unusable == {"mistake_02": "mistake 'typo in old': 'return x ** 3' occurs 0 times in cell "
                                      "'square', expected exactly once"}
    with pytest.raises(ValueError, match="occurs 0 times"):
        standard_cohort(course.release(fixture.ASSIGNMENT), {fixture.ASSIGNMENT: source_nb}, [unmakeable])
    result.mistakes["mistake_99"], result.unusable["mistake_99"] = unmakeable, unusable["mistake_02"]
    assert mistake_problems(result) == [
        "'typo in old' (mistake_99) could not be made: " + unusable["mistake_02"]]
    del result.mistakes["mistake_99"]

    harmless = fixture.Mistake("renamed a local", "square", "return x ** 2", "y = x\n    return y ** 2",
                               tests=("test_square",))
    result.mistakes["solution"] = harmless  # graded like the solution: it must be reported
    assert mistake_problems(result) == ["'renamed a local' (solution) survived: 3.0 of 3.0 points"]
    result.scores["blank"]["test_square"] = 1.0
    assert solution_and_blank_problems(result) == [
        "blank: test_square scored 1.0 of 1.0, expected 0.0 (NotImplementedError)"]  # with the cell's error
    assert export_problems(result) == ["export row of blank: score 0.0 / 4.0, gradebook 1.0 / 4.0"]


def _fixture_solution():
    from nbcourse.authoring import fill_answers

    source_nb = nbformat.read(fixture.NOTEBOOK, as_version=4)
    return {fixture.ASSIGNMENT: fill_answers(source_nb, source_nb)}


def test_combined_cohort_places_windows_first_fit_and_restores_after_each():
    solution = _fixture_solution()
    labels = {f"mistake_{n:02d}": mistake for n, mistake in enumerate(fixture.MISTAKES, start=1)}
    unmakeable = fixture.Mistake("typo in old", "square", "return x ** 3", "return x", tests=("test_square",))
    unusable = {}
    plan = combined_cohort(solution, {**labels, "mistake_05": unmakeable}, unusable)
    assert list(unusable) == ["mistake_05"]
    # square (cells 2-3) and row_means (cells 4-5): two mistakes of each, so two carriers of two
    assert plan.carriers == {"carrier_01": ["mistake_01", "mistake_02"], "carrier_02": ["mistake_04", "mistake_03"]}
    assert plan.windows == {"mistake_01": ("test_square",), "mistake_04": ("test_square",),
                            "mistake_02": ("test_row_means",), "mistake_03": ("test_row_means",)}
    assert plan.tests == ("test_square", "test_row_means")
    _, notebooks = plan.students["carrier_01"]
    cells = notebooks[fixture.ASSIGNMENT].cells
    restore = [cell.source for cell in cells if cell.source.startswith(RESTORE_HEADER)]
    solution_code = [cell.source for cell in solution[fixture.ASSIGNMENT].cells[:3] if cell.cell_type == "code"]
    assert restore[:2] == [RESTORE_HEADER + source for source in solution_code]  # after test_square
    assert len(restore) == 2 + 3  # after test_row_means: the import, square and row_means again
    assert "return 2 * x" in cells[2].source and "keepdims=False" in cells[6].source
    assert [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in cells if cell.source in restore] \
        == [None] * 5  # restores are ordinary cells, never an answer or a test
    _, control = plan.students[plan.control]
    assert sum(cell.source.startswith(RESTORE_HEADER) for cell in control[fixture.ASSIGNMENT].cells) == 5
    assert "return x ** 2" in control[fixture.ASSIGNMENT].cells[2].source


@pytest.mark.xdist_group("nbgrader-00_fixture")
def test_combined_round_trip_judges_each_window_and_regrades_a_crashed_carrier_alone(tmp_path):
    course = Course(tmp_path, [fixture.ASSIGNMENT], source_root=fixture.SOURCE_ROOT)
    mistakes = [
        fixture.MISTAKES[0],  # caught, in carrier_01
        fixture.Mistake("renamed a local", "square", "return x ** 2", "y = x\n    return y ** 2",
                        tests=("test_square",)),  # harmless, in carrier_02, then alone
        fixture.Mistake("keepdims spelled bool(1)", "row_means", "keepdims=True", "keepdims=bool(1)",
                        tests=("test_row_means",)),  # harmless, in carrier_01
        fixture.Mistake("kernel killed", "row_means", "return np.mean", "import os; os._exit(1)\n    return np.mean",
                        tests=("test_row_means",)),  # kills carrier_02's kernel: its mistakes go alone
    ]
    result = grade_cohort(course, fixture.ASSIGNMENT, mistakes, combine=True)
    assert result.scores["restored"] == result.scores["solution"]
    assert result.graded_as == {"mistake_01": "carrier_01", "mistake_03": "carrier_01"}
    assert result.scores["carrier_01"] == {"test_square": 0.0, "test_row_means": 2.0, "why_keepdims": None}
    assert result.scores["mistake_04"]["test_row_means"] == 0.0
    assert mistake_problems(result) == [
        "'renamed a local' (mistake_02) survived: 3.0 of 3.0 points",
        "'keepdims spelled bool(1)' (mistake_03, carried by carrier_01) survived: 2.0 of 2.0 points "
        "on its window ['test_row_means']",
    ]
    assert solution_and_blank_problems(result) == [] and export_problems(result) == []


def test_metadata_problems_accepts_the_fixture_and_names_each_fault():
    nb = nbformat.read(fixture.NOTEBOOK, as_version=4)
    assert metadata_problems(nb, min_answers=2, min_written=1) == []
    assert metadata_problems(nb, min_answers=5, min_written=2) == [
        "2 autograded answer cells, at least 5 expected", "1 written answers, at least 2 expected"]

    broken = copy.deepcopy(nb)
    square, test_square, row_means, test_row_means = (broken.cells[i] for i in (2, 3, 4, 5))
    test_square.metadata.nbgrader.update(locked=False, points=0)
    test_square.source = test_square.source.replace("### BEGIN HIDDEN TESTS", "# hidden")
    row_means.metadata.nbgrader.grade_id = "square"
    test_row_means.metadata.nbgrader.schema_version = 2
    broken.cells.insert(3, copy.deepcopy(square))  # two answers in a row
    broken.cells[3].metadata.nbgrader.grade_id = "square_again"
    assert metadata_problems(broken, min_answers=2) == [
        "cell 4 ('test_square'): test cell is not locked",
        "cell 4 ('test_square'): test cell is worth 0 points",
        "cell 4 ('test_square'): test cell has no hidden part (### BEGIN HIDDEN TESTS)",
        "cell 5 ('square'): grade_id used twice",
        "cell 6 ('test_row_means'): schema_version 2, expected 3",
        "answer cell 'square' has no test cell before the next answer cell",
    ]


def test_nbgrader_env_isolates_the_copy_from_the_callers_settings(monkeypatch):
    import sys
    from pathlib import Path

    from nbgrader_harness import REPO, nbgrader_env

    monkeypatch.setenv("NBGRADER_DB_URL", "postgresql://elsewhere/db")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    env = nbgrader_env()
    assert not [key for key in env if key.startswith("NBGRADER_")]
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)  # alembic is found
    assert env["PYTHONPATH"].split(":")[0] == str(REPO)  # kernels import this tree's helpers
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "2"
