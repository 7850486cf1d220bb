#!/usr/bin/env bash
# Throw-away PostgreSQL cluster on loopback for tests and benchmarks (recipe from shared/recipes.md §1).
# Source it, then: pg_test_start (exports PAYLINK_TEST_POSTGRES) … pg_test_stop.
pg_test_start() {   # exports PAYLINK_TEST_POSTGRES (recipe from shared/recipes.md §1)
  local sudo= as=() p initdb
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --) || sudo=sudo      # initdb refuses to run as root
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1) || true
  [ -n "$initdb" ] || { echo "PostgreSQL is not installed" >&2; return 1; }
  PG_TEST_BIN=$(dirname "$initdb"); PG_TEST_DIR=$(mktemp -d /tmp/pgtest.XXXXXX); PG_TEST_PORT=
  [ ${#as[@]} -eq 0 ] || chown postgres: "$PG_TEST_DIR"
  for _ in $(seq 50); do        # free loopback port = nothing answers on it
    p=$((20000 + RANDOM % 40000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { PG_TEST_PORT=$p; break; }
  done
  [ -n "$PG_TEST_PORT" ] || return 1
  "${as[@]}" "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -t 30 -o "-p $PG_TEST_PORT -k $PG_TEST_DIR \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
    || { cat "$PG_TEST_DIR/log" >&2; return 1; }
  "${as[@]}" "$PG_TEST_BIN/createdb" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres paylink_test || return 1
  export PAYLINK_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_TEST_PORT;Username=postgres;Database=paylink_test"
}
pg_test_stop() {
  [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ] || return 0
  local as=(); [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
}

