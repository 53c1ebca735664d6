"""``report``: one self-contained HTML page about a grading run (plots embedded as PNG).

Sections: a summary per assignment; the score distribution per assignment; the pass
rate of every test cell (which tests the class struggles with); the slowest cells
(where grading time goes); the submissions that failed to run, were interrupted or whose
kernel died, with the reason; the answers that called a reference withheld while graded
(delegations); the grader's notes (test cells put back, cells whose claimed role was
refused, files refused); the flags the static scan of :mod:`nbcourse.flags` raises on the
submitted notebooks (lines that reach beyond the assignment); and the answer cells that
look copied, from another student or from the ``helpers`` reference
(:mod:`nbcourse.similarity`), each group with a side-by-side view of its closest pair.
"""
from __future__ import annotations

import base64
import io
import statistics
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import flags
from .autograde import load_log
from .course import Course, CourseError
from .outcome import UNSCORED, Status
from .pages import render, table
from .results import collect_rows
from .similarity import MIN_TOKENS, THRESHOLD, SimilarPair, group_pairs, similar_pairs

SLOWEST = 12


def _png(figure) -> Markup:
    """``<img>`` tag holding ``figure`` as a base64 PNG (the page needs no other file)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return Markup(f'<img alt="plot" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">')


def _figure(height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(8, height))


def score_distributions(submissions: list[dict]) -> str:
    """One histogram of percent scores per assignment (every submission that has a score)."""
    by_assignment = defaultdict(list)
    for row in submissions:
        if row["status"] not in UNSCORED:
            by_assignment[row["assignment"]].append(row["percent"])
    parts = []
    for assignment, percents in sorted(by_assignment.items()):
        figure, axes = _figure(2.6)
        axes.hist(percents, bins=[i * 10 for i in range(11)], color="#4c72b0", edgecolor="white")
        axes.set(title=f"{assignment}: score distribution (n={len(percents)})", xlabel="score (%)",
                 ylabel="students", xlim=(0, 100))
        parts.append(_png(figure))
    return "".join(parts) or "<p>No graded submissions.</p>"


def pass_rates(cells: list[dict]) -> tuple[Markup, list[list]]:
    """Bar chart and table: fraction of students who got full marks on each autograded test cell."""
    outcomes = defaultdict(list)
    for row in cells:
        if row["kind"] == "autograded":
            outcomes[(row["assignment"], row["cell"])].append(row["passed"])
    rows = [[a, cell, f"{sum(passed)}/{len(passed)}", round(100 * sum(passed) / len(passed), 1)]
            for (a, cell), passed in sorted(outcomes.items())]
    if not rows:
        return Markup("<p>No autograded test cells.</p>"), rows
    figure, axes = _figure(0.3 * len(rows) + 1)
    labels = [f"{a} / {cell}" for a, cell, _, _ in rows]
    axes.barh(labels, [rate for *_, rate in rows], color="#55a868")
    axes.invert_yaxis()
    axes.set(title="pass rate per test cell", xlabel="students with full marks (%)", xlim=(0, 100))
    return _png(figure), rows


def slowest_cells(course: Course, assignments: list[str]) -> tuple[Markup, list[list]]:
    """Bar chart and table of the cells with the largest mean execution time across submissions."""
    seconds = defaultdict(list)
    for assignment in assignments:
        for outcome in load_log(course, assignment).values():
            for cell, value in outcome.cell_seconds.items():
                seconds[(assignment, cell)].append(value)
    ranked = sorted(seconds.items(), key=lambda item: -statistics.mean(item[1]))[:SLOWEST]
    rows = [[a, cell, round(statistics.mean(values), 3), round(max(values), 3), len(values)]
            for (a, cell), values in ranked]
    if not rows:
        return Markup("<p>No execution times recorded.</p>"), rows
    figure, axes = _figure(0.3 * len(rows) + 1)
    axes.barh([f"{a} / {cell}" for a, cell, *_ in rows], [mean for _, _, mean, *_ in rows], color="#c44e52")
    axes.invert_yaxis()
    axes.set(title=f"the {len(rows)} slowest cells (mean over submissions)", xlabel="seconds")
    return _png(figure), rows


def flag_rows(course: Course, assignments: list[str]) -> list[list] | None:
    """Rows (assignment, student, category, cell, line, code) of :func:`nbcourse.flags.scan_path`
    over every submitted notebook (a malformed one is scanned as text, never a crash)."""
    rows = []
    for assignment in assignments:
        for student in course.students_who_submitted(assignment):
            for path in sorted((course.submitted / student / assignment).glob("*.ipynb")):
                for flag in flags.scan_path(path):
                    rows.append([assignment, student, flag.category, flag.cell, flag.line,
                                 flag.text.strip() + (f"  ({flag.detail})" if flag.detail else "")])
    return rows


COPIES_TEMPLATE = """
<p><strong>A flag for a person to read, not a verdict.</strong> Two honest students can write
the same lines, above all for a short answer with one natural form; only someone reading both
cells, knowing the class, can tell a copy. Compared: the code each student wrote in each answer
cell (the release's starting code subtracted; comments, docstrings, blank lines, variable names,
literals and the order of the lines do not count), against every other student's and against the
source of the <code>helpers</code> function of the same name. Listed: pairs scoring at least
{{ threshold }}, both sides with at least {{ min_tokens }} tokens of their own code
(<code>python bench/similarity.py</code> shows how these were chosen). Answers linked by such pairs
form a group; each group shows its closest pair side by side, lines whose statement occurs on the
other side highlighted. "vs solution": how close each side is to the course's own solution
(two answers that both equal it may just follow the lesson).</p>
{% if not groups %}<p>No pair above the threshold.</p>{% endif %}
{% for group in groups %}{% set best = group[0] %}
<details class="copies"{% if loop.index <= open_groups %} open{% endif %}>
<summary>{{ best.assignment }} / {{ best.cell }}: {{ members[loop.index0] | join(", ") }}
 &mdash; {{ group | length }} pair{{ "s" if group | length > 1 }}, best score {{ "%.2f" | format(best.score) }}</summary>
