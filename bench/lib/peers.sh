# The peers of the live history read (bench/peers/): Node readers of the same lists on the
# same Redis, driven by the same wrk load as the API. Sourced by bench/run.sh.
#   express  the original Express reader: LLEN + LRANGE, JSON.parse of each entry, res.json
#   lean     a lean Node reader: Fastify, one LRANGE, the stored strings joined into an array
#   minimal  the lean reader's work as a minimal Spring MVC endpoint (MinimalReader.java) on
#            api-service's own libraries and JVM: the framework's floor for the system
# The Node readers run as one Node process (Node runs JavaScript on one thread), and, unless
# --no-cluster, also as a node:cluster of 2 workers (the machine's cores). Rows go to $PEERS
# (peers.tsv): name processes rate p50 p99 cpu_per_page rss_mib note.

PEER_DIR=$BENCH/peers
PEER_PIDS=""

# Node 20+ and the peers' packages (npm ci from the committed lock file, once per change of it).
peers_install() {
	local major
	command -v node >/dev/null && command -v npm >/dev/null || { warn "peers not measured: no node and npm on PATH (Node 20+ needed)"; return 1; }
	major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$major" -ge 20 ] || { warn "peers not measured: Node $(node --version) is older than 20"; return 1; }
	if ! cmp -s "$PEER_DIR/package-lock.json" "$PEER_DIR/node_modules/.bench-installed" 2>/dev/null; then
		log "Installing the peers' packages (npm ci --omit=dev in bench/peers)"
		(cd "$PEER_DIR" && npm ci --omit=dev --no-audit --no-fund) >"$WORK/npm.log" 2>&1 ||
			{ warn "peers not measured: npm ci failed (see bench/work/run/npm.log)"; return 1; }
		cp "$PEER_DIR/package-lock.json" "$PEER_DIR/node_modules/.bench-installed"
	fi
	PEER_VERSIONS="Node $(node --version | tr -d v)"
	local package
	for package in express fastify redis; do
		PEER_VERSIONS="$PEER_VERSIONS, $package $(node -p "require('$PEER_DIR/node_modules/$package/package.json').version")"
	done
}

# The minimal Spring MVC reader, compiled against the libraries of the api-service jar under
# test (so the same Spring, Tomcat and Lettuce), into $WORK/minimal.
minimal_install() {
	[ "$SYSTEM" = 1 ] && [ -f "$WORK/jars/api-service.jar" ] || return 1 # measured with the system only
	rm -rf "$WORK/minimal"
	mkdir -p "$WORK/minimal"
	(cd "$WORK/minimal" && "$JDK_BIN/jar" xf "$WORK/jars/api-service.jar" BOOT-INF/lib &&
		"$JDK_BIN/javac" -parameters -d classes -cp 'BOOT-INF/lib/*' "$PEER_DIR/MinimalReader.java") \
		>"$WORK/minimal.log" 2>&1 ||
		{ warn "minimal Spring MVC reader not measured: it did not compile (see bench/work/run/minimal.log)"; return 1; }
}

# Starts one peer on a free port; sets PEER_PORT and PEER_PIDS (the process and its workers).
# script: a Node script of bench/peers, or MinimalReader (on the services' JVM and flags).
peer_start() { # script workers label
	local i pid
	PEER_PORT=$(free_port "$REDIS_PORT" "$PG_PORT" "$API_PORT" "$WORKER_PORT")
	if [ "$1" = MinimalReader ]; then
		(cd "$WORK/minimal" && java_fast -Xmx256m -cp 'classes:BOOT-INF/lib/*' MinimalReader \
			--server.port="$PEER_PORT" --reader.redis-url="redis://127.0.0.1:$REDIS_PORT" \
			--reader.key-prefix="$PREFIX" --reader.session-id="$LSID") >"$WORK/peer_$3.log" 2>&1 &
	else
		NODE_ENV=production PEER_PORT=$PEER_PORT REDIS_URL="redis://127.0.0.1:$REDIS_PORT" PEER_KEY_PREFIX=$PREFIX \
			PEER_SESSION_ID=$LSID PEER_WORKERS=$2 node "$PEER_DIR/$1" >"$WORK/peer_$3.log" 2>&1 &
	fi
	pid=$!
	PEER_PIDS=$pid
	for ((i = 0; i < 300; i++)); do
		grep -qs '^listening' "$WORK/peer_$3.log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	grep -q '^listening' "$WORK/peer_$3.log" || { tail -n 5 "$WORK/peer_$3.log" >&2; return 1; }
	PEER_PIDS="$pid $(ps -o pid= --ppid "$pid" | tr '\n' ' ' || true)"
}
peer_stop() {
	local pid
	for pid in $PEER_PIDS; do stop_pid "$pid" 10; done
	PEER_PIDS=""
}

