# Shared by the HTTP benches (source it): the wrk Lua scripts and the per-database dispatch.

# write_wrk_scripts DIR BASE_URL API_KEY CODE...: DIR/page.lua cycles GET /p/{code} over the codes (each opened once
# here first: a first open is a write, the bench measures reads); DIR/post.lua creates a link with the key.
write_wrk_scripts() {
  local dir=$1 base=$2 key=$3; shift 3
  { echo "local codes = {"; printf '"%s",\n' "$@"; echo "}"
    echo 'local i = 0'
    echo 'request = function() i = i % #codes + 1; return wrk.format("GET", "/p/" .. codes[i]) end'; } >"$dir/page.lua"
  local c
  for c in "$@"; do curl -fs -o /dev/null "$base/p/$c"; done
  cat >"$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA
}

# run_for_dbs WHICH: calls bench_db (defined by the script) for sqlite, postgres or both.
run_for_dbs() {
  case "$1" in
    sqlite) bench_db sqlite ;;
    postgres) bench_db postgres ;;
    both) bench_db sqlite; bench_db postgres ;;
    *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
  esac
}
