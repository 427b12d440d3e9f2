# HTTP controllers (the webhook endpoint) land here; they verify, enqueue and answer.
