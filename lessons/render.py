"""The one place where lesson markdown becomes HTML.

Python-Markdown with Pygments highlighting, configured once, then sanitized with nh3: lesson
authors are trusted, but a sanitizer means a slip in a lesson file can never script the site.
"""

from __future__ import annotations

import markdown
import nh3

from lessons.highlight import code_blocks_scrollable, inline_code_strings_in

_EXTENSIONS = ["fenced_code", "codehilite", "sane_lists", "smarty"]
_EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False, "wrapcode": False},
    "smarty": {"smart_quotes": False},
}

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}


def markdown_render(text: str, *, inline: bool = False) -> str:
    """Render instructor markdown to sanitized HTML. `inline` drops the wrapping <p>."""
    converter = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    rendered = converter.convert(text)
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>"):
        inner = rendered[3:-4]
        if "<p>" not in inner:
            rendered = inner
    clean = nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    )
    # After sanitizing: these attributes are the site's own, never the author's.
    return code_blocks_scrollable(inline_code_strings_in(clean))
