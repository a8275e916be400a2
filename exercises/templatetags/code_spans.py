"""`{{ text|code_spans }}`: plain text with `backtick` spans shown as code, everything else
escaped, as the checker's labels and messages are written."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from exercises.build.presenters import message_html

register = template.Library()


@register.filter
def code_spans(text: str) -> SafeString:
    return message_html(str(text))
