#!/bin/sh
# HAProxy external check (deploy/haproxy-postgres.cfg): succeeds only when the server accepts writes.
# HAProxy passes <proxy addr> <proxy port> <server addr> <server port>.
# PGUSER (default postgres) must be able to connect without a password prompt (trust, or a ~/.pgpass for haproxy).
out=$(psql -X -q -t -A -h "$3" -p "$4" -U "${PGUSER:-postgres}" -d postgres -c 'select pg_is_in_recovery()' 2>/dev/null)
[ "$out" = "f" ]
