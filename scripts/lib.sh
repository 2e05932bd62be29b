# Helpers shared by the scripts (sourced from the repository root).

# wasm-pack must find the npm wasm-opt that setup.sh installs before any other one.
export PATH="$PWD/.tools/node_modules/.bin:$PATH"

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server BINARY PORT DATA_DIR [extra flags...]: starts it, sets SERVER_PID, waits for the port.
start_server() {
  local bin=$1 port=$2 dir=$3; shift 3
  "$bin" --listen "127.0.0.1:$port" --data-dir "$dir" --sdkappid "$TIM_SDKAPPID" \
    --secret-key "$TIM_SECRET_KEY" "$@" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited during start" >&2; return 1; }
    sleep 0.1
  done
  echo "server did not open port $port" >&2
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}

# Prints "raw gzip" byte counts of a file.
sizes() { echo "$(wc -c <"$1") $(gzip -9c "$1" | wc -c)"; }

# run_bench SCRIPT: what every bench shares: installs what is missing, builds the release pkg/
# and server, serves bench/ from that server on a fresh data dir and runs `node SCRIPT URL APPID`.
run_bench() {
  scripts/setup.sh
  export TIM_SDKAPPID=1400000002 TIM_SECRET_KEY=bench-secret-key
  scripts/build-pkg.sh
  cargo build --profile server -p tim-server
  [ -d bench/node_modules/playwright-core ] || (cd bench && npm install --silent --no-audit --no-fund)
  local data port
  data=$(mktemp -d)
  port=$(free_port)
  trap "stop_server; rm -rf '$data'" EXIT
  start_server target/server/tim-server "$port" "$data" --debug-endpoints --www bench
  node "$1" "http://127.0.0.1:$port" "$TIM_SDKAPPID"
}
