"""How one private run's scores enter the real gradebook (nbcourse.gradebook.record_submission):
nbgrader's rules, checked on gradebooks built with nbgrader's own API."""
import pytest
from nbgrader.api import Gradebook

from nbcourse import gradebook as course_gradebook

CELLS = [("grades.ipynb", "test_a", 2.0), ("grades.ipynb", "test_b", 1.0), ("second.ipynb", "test_c", 3.0)]


def make_gradebook(path, auto_scores=None):
    """A SQLite gradebook with assignment "hw" (two notebooks, three test cells, one answer cell
    each) and a submission by "ada", its test cells scored ``auto_scores``."""
    url = f"sqlite:///{path}"
    course_gradebook.new_sqlite_gradebook(path)  # what nbgrader makes (tested below), 3 s sooner
    with Gradebook(url) as book:
        book.add_assignment("hw")
        for notebook in sorted({notebook for notebook, _, _ in CELLS}):
            book.add_notebook(notebook, "hw")
            book.add_solution_cell(f"answer_{notebook[:-6]}", notebook, "hw")
        for notebook, cell, points in CELLS:
            book.add_grade_cell(cell, notebook, "hw", max_score=points, cell_type="code")
        book.add_student("ada")
        book.add_submission("hw", "ada")
        for (notebook, cell, _), score in zip(CELLS, auto_scores or []):
            book.find_grade(cell, notebook, "hw", "ada").auto_score = score
        if auto_scores:
            book.find_comment("answer_grades", "grades.ipynb", "hw", "ada").auto_comment = "No response."
        book.db.commit()
    return url


@pytest.fixture
def books(tmp_path, monkeypatch):
    real = make_gradebook(tmp_path / "real.db")
    monkeypatch.setattr(course_gradebook, "real_db_url", lambda course: real)
    monkeypatch.setattr(course_gradebook, "course_id", lambda course: "default_course")
    return real, tmp_path


def scores(url):
    with Gradebook(url) as book:
        return {cell: (book.find_grade(cell, notebook, "hw", "ada").auto_score,
                       book.find_grade(cell, notebook, "hw", "ada").manual_score,
                       book.find_grade(cell, notebook, "hw", "ada").needs_manual_grade)
                for notebook, cell, _ in CELLS}


def test_a_runs_scores_and_comments_replace_the_old_ones(books):
    real, tmp_path = books
    course_gradebook.record_submission(None, "hw", "ada", make_gradebook(tmp_path / "first.db", [2.0, 0.0, 3.0]))
    course_gradebook.record_submission(None, "hw", "ada", make_gradebook(tmp_path / "again.db", [0.0, 1.0, 3.0]))
    assert scores(real) == {"test_a": (0.0, None, False), "test_b": (1.0, None, False), "test_c": (3.0, None, False)}
    with Gradebook(real) as book:
        assert book.find_comment("answer_grades", "grades.ipynb", "hw", "ada").auto_comment == "No response."
        assert book.find_submission("hw", "ada").score == 4.0


def test_a_tas_manual_score_survives_a_regrade(books):
    real, tmp_path = books
    course_gradebook.record_submission(None, "hw", "ada", make_gradebook(tmp_path / "first.db", [2.0, 0.0, 3.0]))
    with Gradebook(real) as book:
        book.find_grade("test_b", "grades.ipynb", "hw", "ada").manual_score = 0.5
        book.db.commit()
    course_gradebook.record_submission(None, "hw", "ada", make_gradebook(tmp_path / "again.db", [2.0, 1.0, 0.0]))
    assert scores(real)["test_b"] == (1.0, 0.5, True)   # kept, and still the TA's to confirm
    assert scores(real)["test_c"] == (0.0, None, False)


def _schema(path):
    """``{table: {column: type}}`` and the alembic revision of the SQLite file at ``path``."""
    import sqlalchemy
    from alembic.runtime.migration import MigrationContext

    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        inspector = sqlalchemy.inspect(engine)
        tables = {table: {column["name"]: str(column["type"]) for column in inspector.get_columns(table)}
                  for table in inspector.get_table_names()}
        with engine.connect() as connection:
            return tables, MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_a_new_gradebook_is_the_one_nbgrader_makes(tmp_path):
    # nbgrader's own: Gradebook() on a new file (it asks `alembic heads` for the revision)
    Gradebook(f"sqlite:///{tmp_path / 'nbgrader.db'}").close()
    course_gradebook.new_sqlite_gradebook(tmp_path / "ours.db")
    ours, theirs = _schema(tmp_path / "ours.db"), _schema(tmp_path / "nbgrader.db")
    assert ours == theirs
    assert ours[1] and "grade" in ours[0] and "alembic_version" in ours[0]
    with Gradebook(f"sqlite:///{tmp_path / 'ours.db'}") as book:  # nbgrader's API works on it
        book.add_assignment("hw")
        book.add_student("ada")
        book.add_submission("hw", "ada")
    with pytest.raises(FileExistsError, match="ours.db exists"):
        course_gradebook.new_sqlite_gradebook(tmp_path / "ours.db")
