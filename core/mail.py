"""E-mails in one shape for every app.

A service queues a task with ``send_on_commit(task, thing_id=pk, kind=...)``:
keyword arguments, primary keys, never objects, so any worker can run it and
a rolled-back change mails nobody (see ``core.tasks``). The task reads its
row, and when it finds none (or an unknown ``kind``, or nobody to write to)
returns ``not_sent(...)``: a warning in the log and False. Otherwise it calls
``send``: the subject and the body are both templates (``…_subject.txt`` is
one line, its spaces folded), rendered in the customer's language, and the
context is built in that language too, so links (``core.links.absolute_url``)
carry its URL prefix.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import Task
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


def send_on_commit(task: Task, **kwargs: Any) -> None:
    """Queue the e-mail ``task`` with keyword arguments once the transaction commits."""
    enqueue_on_commit(task, **kwargs)


def not_sent(what: str, **fields: Any) -> bool:
    """Log why an e-mail was not sent; False, what the task returns then."""
    logger.warning(f"{what} e-mail not sent", extra={"fields": fields})
    return False


def send(
    *,
    subject: str,
    body: str,
    context: Callable[[], Mapping[str, Any]],
    to: Iterable[str],
    language: str | None,
) -> bool:
    """Build ``context()`` and render the ``subject`` and ``body`` templates
    with it in ``language`` (the site's default when empty); send them to the
    addresses in ``to`` (blank ones skipped). False when there is nobody to
    send to."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return False
    with translation.override(language or settings.LANGUAGE_CODE):
        values = dict(context())
        subject_text = render_to_string(subject, values).strip()
        body_text = render_to_string(body, values)
    message = EmailMessage(subject=" ".join(subject_text.split()), body=body_text, to=recipients)
    return message.send() == 1
