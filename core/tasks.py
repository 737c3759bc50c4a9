"""Queueing background tasks (the apps' e-mails) so that they happen if, and
only if, the change they report is committed.

A backend that keeps its queue in this database (django-tasks-db, production)
gets its row written inside the current transaction: it commits with the order
or booking, or vanishes with it on a rollback, and `manage.py db_worker` only
sees it once committed. Any other backend (the immediate one in development and
tests) is called after the commit, so a task never reads an uncommitted row
and a rolled-back change mails nobody. Tasks take primary keys, never objects.
"""

from django.db import transaction
from django.tasks import Task
from django_tasks_db import DatabaseBackend


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    if (
        isinstance(task.get_backend(), DatabaseBackend)
        and transaction.get_connection().in_atomic_block
    ):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
