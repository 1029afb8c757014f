"""Letter and statement templates travel with the books, so they are untrusted code: what one may contain.

A template is Jinja2, rendered only in Jinja2's immutable sandbox (``letter_environment``,
``statement_environment``), and it may name only the variables documented in docs/templates.md.
`check`, the pre-commit and the pre-receive hooks apply ``template_problems`` to every file under
``templates/``, so a template that would fail (or attack) at `remind --out` or `statement` is
refused where it is written or pushed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Problem

if TYPE_CHECKING:
    from jinja2 import BaseLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

TEMPLATES_DIR = "templates"

# What `remind` passes to a letter template; docs/templates.md describes each (keep both in step).
LETTER_VARIABLES = frozenset({"notice", "books_name", "as_of", "money", "contact", "company"})
# What `statement --format html|pdf` passes to statement.html.j2 (and any *.html.j2 it includes); docs/templates.md.
STATEMENT_VARIABLES = frozenset({"s", "company", "contact", "kinds", "fmt", "zero", "opening_date"})
HTML_SUFFIX = ".html.j2"  # statements (HTML, autoescaped); every other template is a plain-text letter


def variables_of(relpath: str) -> frozenset[str]:
    return STATEMENT_VARIABLES if relpath.endswith(HTML_SUFFIX) else LETTER_VARIABLES


def letter_environment(loader: BaseLoader | None = None) -> ImmutableSandboxedEnvironment:
    """The one Jinja2 environment letters are parsed and rendered with: sandboxed, immutable, strict.

    Plain text letters: no HTML escaping; StrictUndefined so a typo in a template is an error, not a blank.
    """
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def statement_environment(loader: BaseLoader | None = None) -> ImmutableSandboxedEnvironment:
    """The statement's environment: the same sandbox and strictness as letters, but HTML, so everything is escaped."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined
    )


def template_problems(relpath: str, raw: bytes) -> list[Problem]:
    """What is wrong with one template file: not UTF-8, not Jinja2, or a variable or attribute it may not use."""
    from jinja2 import TemplateSyntaxError, meta, nodes

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [Problem("template-syntax", "not UTF-8 text", relpath)]
    env = letter_environment()
    try:
        tree = env.parse(text)
    except TemplateSyntaxError as exc:
        return [Problem("template-syntax", exc.message or "not a Jinja2 template", relpath, exc.lineno)]
    problems = []
    variables = variables_of(relpath)
    kind = "a statement template" if variables is STATEMENT_VARIABLES else "a letter template"
    unknown = meta.find_undeclared_variables(tree) - variables - set(env.globals)
    for node in tree.find_all(nodes.Name):
        if node.name in unknown and node.ctx == "load":
            unknown.discard(node.name)  # once per name, at its first use
            problems.append(
                Problem(
                    "template-variable",
                    f"unknown variable {node.name!r}: {kind} may use "
                    f"{', '.join(sorted(variables))} (docs/templates.md)",
                    relpath,
                    node.lineno,
                )
            )
    # The sandbox refuses these at render time; said here, the push or commit is refused instead.
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name: object
        if isinstance(access, nodes.Getattr):
            name = access.attr
        elif isinstance(access, nodes.Getitem):
            name = getattr(access.arg, "value", None)  # a constant key (a computed one is the sandbox's to refuse)
        else:
            continue
        if isinstance(name, str) and name.startswith("_"):
            problems.append(
                Problem(
                    "template-unsafe",
                    f"{name!r}: a template may not reach private attributes (they lead out of the sandbox)",
                    relpath,
                    access.lineno,
                )
            )
    return sorted(problems, key=lambda p: (p.line or 0, p.code))
