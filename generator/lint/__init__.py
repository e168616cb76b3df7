"""`sdkgen lint`: a doc-quality report for the docs team.

Every anomaly the scraper noticed (warnings, repairs) plus checks of the IR itself, each as a
finding with a rule id, a severity, the file and line, the operation and a short reason. The
corpus quirks that are doc bugs, and the rules that report them, are in `generator.lint.quirks`.
"""

from generator.lint.checks import lint_endpoint, suspicious_type
from generator.lint.model import RULES, Finding, Level, Rule
from generator.lint.quirks import DOC_BUG_QUIRKS, LAYOUT_QUIRKS
from generator.lint.report import FAIL_ON, render_json, render_markdown, render_text, should_fail, summary_line
from generator.lint.run import lint_endpoints, lint_ir, lint_paths

__all__ = [
    "DOC_BUG_QUIRKS",
    "FAIL_ON",
    "LAYOUT_QUIRKS",
    "RULES",
    "Finding",
    "Level",
    "Rule",
    "lint_endpoint",
    "lint_endpoints",
    "lint_ir",
    "lint_paths",
    "render_json",
    "render_markdown",
    "render_text",
    "should_fail",
    "summary_line",
    "suspicious_type",
]
