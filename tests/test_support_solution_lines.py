"""authoring/solution_lines.py counts solution code as the course's rule says, on a made-up notebook."""
import importlib.util
import sys
from pathlib import Path

from nbcourse import authoring as A

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("solution_lines", ROOT / "authoring" / "solution_lines.py")
solution_lines = importlib.util.module_from_spec(_spec)
sys.modules["solution_lines"] = solution_lines   # dataclasses look their module up there
_spec.loader.exec_module(solution_lines)


def made_up_notebook(path):
    """Three exercises: 3 counted lines (a blank line and two comments skipped), 1 line, 2 lines."""
    return A.write_notebook(path, [
        A.md("# A made-up assignment"),
        A.answer("three_lines", '''
        def f(x):
            """A docstring outside the region does not count."""
            ### BEGIN SOLUTION
            # a comment alone on its line does not count
            y = x + 1

                # nor an indented one
            z = y * 2  # a trailing comment does not stop a line from counting
            return z
            ### END SOLUTION
        '''),
        A.tests("test_three_lines", 1, '''
        ### BEGIN HIDDEN TESTS
        assert f(1) == 4
        ### END HIDDEN TESTS
        '''),
        A.answer("one_liner", '''
        def g(x):
            ### BEGIN SOLUTION
            return -x
            ### END SOLUTION
        '''),
        A.answer("two_lines", '''
        def h(x):
            ### BEGIN SOLUTION
            y = x
            return y
            ### END SOLUTION
        '''),
        A.written("a_question", 1, "A model answer is markdown: it is not solution code.\n\n    x = 1"),
    ])


def test_counts_each_region_and_skips_blank_and_comment_lines(tmp_path):
    count = solution_lines.count_notebook(made_up_notebook(tmp_path / "made_up.ipynb"))
    assert count.regions == [3, 1, 2]
    assert count.lines == 6
    assert count.one_liners == 1
    assert abs(count.one_liner_share - 1 / 3) < 1e-12
    assert not count.on_target   # 6 < 40 lines and 33 % > 25 % one-liners
    assert (count.words, count.written, count.other_code) == (4, 1, 0)   # "# A made-up assignment"
    assert abs(count.minutes - (4 / 80 + 2 * 6 + 10 * 1 + 0)) < 1e-12


def test_targets_need_both_forty_lines_and_at_most_a_quarter_one_liners():
    Count = solution_lines.Count
    assert Count("a", [10, 10, 10, 10]).on_target
    assert not Count("b", [10, 10, 10, 9]).on_target               # 39 lines
    assert Count("c", [1, 13, 13, 13]).on_target                   # 25 % one-liners
    assert not Count("d", [1, 1, 19, 19]).on_target                # 50 % one-liners
    assert not Count("e", []).on_target


def test_main_prints_the_table_and_check_fails_below_target(tmp_path, capsys):
    path = made_up_notebook(tmp_path / "made_up.ipynb")
    assert solution_lines.main([str(path)]) == 0
    assert "| made_up | 3 | 6 | 1 | 33% | no | 4 | 1 | 0 | 0.4 h |" in capsys.readouterr().out
    assert solution_lines.main(["--check", str(path)]) == 1
