"""Django's PostgreSQL backend, with a health check that costs no round trip while the connection is well.

CONN_HEALTH_CHECKS makes Django send `SELECT 1` before the first query of every request: on a tiny
read that is one round trip in three. A connection that PostgreSQL has ended (a restart, a
shutdown, pg_terminate_backend) has something to read on its socket: the server's "terminating
connection" message, or the end of the stream. An idle connection that is well has nothing. So the
socket is polled first (no round trip); only when it has something to read is `SELECT 1` sent, and
the connection replaced when that fails, as Django does. A restarted server still costs no request.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done or self.pool:
            return super().close_if_health_check_failed()
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is already gone
            readable = True
        if readable:
            return super().close_if_health_check_failed()  # SELECT 1, and a new connection if it fails
        self.health_check_done = True
