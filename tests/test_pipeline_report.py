"""The report's flags section survives a submission that is not valid notebook JSON."""
from nbcourse.report import flag_rows
from tests.support.sample import SAMPLE, sample_course


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


def test_the_demo_class_has_a_student_whose_tampering_the_report_flags(tmp_path):
    """make demo's report must show what the flags look like: one demo student patches NumPy."""
    import nbformat

    from nbcourse.demo import cohort, hand_in
    from nbcourse.flags import scan_notebook
    from nbcourse.generate import generate

    course = sample_course(tmp_path / "course")
    generate(course, progress=False)
    release_nb = nbformat.read(course.release / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    source_nb = nbformat.read(course.source / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    tamperers = [p for p in cohort(SAMPLE) if p.kind == "tamper"]
    assert len(tamperers) == 1
    flags = scan_notebook(hand_in(tamperers[0], release_nb, source_nb))
    assert any(flag.category == "namespace" and "np.allclose" in flag.text for flag in flags), flags
    honest = [p for p in cohort(SAMPLE) if p.kind == "solution"][0]
    assert scan_notebook(hand_in(honest, release_nb, source_nb)) == []