# Measures one peer as the API is measured: a check of its answer, a warm-up of PEER_WARMUP
# seconds with the measured load, then DURATION seconds; server CPU and peak RSS from /proc.
peer_measure() { # name script workers label
	local name=$1 reason processes source=""
	[[ $4 != express* ]] || source=live # the lean reader writes a bare array
	processes=$([ "$3" = 1 ] && echo "1 process" || echo "cluster of $3 workers")
	[ "$2" != MinimalReader ] || processes="1 JVM"
	if ! peer_start "$2" "$3" "$4"; then
		warn "$name ($processes) did not start (see bench/work/run/peer_$4.log)"
		peer_stop
		return 0
	fi
	if ! reason=$(check_history "http://127.0.0.1:$PEER_PORT/sessions/L000000000001/history?limit=100" \
		"$source"); then
		warn "$name ($processes) not measured: $reason"
		peer_stop
		return 0
	fi
	log "Live history — $name ($processes): wrk, the same load (warm-up ${PEER_WARMUP}s, then ${DURATION}s)"
	WRK_PORT=$PEER_PORT wrk_run "peer_$4_warmup" "$PEER_WARMUP"
	rss_reset
	cpu_mark
	WRK_PORT=$PEER_PORT wrk_run "peer_$4" "$DURATION"
	local cpu rss note
	cpu=$(cpu_per_op "$W_REQ") rss=$(rss_mib $PEER_PIDS)
	note="$(($(stat -c %s "$WORK/check.json") / 1024)) KiB pages; ${PEER_WARMUP} s warm-up"
	[ "$W_BAD" = 0 ] || note="$note; $W_BAD failed requests"
	peer_stop
	echo "$name"$'\t'"$processes"$'\t'"$W_RPS"$'\t'"$W_P50"$'\t'"$W_P99"$'\t'"$cpu"$'\t'"$rss"$'\t'"$note" >>"$PEERS"
}

# All peers, then one row of the main table per peer: its rate as the baseline of the system's.
live_peers() { # system rate p50 p99 cpu
	[ "$PEERS_ON" = 1 ] || return 0
	export BENCH_SET=L BENCH_SESSIONS=$SESSIONS BENCH_MODE=history
	if minimal_install; then
		# A JVM: warmed up as long as the system's live read was, for its JIT.
		PEER_WARMUP=${WARMED_SECONDS:-$WARMUP_MAX} peer_measure "minimal Spring MVC reader" MinimalReader 1 minimal
	fi
	peers_install || return 0
	peer_measure "Express reader" express-reader.js 1 express
	peer_measure "lean Node reader" lean-reader.js 1 lean
	if [ "$PEER_CLUSTER" = 1 ]; then
		peer_measure "Express reader" express-reader.js 2 express_cluster
		peer_measure "lean Node reader" lean-reader.js 2 lean_cluster
	fi
	local name processes rate p50 p99 cpu rss note target
	while IFS=$'\t' read -r name processes rate p50 p99 cpu rss note; do
		target=-
		if [ "$processes" = "1 process" ]; then
			case $name in Express*) target="ratio>=4" ;; lean*) target="ratio>=0.9" ;; esac
		fi
		row "live history vs $name ($processes)" "pages/s" "$rate" "$1" "$target" "$p50" "$p99" "$2" "$3" - - \
			"peer RSS $rss MiB; $note" "$cpu" "$4"
	done <"$PEERS"
}
