"""The HTML the course writes itself (the report, the page of a submission that could not be
graded), rendered by Jinja2 templates.

Every value a template prints is escaped with :func:`html.escape` (quotes as ``&quot;``
and ``&#x27;``) unless it is already HTML (:class:`markupsafe.Markup`, e.g. a table or a
plot): the pages stay byte for byte what they were when they were written with f-strings
(``tests/test_pipeline_golden.py``).
"""
from __future__ import annotations

import html

import jinja2
from markupsafe import Markup


def _escape(value) -> Markup:
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


ENVIRONMENT = jinja2.Environment(autoescape=True, finalize=_escape, keep_trailing_newline=True)


def render(template: str, **values) -> Markup:
    """``template`` (Jinja2 source) rendered with ``values``, as HTML."""
    return Markup(ENVIRONMENT.from_string(template).render(**values))


TABLE = ("<table><thead><tr>{% for column in columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>"
         "<tbody>{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>"
         "{% endfor %}</tbody></table>")


def table(columns: list, rows: list[list]) -> Markup:
    """An HTML table: a header of ``columns``, one row per list of ``rows`` (values escaped)."""
    return render(TABLE, columns=columns, rows=rows)
