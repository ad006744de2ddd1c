from django import template

from petittalk.newsletter import wording

register = template.Library()


@register.simple_tag
def newsletter_wording() -> str:
    """The consent text beside every sign-up form: the very text stored with each consent."""
    return wording.SUBSCRIBE
