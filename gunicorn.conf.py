"""gunicorn's settings beside its command line (it reads this file from its working directory):
its own log lines (errors, and one access line per request) in the portal's one-line format, on
stderr (the container's log), whatever --error-logfile or --access-logfile say."""

access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "apopms.logs.OneLineFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# No control socket: the portal does not use gunicornc, and two gunicorns on one machine (a check
# beside the service) would otherwise share $HOME/.gunicorn/gunicorn.ctl.
control_socket_disable = True
