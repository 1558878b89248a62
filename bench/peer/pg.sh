#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the peer benchmark: its own data directory and port,
# never the system's cluster. usage: pg.sh start DIR PORT | stop DIR | psql PORT [args...]
# Runs the server as the "postgres" user when invoked as root (initdb refuses root).
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cmd=${1:?usage: pg.sh start DIR PORT | stop DIR}
case "$cmd" in
start)
  dir=${2:?DIR}; port=${3:?PORT}
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_pg "$BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Read-mostly benchmark on 2 cores / 24 GiB: cache the whole corpus, no JIT (it only adds
    # compile time to short queries), no fsync while loading (the load is not what we measure).
    cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 12GB
work_mem = 32MB
maintenance_work_mem = 1GB
max_parallel_workers_per_gather = 0
jit = off
random_page_cost = 1.1
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 8GB
logging_collector = off
CONF
  fi
  as_pg "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 120 start >/dev/null
  ;;
stop)
  dir=${2:?DIR}
  if [ -f "$dir/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  fi
  ;;
*)
  echo "usage: pg.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
