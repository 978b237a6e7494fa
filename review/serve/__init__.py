"""``mtreview serve``: a local web app where a reviewer decides on findings and glossary proposals.

- :mod:`review.serve.app`: the logic (read an output folder, validate requests, record decisions,
  write accepted proposals to the glossary);
- :mod:`review.serve.page`: the page (the HTML report with decision controls);
- :mod:`review.serve.server`: HTTP with the standard library, loopback only by default.

Decisions are stored by :mod:`review.decisions`.
"""
from review.serve.server import DEFAULT_HOST, DEFAULT_PORT, ServeError, make_server, serve, start_in_thread

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "ServeError", "make_server", "serve", "start_in_thread"]
