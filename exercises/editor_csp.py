"""The Content-Security-Policy of a page that holds the code editor.

The code editor is a contenteditable, and Chromium's own editing (typing over a selection,
inserting text) writes style attributes into it, which CodeMirror then redraws. A strict
policy refuses those writes (harmlessly, but as CSP violations), so editor pages allow style
attributes; scripts and <style> elements stay as strict as everywhere else (the editor's one
<style> element carries the page's nonce: templates add <meta name="csp-nonce">).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpResponse

_editor_csp = csp_update({"style-src-attr": [UNSAFE_INLINE]})
View = TypeVar("View", bound=Callable[..., HttpResponse])


def editor_page(view: View) -> View:
    # django-csp types a view as taking the request alone.
    return cast(View, _editor_csp(view))
