# gunicorn settings for Tekseru (see docs/operations.md).
# Start: gunicorn -c /etc/tekseru/gunicorn.conf.py "server:create_app()"
import multiprocessing

bind = "127.0.0.1:8000"
# Sync pushes and PDF renders are CPU-bound: one worker per core, plus one.
workers = multiprocessing.cpu_count() + 1
worker_class = "sync"
# A full-visit push takes well under a second; a cold PDF render about one second.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so memory stays flat over months.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Tekseru writes its own JSON access line with the request id; keep gunicorn's short.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
forwarded_allow_ips = "127.0.0.1"
