"""``{% how_we_tell email phone urgent as how %}``: how a customer will hear
about something (core.sms.channels in words), so a page never promises an
e-mail to someone who gave no address."""

from django import template

from core import sms

register = template.Library()


@register.simple_tag
def how_we_tell(email: str | None, phone: str | None, urgent: bool = False) -> str:
    return sms.how_we_tell(email=email, phone=phone, urgent=urgent)
