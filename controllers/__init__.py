# HTTP controllers: they verify, enqueue and answer.
from . import webhooks
