"""The report's flags section survives a submission that is not valid notebook JSON."""
from nbcourse.report import flag_rows
from nbcourse.sample import SAMPLE, sample_course


def test_a_malformed_submission_is_flagged_not_a_crash(tmp_path):
    """Bug fix: flag_rows read every submission with nbformat and crashed on broken JSON."""
    course = sample_course(tmp_path / "course")
    folder = course.submitted / "mallory" / SAMPLE
    folder.mkdir(parents=True)
    (folder / f"{SAMPLE}.ipynb").write_text('{"cells": [ broken\nnp.allclose = lambda *a, **k: True\n')
    rows = flag_rows(course, [SAMPLE])
    assert rows, "the patch of np.allclose in a broken file must still be flagged"
    assert all(row[:2] == [SAMPLE, "mallory"] for row in rows)
    assert any("np.allclose" in row[-1] for row in rows)