<table><thead><tr><th>student</th><th>similar to</th><th>score</th><th>own tokens</th><th>vs solution</th></tr></thead>
<tbody>{% for pair in group[:rows] %}<tr><td>{{ pair.student }}</td>
<td>{{ pair.other }}{% if pair.reference %} (reference){% endif %}</td><td>{{ "%.2f" | format(pair.score) }}</td>
<td>{{ pair.tokens_a }} / {{ pair.tokens_b }}</td>
<td>{{ "%.2f" | format(pair.solution_a) }} / {{ "%.2f" | format(pair.solution_b) }}</td></tr>{% endfor %}
{% if group | length > rows %}<tr><td colspan="5">and {{ group | length - rows }} more pairs of these answers</td></tr>{% endif %}</tbody></table>
<table class="side"><thead><tr><th>{{ best.student }}</th><th>{{ best.other }}</th></tr></thead>
<tbody><tr>{% for code, common in ((best.code_a, best.common_a), (best.code_b, best.common_b)) %}<td><pre>
{%- for line in code.splitlines() %}<span class="{{ 'common' if loop.index in common else 'line' }}">{{ line }}</span>
{% endfor %}</pre></td>{% endfor %}</tr></tbody></table>
</details>
{% endfor %}
"""
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Grading report</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}img{max-width:100%}
table.side{width:100%;table-layout:fixed}table.side td{vertical-align:top;overflow-x:auto}
table.side pre{margin:0;font-size:.85em}span.common{background:#fff2a8}
details.copies{margin:.6em 0}details.copies summary{cursor:pointer}</style></head>
<body><h1>Grading report</h1><p>Course {{ course }}, generated
{{ generated }}.</p>{% for title, content in sections %}<h2>{{ title }}</h2>{{ content }}{% endfor %}</body></html>
"""
# Groups shown unfolded, and pairs listed per group: the rest are one click away, or
# counted, so a class that hands in one answer still gives a readable page.
OPEN_GROUPS = 10
GROUP_ROWS = 25


def copies_section(pairs: list[SimilarPair]) -> str:
    """The "Copies" section: the groups of :func:`nbcourse.similarity.group_pairs`, each with
    its pairs and a side-by-side view of its closest pair (escaped by Jinja2's autoescape)."""
    groups = group_pairs(pairs)
    members = [sorted({p.student for p in group} | {p.other for p in group}, key=lambda m: (m.startswith("helpers."), m))
               for group in groups]
    template = jinja2.Environment(autoescape=True).from_string(COPIES_TEMPLATE)
    return template.render(groups=groups, members=members, threshold=THRESHOLD, min_tokens=MIN_TOKENS,
                           open_groups=OPEN_GROUPS, rows=GROUP_ROWS)


def build_report(course: Course, path: Path | None = None) -> Path:
    """Write the report (default ``reports/report.html``) and return its path."""
    submissions, cells = collect_rows(course)
    if not submissions:
        raise CourseError("the gradebook has no submissions yet: run `python -m nbcourse autograde ASSIGNMENT` first")
    assignments = sorted({row["assignment"] for row in submissions})

    summary = []
    for assignment in assignments:
        rows = [row for row in submissions if row["assignment"] == assignment]
        graded = [row["percent"] for row in rows if row["status"] not in UNSCORED]
        crashed = sum(row["status"] == Status.CRASHED for row in rows)
        interrupted = sum(row["status"] == Status.INTERRUPTED for row in rows)
        summary.append([assignment, len(rows), len(graded), crashed, len(rows) - len(graded) - interrupted,
                        interrupted,
                        round(statistics.mean(graded), 1) if graded else "",
                        round(statistics.median(graded), 1) if graded else ""])
    # "failed": no score at all; "crashed": the kernel died mid-notebook, the tests before it count;
    # "interrupted": the run was stopped before it was graded (the next autograde grades it).
    failed = [[r["assignment"], r["student"], r["status"], r["reason"]] for r in submissions if r["status"] != Status.GRADED]
    logs = {a: sorted(load_log(course, a).items()) for a in assignments}
    notes = [[a, student, note] for a in assignments for student, outcome in logs[a] for note in outcome.problems]
    delegations = [[a, student, line] for a in assignments for student, outcome in logs[a]
                   for line in outcome.delegations]
    pass_plot, pass_table = pass_rates(cells)
    slow_plot, slow_table = slowest_cells(course, assignments)
    flag_table = flag_rows(course, assignments)
    copies = copies_section(similar_pairs(course, assignments))

    sections = [
        ("Summary", table(["assignment", "submissions", "scored", "of which crashed", "failed", "interrupted",
                            "mean %", "median %"],
                           summary)),
        ("Score distribution", score_distributions(submissions)),
        ("Pass rate per test cell", pass_plot + table(["assignment", "cell", "full marks", "%"], pass_table)),
        ("Slowest cells", slow_plot + table(["assignment", "cell", "mean s", "max s", "runs"], slow_table)),
        ("Submissions that failed to run or were interrupted",
         table(["assignment", "student", "status", "reason"], failed) if failed else "<p>None: every submission ran.</p>"),
        ("Answers that called a withheld reference",
         table(["assignment", "student", "test cell: what it called"], delegations) if delegations
         else "<p>None: no answer called a reference implementation the assignment withholds.</p>"),
        ("Grader's notes",
         table(["assignment", "student", "note"], notes) if notes else "<p>None.</p>"),
        ("Flags raised by the grader",
         table(["assignment", "student", "category", "cell", "line", "code"], flag_table)
         if flag_table else "<p>No flags.</p>"),
    ]
    sections.append(("Copies", copies))
    page = render(PAGE, course=course.root, generated=datetime.now().isoformat(timespec="minutes"),
                  sections=[(title, Markup(content)) for title, content in sections])
    path = Path(path or course.reports / "report.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page)
    return path
