#!/usr/bin/env bash
# The benchmark suite of Session History: every figure is a ratio against the raw datastore
# doing the same work, in the same run on the same machine. See bench/README.md.
#
#   bench/run.sh [--quick] [--raw-only] [--no-build]
#
# Starts its own Redis and PostgreSQL on free loopback ports, loads the fixtures, runs the
# raw baselines (redis-benchmark, pgbench, COPY) and the system (api-service and
# archiver-worker with -Xmx256m, driven by wrk), prints one table and writes it to
# bench/results/latest.md with a chart in bench/results/latest.png. Stops everything it
# started, also on Ctrl-C or failure. Server data, fixtures and logs stay in bench/work/run/.
#   --quick     smaller fixture and shorter runs (under 2 minutes), for development
#   --raw-only  only the raw baselines (no services needed)
#   --no-build  never build the services; without their jars, run the raw half only
#   --profile   also record each measured system run with Java Flight Recorder and write
#               where the CPU time goes to bench/work/run/profiles/ (costs some throughput)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
WORK=$BENCH/work/run
RESULTS=$BENCH/results
SCRIPTS=$ROOT/shared-model/src/main/resources/dev/sessionhistory/model
MIGRATIONS=$ROOT/db/migration

MODE=full SYSTEM=1 BUILD=1 PROFILE=0
for arg in "$@"; do
	case $arg in
	--quick) MODE=quick ;;
	--raw-only) SYSTEM=0 ;;
	--no-build) BUILD=0 ;;
	--profile) PROFILE=1 ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown option $arg (see --help)" >&2; exit 2 ;;
	esac
done

# Sizes. The fixture: SESSIONS sessions of MESSAGES messages (about 220 bytes each) per set.
MESSAGES=100
CONNECTIONS=64
LAG_RATE=200
PREFIX=sh
TTL_MS=3600000 # fixture sessions stay live for the whole run unless ended
if [ "$MODE" = quick ]; then
	SESSIONS=1000 WARMUP=3 WARMUP_MAX=5 DURATION=3 LAG_SECONDS=3 REDIS_REQUESTS=30000 WAVE_TIMEOUT=60 WARM_WAVE=300
else
	SESSIONS=10000 WARMUP=5 WARMUP_MAX=30 DURATION=20 LAG_SECONDS=30 REDIS_REQUESTS=400000 WAVE_TIMEOUT=240 WARM_WAVE=2000
fi
LAG_SESSIONS=$((LAG_RATE * LAG_SECONDS))

T0=$(date +%s)
log() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "error: $*"; exit 1; }
warn() { log "warning: $*"; NOTES+=("$*"); }
NOTES=()

# ---------------------------------------------------------------------------------------
# Tools
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
missing_packages() {
	local need=()
	command -v redis-server >/dev/null || need+=(redis-server)
	{ command -v redis-cli && command -v redis-benchmark; } >/dev/null || need+=(redis-tools)
	[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || need+=(postgresql)
	[ -n "$PGBIN" ] && [ -x "$PGBIN/pgbench" ] || need+=(postgresql-contrib)
	command -v psql >/dev/null || need+=(postgresql-client)
	command -v wrk >/dev/null || need+=(wrk)
	command -v curl >/dev/null || need+=(curl)
	{ command -v java && command -v javac; } >/dev/null || need+=(openjdk-17-jdk-headless)
	echo "${need[@]}"
}
need=$(missing_packages)
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "Installing $need"
		apt-get update -qq >/dev/null
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
		PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
		need=$(missing_packages)
		[ -z "$need" ] || die "still missing after apt-get: $need"
	else
		die "missing tools; install them with: sudo apt-get install $need"
	fi
fi

as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ---------------------------------------------------------------------------------------
# Everything started here is stopped on exit, Ctrl-C or failure.
REDIS_PID="" PGDATA="" API_PID="" WORKER_PID=""
stop_pid() { # pid seconds
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null || true
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$API_PID" 20
	stop_pid "$WORKER_PID" 20
	stop_pid "$REDIS_PID" 10
	if [ -n "$PGDATA" ] && [ -f "$PGDATA/postmaster.pid" ]; then
		as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
	fi
	[ $rc = 0 ] || log "stopped everything (exit $rc); logs in $WORK"
	exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

answers() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
free_port() {
	local port
	for _ in $(seq 1 100); do
		port=$((20000 + RANDOM % 30000))
		if ! answers "$port" && ! grep -q ":$(printf '%04X' "$port") " /proc/net/tcp 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	die "no free port found"
}

# ---------------------------------------------------------------------------------------
# The services' jars (copied, so that a rebuild during the run does not disturb it).
API_JAR=$ROOT/api-service/target/api-service.jar
WORKER_JAR=$ROOT/archiver-worker/target/archiver-worker.jar
rm -rf "$WORK"
mkdir -p "$WORK" "$RESULTS"
if [ $SYSTEM = 1 ] && { [ ! -f "$API_JAR" ] || [ ! -f "$WORKER_JAR" ]; }; then
	if [ $BUILD = 1 ]; then
		log "Building the services (./mvnw -DskipTests package)"
		(cd "$ROOT" && ./mvnw -q -DskipTests package) >"$WORK/build.log" 2>&1 ||
			warn "the build failed (see bench/work/run/build.log)"
	fi
	if [ ! -f "$API_JAR" ] || [ ! -f "$WORKER_JAR" ]; then
		warn "service jars missing: running the raw baselines only"
		SYSTEM=0
	fi
fi
if [ $SYSTEM = 1 ]; then
	mkdir -p "$WORK/jars"
	cp "$API_JAR" "$WORKER_JAR" "$WORK/jars/"
fi

log "Compiling the fixture generator"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" "$BENCH/Fixture.java"
fixture() { java -cp "$WORK/classes" Fixture "$@"; }

# ---------------------------------------------------------------------------------------
# Redis and PostgreSQL
REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" --save "" --appendonly no \
	--notify-keyspace-events Ex --logfile "$WORK/redis/redis.log" &
REDIS_PID=$!
PG_PORT=$(free_port)
while [ "$PG_PORT" = "$REDIS_PORT" ]; do PG_PORT=$(free_port); done
mkdir -p "$WORK/postgres"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/postgres"
PGDATA=$WORK/postgres/data
as_postgres "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 >"$WORK/postgres/initdb.log" 2>&1 ||
	die "initdb failed, see $WORK/postgres/initdb.log"
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres/postgres.log" -w -t 60 \
	-o "-p $PG_PORT -k $WORK/postgres -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=200" \
	start >/dev/null || die "PostgreSQL did not start, see $WORK/postgres/postgres.log"
for _ in $(seq 1 100); do answers "$REDIS_PORT" && break; sleep 0.1; done
answers "$REDIS_PORT" || die "Redis did not start, see $WORK/redis/redis.log"
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sessionhistory -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -c "CREATE DATABASE sessionhistory"
log "Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on 127.0.0.1:$REDIS_PORT," \
	"PostgreSQL $("$PGBIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT"

# ---------------------------------------------------------------------------------------
# The services
API_PORT="" WORKER_PORT=""
start_service() { # name jar port
	java -Xmx256m -jar "$2" --server.port="$3" \
		--spring.data.redis.url="redis://127.0.0.1:$REDIS_PORT" \
		--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/sessionhistory" \
		--spring.datasource.username=postgres \
		--history.key-prefix="$PREFIX" >"$WORK/$1.log" 2>&1 &
	echo $!
}
await_up() { # name port pid
	for _ in $(seq 1 180); do
		curl -fsS "http://127.0.0.1:$2/actuator/health" 2>/dev/null | grep -q '"status":"UP"' && return 0
		kill -0 "$3" 2>/dev/null || break
		sleep 1
	done
	log "$1 did not come up; the end of its log:"
	tail -n 20 "$WORK/$1.log" >&2
	return 1
}
API_UP=0 WORKER_UP=0
if [ $SYSTEM = 1 ]; then
	WORKER_PORT=$(free_port)
	API_PORT=$(free_port)
	while [ "$API_PORT" = "$WORKER_PORT" ]; do API_PORT=$(free_port); done
	log "Starting archiver-worker on :$WORKER_PORT and api-service on :$API_PORT (-Xmx256m)"
	WORKER_PID=$(start_service archiver-worker "$WORK/jars/archiver-worker.jar" "$WORKER_PORT")
	API_PID=$(start_service api-service "$WORK/jars/api-service.jar" "$API_PORT")
	if await_up archiver-worker "$WORKER_PORT" "$WORKER_PID"; then
		WORKER_UP=1
	else
		warn "archiver-worker did not start (see bench/work/run/archiver-worker.log): the wave and the lag are not measured"
		stop_pid "$WORKER_PID" 20
		WORKER_PID=""
	fi
	if await_up api-service "$API_PORT" "$API_PID"; then
		API_UP=1
	else
		warn "api-service did not start (see bench/work/run/api-service.log): the reads and appends are not measured"
		stop_pid "$API_PID" 20
		API_PID=""
	fi
fi
if ! psql_db -tAc "SELECT to_regclass('session_history')" | grep -q session_history; then
	log "Creating the schema from db/migration (no service created it)"
	for f in "$MIGRATIONS"/V*.sql; do psql_db -f "$f"; done
fi
# The raw insert baseline writes the same rows into a table of the same definition.
psql_db -c "CREATE TABLE bench_raw_history (LIKE session_history INCLUDING ALL)"

# ---------------------------------------------------------------------------------------
# Fixtures
# L: live sessions read and appended to; all share one session id so that the four keys of
#    an append drawn by redis-benchmark (one random number per __rand_int__) are consistent.
# W: live sessions ended at once (the wave).  G: live sessions ended at 200/s (the lag).
# V: a smaller wave ended first, to warm the worker up.
# A: archived sessions, COPYed into session_history.
LSID=$(printf '0000%04x-0000-4000-8000-%012d' "'L" 0)
log "Loading the live fixture into Redis: ${SESSIONS} + ${SESSIONS} + ${LAG_SESSIONS} + ${WARM_WAVE} sessions x $MESSAGES messages (create and append scripts by EVALSHA, redis-cli --pipe)"
load_redis() { # set count sidmode
	local out
	out=$(fixture redis "$SCRIPTS" "$PREFIX" "$1" "$2" "$MESSAGES" "$3" "$TTL_MS" |
		rcli --pipe --pipe-timeout 600 2>&1 | tail -n 1) || true
	[[ $out == "errors: 0,"* ]] || die "loading set $1 into Redis: $out"
}
load_redis L "$SESSIONS" const
load_redis W "$SESSIONS" unique
load_redis G "$LAG_SESSIONS" unique
load_redis V "$WARM_WAVE" unique
log "Redis: $(rcli dbsize) keys, $(rcli info memory | grep -o 'used_memory_human:[^[:space:]]*' | cut -d: -f2) used"
log "Loading the archived fixture into PostgreSQL: $SESSIONS rows (COPY)"
fixture copy A "$SESSIONS" "$MESSAGES" >"$WORK/archived.tsv"
fixture copy W "$SESSIONS" "$MESSAGES" >"$WORK/wave.tsv"
COPY_COLUMNS="session_id, session_code, messages_raw, message_count, created_at, ended_at, end_reason"
psql_db -c "\\copy session_history ($COPY_COLUMNS) FROM '$WORK/archived.tsv'"
psql_db -c "VACUUM ANALYZE session_history"
log "PostgreSQL: session_history $(psql_db -tAc "SELECT pg_size_pretty(pg_total_relation_size('session_history'))")"

# ---------------------------------------------------------------------------------------
# Measuring helpers
ROWS=$WORK/results.tsv
: >"$ROWS"
row() { # workload unit raw_rate sys_rate target raw_p50 raw_p99 sys_p50 sys_p99 api_rss worker_rss note raw_cpu sys_cpu
	local IFS=$'\t'
	echo "$*" >>"$ROWS"
}
rss_reset() {
	local pid
	for pid in $API_PID $WORKER_PID; do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done
}
rss_mib() { # pid: peak RSS (VmHWM) in MiB
	[ -n "$1" ] && [ -r "/proc/$1/status" ] || { echo "-"; return; }
	awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"
}
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }

redis_bench() { # label requests args... → RB_RPS RB_P50 RB_P99 (ms)
	local label=$1 n=$2 line
	shift 2
	timeout 300 redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONNECTIONS" -n "$n" -r "$SESSIONS" --csv "$@" \
		>"$WORK/$label.csv" 2>"$WORK/$label.err" || die "redis-benchmark $label failed: $(tail -n 3 "$WORK/$label.err")"
	line=$(tail -n 1 "$WORK/$label.csv" | tr -d '"')
	RB_RPS=$(echo "$line" | awk -F, '{ printf "%.0f", $(NF-6) }')
	RB_P50=$(echo "$line" | awk -F, '{ print $(NF-3) }')
	RB_P99=$(echo "$line" | awk -F, '{ print $(NF-1) }')
}

# Warms the API up with the caller's wrk load in steps of WARMUP seconds until the JIT
# compiler threads take under 10 % of the process's CPU in a step (at most WARMUP_MAX s).
warm_up() { # label
	local step=0 before after share
	while :; do
		step=$((step + 1))
		before=$(thread_ticks "$API_PID")
		wrk_run "$1_warmup$step" "$WARMUP"
		after=$(thread_ticks "$API_PID")
		share=$(awk -F'\t' 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; total += d; if ($1 ~ /Compiler/) jit += d }
			END { printf "%.0f", (total > 0) ? 100 * jit / total : 0 }' <(echo "$before") <(echo "$after"))
		if [ "$share" -lt 10 ] || [ $((step * WARMUP)) -ge "$WARMUP_MAX" ]; then
			log "  warmed up for $((step * WARMUP)) s (JIT compiler at ${share}% of the API's CPU in the last ${WARMUP} s)"
			WARMED="$((step * WARMUP)) s warm-up, JIT at ${share}% at its end"
			return
		fi
	done
}

wrk_run() { # label seconds → W_RPS W_P50 W_P99 (ms) W_BAD; env BENCH_* set by the caller
	local label=$1 seconds=$2 line
	timeout $((seconds + 60)) wrk -t 2 -c "$CONNECTIONS" -d "${seconds}s" --timeout 10s --latency \
		-s "$BENCH/wrk/sessions.lua" "http://127.0.0.1:$API_PORT" >"$WORK/$label.wrk" 2>&1 ||
		die "wrk $label failed: $(tail -n 3 "$WORK/$label.wrk")"
	line=$(grep '^BENCH ' "$WORK/$label.wrk")
	W_RPS=$(echo "$line" | sed -E 's/.*requests=([0-9]+) duration_us=([0-9]+).*/\1 \2/' | awk '{ printf "%.0f", $1 / ($2 / 1e6) }')
	W_P50=$(echo "$line" | sed -E 's/.*p50_us=([0-9]+).*/\1/' | awk '{ printf "%.2f", $1 / 1000 }')
	W_P99=$(echo "$line" | sed -E 's/.*p99_us=([0-9]+).*/\1/' | awk '{ printf "%.2f", $1 / 1000 }')
	W_REQ=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
	W_BAD=$(echo "$line" | sed -E 's/.*non2xx=([0-9]+) socket_errors=([0-9]+).*/\1 \2/' | awk '{ print $1 + $2 }')
}

code_range() { echo "session_code >= '$1' AND session_code < '$1~'"; }
# With --profile: a Java Flight Recorder recording of one service around one measured run.
# CPU ticks per thread group of a process ("C2 CompilerThread", "GC Thread", "http-nio-exec"...).
thread_ticks() { # pid
	cat /proc/"$1"/task/*/stat 2>/dev/null | awk '{
		name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Za-z] .*$/, "", name); gsub(/[0-9]+/, "#", name)
		rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); t[name] += f[12] + f[13]
	} END { for (n in t) printf "%s\t%d\n", n, t[n] }'
}
profile_start() { # pid
	[ $PROFILE = 1 ] && [ -n "$1" ] || return 0
	mkdir -p "$WORK/profiles"
	thread_ticks "$1" >"$WORK/profiles/threads_before.tsv"
	jcmd "$1" JFR.start name=bench settings=profile >/dev/null 2>&1 || warn "JFR.start failed for pid $1"
}
profile_stop() { # pid label
	[ $PROFILE = 1 ] && [ -n "$1" ] || return 0
	mkdir -p "$WORK/profiles"
	jcmd "$1" JFR.stop name=bench filename="$WORK/profiles/$2.jfr" >/dev/null 2>&1 || { warn "JFR.stop failed for $2"; return 0; }
	{
		echo "CPU time by thread group (from /proc/$1/task, all threads, JIT and GC included):"
		thread_ticks "$1" | awk -F'\t' -v hz="$CLK_TCK" 'NR == FNR { before[$1] = $2; next }
			{ d = $2 - before[$1]; if (d > 0) { total += d; t[$1] = d } }
			END { for (n in t) printf "  %6.2f s  %5.1f%%  %s\n", t[n] / hz, 100 * t[n] / total, n | "sort -rn"; close("sort -rn")
				printf "  %6.2f s  total\n", total / hz }' "$WORK/profiles/threads_before.tsv" -
		echo
		java "$BENCH/Profile.java" "$WORK/profiles/$2.jfr" 25 2>&1 || true
	} >"$WORK/profiles/$2.txt"
	log "  profile: bench/work/run/profiles/$2.txt"
}

# CPU time (clock ticks) of every server: both services, Redis, and PostgreSQL (the
# postmaster, its live children, and the children it has reaped: cutime/cstime).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {
	local pid pm total=0
	for pid in $API_PID $WORKER_PID $REDIS_PID; do
		[ -r "/proc/$pid/stat" ] && total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
	done
	pm=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null || true)
	if [ -n "$pm" ] && [ -r "/proc/$pm/stat" ]; then
		total=$((total + $(sed 's/^.*) //' "/proc/$pm/stat" | awk '{ print $12 + $13 + $14 + $15 }')))
		for pid in $(ps -o pid= --ppid "$pm"); do
			[ -r "/proc/$pid/stat" ] && total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
		done
	fi
	echo "$total"
}
CPU_MARK=0
cpu_mark() { CPU_MARK=$(cpu_ticks); }
cpu_per_op() { # operations → server CPU µs per operation since cpu_mark
	awk -v t="$(($(cpu_ticks) - CPU_MARK))" -v hz="$CLK_TCK" -v n="$1" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }'
}

percentile() { # sorted-file fraction
	awk -v f="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * f + 0.999999); if (i < 1) i = 1; print v[i] }' "$1"
}

# Checks one response before a system run: $1 url, $2 expected source; prints a reason on failure.
check_history() {
	local body
	body=$(curl -sS --max-time 10 "$1" 2>&1) || { echo "request failed: $body"; return 1; }
	grep -q "\"source\":\"$2\"" <<<"$body" || { echo "unexpected response: ${body:0:200}"; return 1; }
	local count
	count=$(grep -o '"seq":' <<<"$body" | wc -l)
	[ "$count" -ge "$MESSAGES" ] || { echo "only $count messages in the page: ${body:0:200}"; return 1; }
}

cache_metrics() { # the API's cache meters, if it has any
	[ -n "$API_PORT" ] || return 0
	curl -fsS --max-time 5 "http://127.0.0.1:$API_PORT/actuator/prometheus" 2>/dev/null | grep -E '^cache_' || true
}

# The archive cache of the API, from its packaged configuration (history.archive-cache.max-size,
# no command-line override here), against the size of the archived fixture.
archive_cache_info() {
	local size bytes
	size=$(cd "$WORK" && jar xf "$WORK/jars/api-service.jar" BOOT-INF/classes/application.yml 2>/dev/null &&
		awk '/^ *archive-cache:/ { f = 1; next } f && /max-size:/ { print $2; exit }' BOOT-INF/classes/application.yml)
	bytes=$(psql_db -tAc "SELECT sum(octet_length(messages_raw::text) + 4 * 2 * message_count + 128) FROM session_history WHERE $(code_range A)")
	if [ -z "$size" ]; then
		echo "no archive cache setting found in the API's configuration"
		return
	fi
	awk -v size="$size" -v bytes="$bytes" -v n="$SESSIONS" 'BEGIN {
		m = size; unit = toupper(m); gsub(/[0-9.]/, "", unit); gsub(/[^0-9.]/, "", m)
		f = (unit == "KB") ? 1024 : (unit == "MB") ? 1048576 : (unit == "GB") ? 1073741824 : 1
		cap = m * f; hit = (bytes > 0) ? cap / bytes : 1; if (hit > 1) hit = 1
		printf "the API'"'"'s in-memory LRU of archived histories, history.archive-cache.max-size = %s (its default), against %d archived sessions of %.0f MiB in all read uniformly at random: it holds about %d%% of them, so about %d%% of the reads are hits after warm-up and the rest read messages_raw from PostgreSQL", size, n, bytes / 1048576, hit * 100, hit * 100
	}'
}

# The worker's history.archive.lag histogram (end → commit) between two scrapes: prints
# "p50_ms p99_ms count", each percentile as the upper bound of its bucket; nothing without it.
worker_metrics() { curl -fsS --max-time 5 "http://127.0.0.1:$WORKER_PORT/actuator/prometheus" 2>/dev/null || true; }
lag_histogram() { # before after
	awk '
	FNR == 1 { file++ }
	/^history_archive_lag_seconds_bucket/ {
		le = $0; sub(/.*le="/, "", le); sub(/".*/, "", le)
		if (file == 1) before[le] = $NF; else { after[le] = $NF; order[++k] = le }
	}
	END {
		if (k == 0) exit
		total = after["+Inf"] - before["+Inf"]
		if (total <= 0) exit
		for (i = 1; i <= k; i++) { le = order[i]; if (le == "+Inf") continue; c = after[le] - before[le]
			if (p50 == "" && c >= 0.5 * total) p50 = le
			if (p99 == "" && c >= 0.99 * total) p99 = le }
		printf "%s %s %d\n", (p50 == "") ? "-" : sprintf("%.0f", p50 * 1000), (p99 == "") ? "-" : sprintf("%.0f", p99 * 1000), total
	}' "$1" "$2"
}

# p50, p99 and max of archived_at - ended_at (ms) of a fixture set; archived_at is the start of
# the worker's insert transaction, so this is a little under end → commit.
table_lag() { # set
	psql_db -tA -F ' ' -c "SELECT
		round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY archived_at - ended_at)))::text,
		round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY archived_at - ended_at)))::text,
		round(1000 * extract(epoch FROM max(archived_at - ended_at)))::text
		FROM session_history WHERE $(code_range "$1")"
}

# The latencies of a wave or lag row: the worker's histogram when it has one, else the table.
lag_figures() { # set before after → LAG_P50 LAG_P99 LAG_NOTE
	local h t50 t99 tmax hcount
	h=$(lag_histogram "$2" "$3")
	read -r t50 t99 tmax <<<"$(table_lag "$1")"
	if [ -n "$h" ]; then
		read -r LAG_P50 LAG_P99 hcount <<<"$h"
		LAG_NOTE="end → commit from the worker's history.archive.lag histogram ($hcount archives, bucket upper bounds); archived_at - ended_at in the table: p50 $t50 ms, p99 $t99 ms, max $tmax ms"
	else
		LAG_P50=$t50 LAG_P99=$t99
		LAG_NOTE="archived_at - ended_at in the table (no lag histogram in the worker's metrics): max $tmax ms"
	fi
}

# ---------------------------------------------------------------------------------------
# 1. Live history: a full page of 100 of a random live session, 64 connections.
log "Live history — raw: redis-benchmark LRANGE -100 -1 of the same lists"
cpu_mark
redis_bench live_raw "$REDIS_REQUESTS" LRANGE "$PREFIX:{L__rand_int__}:$LSID:msgs" -100 -1
raw=($RB_RPS $RB_P50 $RB_P99) raw_cpu=$(cpu_per_op "$REDIS_REQUESTS") sys_cpu=-
sys=(- - -) api_rss=- worker_rss=- note=""
if [ $API_UP = 1 ]; then
	if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/L000000000001/history?limit=100" live); then
		log "Live history — system: wrk GET /sessions/{code}/history?limit=100 (warm-up, then ${DURATION}s)"
		export BENCH_SET=L BENCH_SESSIONS=$SESSIONS BENCH_MODE=history
		warm_up live
		rss_reset
		profile_start "$API_PID"
		cpu_mark
		wrk_run live_sys "$DURATION"
		sys_cpu=$(cpu_per_op "$W_REQ")
		profile_stop "$API_PID" live-api
		sys=($W_RPS $W_P50 $W_P99) api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
		note="$WARMED"
		[ "$W_BAD" = 0 ] || note="$note; $W_BAD failed requests"
	else
		note="system: $reason"
		warn "live history not measured: $reason"
	fi
fi
row "live history" "pages/s" "${raw[0]}" "${sys[0]}" "ratio>=0.5" "${raw[1]}" "${raw[2]}" "${sys[1]}" "${sys[2]}" "$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"

# 2. Archived history: a full page of 100 of a random archived session.
log "Archived history — raw: pgbench selecting messages (jsonb) by code, ${DURATION}s"
rm -f "$WORK"/pgbench_log.*
cpu_mark
(cd "$WORK" && timeout $((DURATION + 120)) "$PGBIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared \
	-c "$CONNECTIONS" -j 2 -T "$DURATION" -D sessions="$SESSIONS" -f "$BENCH/sql/archived_read.sql" -l \
	sessionhistory >"$WORK/archived_raw.pgbench" 2>&1) || die "pgbench failed: $(tail -n 3 "$WORK/archived_raw.pgbench")"
raw_cpu=$(cpu_per_op "$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/archived_raw.pgbench")") sys_cpu=-
cat "$WORK"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -n >"$WORK/archived_raw.latencies"
raw=($(grep -o 'tps = [0-9.]*' "$WORK/archived_raw.pgbench" | awk '{ printf "%.0f", $3 }')
	$(ms "$(percentile "$WORK/archived_raw.latencies" 0.5)") $(ms "$(percentile "$WORK/archived_raw.latencies" 0.99)"))
sys=(- - -) api_rss=- worker_rss=- note=""
CACHE_INFO="none (the services did not run)"
if [ $API_UP = 1 ]; then
	if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/A000000000001/history?limit=100" archive); then
		log "Archived history — system: wrk GET /sessions/{code}/history?limit=100 (warm-up, then ${DURATION}s)"
		export BENCH_SET=A BENCH_SESSIONS=$SESSIONS BENCH_MODE=history
		warm_up archived
		cache_metrics >"$WORK/cache_before.txt"
		rss_reset
		profile_start "$API_PID"
		cpu_mark
		wrk_run archived_sys "$DURATION"
		sys_cpu=$(cpu_per_op "$W_REQ")
		profile_stop "$API_PID" archived-api
		cache_metrics >"$WORK/cache_after.txt"
		sys=($W_RPS $W_P50 $W_P99) api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
		note="$WARMED"
		[ "$W_BAD" = 0 ] || note="$note; $W_BAD failed requests"
		CACHE_INFO=$(archive_cache_info)
		if [ -s "$WORK/cache_after.txt" ]; then
			CACHE_INFO="$CACHE_INFO; cache meters: $(tr '\n' ';' <"$WORK/cache_after.txt" | cut -c1-400)"
		fi
	else
		note="system: $reason"
		warn "archived history not measured: $reason"
	fi
fi
row "archived history" "pages/s" "${raw[0]}" "${sys[0]}" "ratio>=1.0" "${raw[1]}" "${raw[2]}" "${sys[1]}" "${sys[2]}" "$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"

# 3. Append a message to a random live session.
APPEND_SHA=$(rcli SCRIPT LOAD "$(cat "$SCRIPTS/append.lua")")
BODY=$(fixture body)
RAW_MESSAGE='{"id":"b","sentAt":"2026-11-24T10:00:00.000Z",'${BODY#\{}
NOW_MS=$(($(date +%s) * 1000))
check=$(rcli EVALSHA "$APPEND_SHA" 5 "$PREFIX:{L000000000000}:live" "$PREFIX:{L000000000000}:$LSID:meta" \
	"$PREFIX:{L000000000000}:$LSID:msgs" "$PREFIX:{L000000000000}:$LSID:ids" "$PREFIX:{L000000000000}:pending" \
	"$LSID" check-1 "$RAW_MESSAGE" \
	"$NOW_MS" 100000 86400 | head -n 1)
[ "$check" = CREATED ] || die "the append script answered '$check' for a fixture session"
log "Append — raw: redis-benchmark EVALSHA of the append script (${#RAW_MESSAGE}-byte message)"
cpu_mark
redis_bench append_raw "$REDIS_REQUESTS" EVALSHA "$APPEND_SHA" 5 "$PREFIX:{L__rand_int__}:live" \
	"$PREFIX:{L__rand_int__}:$LSID:meta" "$PREFIX:{L__rand_int__}:$LSID:msgs" "$PREFIX:{L__rand_int__}:$LSID:ids" \
	"$PREFIX:{L__rand_int__}:pending" "$LSID" "b__rand_int__" "$RAW_MESSAGE" "$NOW_MS" 100000 86400
raw=($RB_RPS $RB_P50 $RB_P99) raw_cpu=$(cpu_per_op "$REDIS_REQUESTS") sys_cpu=-
sys=(- - -) api_rss=- worker_rss=- note=""
if [ $API_UP = 1 ]; then
	status=$(curl -sS -o "$WORK/append_check.json" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
		-d "$BODY" "http://127.0.0.1:$API_PORT/sessions/L000000000001/messages" 2>&1 || true)
	if [ "$status" = 201 ]; then
		log "Append — system: wrk POST /sessions/{code}/messages (warm-up, then ${DURATION}s)"
		export BENCH_SET=L BENCH_SESSIONS=$SESSIONS BENCH_MODE=append BENCH_BODY=$BODY
		warm_up append
		rss_reset
		profile_start "$API_PID"
		cpu_mark
		wrk_run append_sys "$DURATION"
		sys_cpu=$(cpu_per_op "$W_REQ")
		profile_stop "$API_PID" append-api
		sys=($W_RPS $W_P50 $W_P99) api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
		note="$WARMED"
		[ "$W_BAD" = 0 ] || note="$note; $W_BAD failed requests"
	else
		note="system: POST answered $status $(head -c 200 "$WORK/append_check.json" 2>/dev/null)"
		warn "append not measured: $note"
	fi
fi
row "append" "messages/s" "${raw[0]}" "${sys[0]}" "ratio>=0.5" "${raw[1]}" "${raw[2]}" "${sys[1]}" "${sys[2]}" "$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"

# 4. The archive wave: SESSIONS sessions ended at once, until all are archived.
log "Archive wave — raw: COPY of the same $SESSIONS rows into a table of the same definition"
cpu_mark
t=$(date +%s%N)
psql_db -c "\\copy bench_raw_history ($COPY_COLUMNS) FROM '$WORK/wave.tsv'"
raw_ms=$((($(date +%s%N) - t) / 1000000))
raw_cpu=$(cpu_per_op "$SESSIONS") sys_cpu=-
raw_rate=$(awk -v n="$SESSIONS" -v ms="$raw_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
log "  COPY took ${raw_ms} ms"
sys_rate=- sys_p50=- sys_p99=- api_rss=- worker_rss=- note="raw COPY ${raw_ms} ms"
if [ $WORKER_UP = 1 ]; then
	log "Archive wave — warming the worker up with a wave of $WARM_WAVE other sessions"
	fixture end "$SCRIPTS" 127.0.0.1 "$REDIS_PORT" "$PREFIX" V 0 "$WARM_WAVE" 0 >"$WORK/warm_wave_end.txt"
	for _ in $(seq 1 $((WAVE_TIMEOUT * 2))); do
		[ "$(psql_db -tAc "SELECT count(*) FROM session_history WHERE $(code_range V)")" -ge "$WARM_WAVE" ] && break
		sleep 0.5
	done
	# The worker records an archive's lag after the commit: let it finish before the scrape.
	for _ in $(seq 1 50); do
		[ "$(worker_metrics | awk '/^history_archive_lag_seconds_count/ { print int($NF) }')" -ge "$WARM_WAVE" ] 2>/dev/null && break
		sleep 0.2
	done
	log "Archive wave — system: end script + due score for $SESSIONS sessions at once, then wait for the worker"
	worker_metrics >"$WORK/wave_metrics_before.txt"
	rss_reset
	profile_start "$WORKER_PID"
	cpu_mark
	fixture end "$SCRIPTS" 127.0.0.1 "$REDIS_PORT" "$PREFIX" W 0 "$SESSIONS" 0 >"$WORK/wave_end.txt"
	start_ms=$(sed -n 's/^start_ms=//p' "$WORK/wave_end.txt")
	grep -q "^ended=$SESSIONS\$" "$WORK/wave_end.txt" || warn "wave: $(tr '\n' ' ' <"$WORK/wave_end.txt")"
	done_ms="" count=0
	deadline=$(($(date +%s) + WAVE_TIMEOUT))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		count=$(psql_db -tAc "SELECT count(*) FROM session_history WHERE $(code_range W)")
		if [ "$count" -ge "$SESSIONS" ]; then
			done_ms=$(($(date +%s%N) / 1000000))
			break
		fi
		sleep 0.1
	done
	sys_cpu=$(cpu_per_op "$count")
	api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
	profile_stop "$WORKER_PID" wave-worker
	if [ -n "$done_ms" ]; then
		sys_ms=$((done_ms - start_ms))
		sys_rate=$(awk -v n="$SESSIONS" -v ms="$sys_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
		note="$note; system ${sys_ms} ms"
		log "  the worker archived $SESSIONS sessions in ${sys_ms} ms"
	else
		note="$note; system: only $count of $SESSIONS archived within ${WAVE_TIMEOUT}s"
		sys_rate=$(awk -v n="$count" -v s="$WAVE_TIMEOUT" 'BEGIN { printf "%.0f", n / s }')
		warn "wave: only $count of $SESSIONS archived within ${WAVE_TIMEOUT}s"
	fi
	worker_metrics >"$WORK/wave_metrics_after.txt"
	same=$(psql_db -tAc "SELECT count(*) FROM session_history s JOIN bench_raw_history r USING (session_id)
		WHERE s.messages_raw::text = r.messages_raw::text")
	[ "$same" = "$count" ] || warn "wave: only $same of the $count archived rows have the same messages_raw as the raw COPY rows"
	note="$note; $same archived rows byte-identical to the COPY rows"
	lag_figures W "$WORK/wave_metrics_before.txt" "$WORK/wave_metrics_after.txt"
	sys_p50=$LAG_P50 sys_p99=$LAG_P99 note="$note; per-session latency: $LAG_NOTE"
fi
row "archive wave" "sessions/s" "$raw_rate" "$sys_rate" "ratio>=0.5" - - "$sys_p50" "$sys_p99" "$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"

# 5. Archive lag at a steady LAG_RATE sessions ending per second.
sys_p50=- sys_p99=- api_rss=- worker_rss=- note="" offered=- raw_cpu=- sys_cpu=-
if [ $WORKER_UP = 1 ]; then
	log "Archive lag — $LAG_SESSIONS sessions ended at $LAG_RATE/s for ${LAG_SECONDS}s"
	worker_metrics >"$WORK/lag_metrics_before.txt"
	rss_reset
	profile_start "$WORKER_PID"
	cpu_mark
	fixture end "$SCRIPTS" 127.0.0.1 "$REDIS_PORT" "$PREFIX" G 0 "$LAG_SESSIONS" "$LAG_RATE" >"$WORK/lag_end.txt"
	start_ms=$(sed -n 's/^start_ms=//p' "$WORK/lag_end.txt")
	sent_ms=$(sed -n 's/^sent_ms=//p' "$WORK/lag_end.txt")
	offered=$(awk -v n="$LAG_SESSIONS" -v ms="$((sent_ms - start_ms))" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
	deadline=$(($(date +%s) + 60))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		count=$(psql_db -tAc "SELECT count(*) FROM session_history WHERE $(code_range G)")
		[ "$count" -ge "$LAG_SESSIONS" ] && break
		sleep 0.2
	done
	sys_cpu=$(cpu_per_op "$count")
	api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
	profile_stop "$WORKER_PID" lag-worker
	[ "$count" -ge "$LAG_SESSIONS" ] || note="only $count of $LAG_SESSIONS archived 60 s after the last end; "
	worker_metrics >"$WORK/lag_metrics_after.txt"
	lag_figures G "$WORK/lag_metrics_before.txt" "$WORK/lag_metrics_after.txt"
	sys_p50=$LAG_P50 sys_p99=$LAG_P99 note="${note}offered ${offered}/s; $LAG_NOTE"
fi
row "archive lag" "sessions/s" - "$offered" "p99<2000ms" - - "$sys_p50" "$sys_p99" "$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"

# ---------------------------------------------------------------------------------------
# The report
API_PEAK=$(rss_mib "$API_PID") WORKER_PEAK=$(rss_mib "$WORKER_PID")
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
MACHINE="$(nproc) cores ($CPU), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
REDIS_VERSION=$(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-)
PG_VERSION=$("$PGBIN/postgres" --version | awk '{ print $3 }')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

format_table() {
	awk -F'\t' '
	function num(v) { return v ~ /^[0-9.]+$/ }
	function fmt(v) { return v }
	BEGIN {
		print "| workload | raw rate | system rate | ratio | target | met | p50 raw / system (ms) | p99 raw / system (ms) | server CPU per op raw / system (µs) | CPU ratio | peak RSS api / worker (MiB) |"
		print "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|"
	}
	{
		ratio = (num($3) && num($4) && $3 > 0) ? sprintf("%.2f", $4 / $3) : "-"
		met = "-"
		if ($5 ~ /^ratio>=/) { t = substr($5, 8); if (ratio != "-") met = (ratio + 0 >= t + 0) ? "yes" : "**no**" }
		if ($5 ~ /^p99</) { t = substr($5, 5) + 0; if (num($9)) met = ($9 + 0 < t) ? "yes" : "**no**" }
		target = $5; sub(/^ratio/, "ratio ", target); sub(/^p99</, "p99 < ", target)
		rate3 = num($3) ? fmt($3) " " $2 : $3
		rate4 = num($4) ? fmt($4) " " $2 : $4
		if ($1 == "archive lag" && num($4)) rate4 = fmt($4) " ended/s"
		c13 = ($13 == "") ? "-" : $13; c14 = ($14 == "") ? "-" : $14
		cpu = (num(c13) && num(c14) && c14 > 0) ? sprintf("%.2f", c13 / c14) : "-"
		printf "| %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s | %s / %s |\n", $1, rate3, rate4, ratio, target, met, $6, $8, $7, $9, c13, c14, cpu, $10, $11
	}' "$ROWS"
}
TABLE=$(format_table)
{
	echo "# Session History benchmark: $MODE run"
	echo
	echo "$DATE on $MACHINE; Redis $REDIS_VERSION, PostgreSQL $PG_VERSION, $(java -version 2>&1 | head -n 1 | tr -d '"');" \
		"services with -Xmx256m; load average at the end $LOAD."
	echo "Fixture: $SESSIONS sessions x $MESSAGES messages (about 220 bytes each) per set; $CONNECTIONS connections;" \
		"system runs ${DURATION}s after a warm-up of up to ${WARMUP_MAX}s (until the JIT settles); raw Redis runs $REDIS_REQUESTS requests."
	echo
	echo "$TABLE"
	echo
	echo "Ratio = system rate / raw rate. Latencies are per request (wave: per session, end to archive;" \
		"lag: end → commit). Peak RSS is VmHWM of each service during that workload; over the whole run: api $API_PEAK MiB, worker $WORKER_PEAK MiB."
	echo
	echo "Server CPU per op: the CPU time of Redis, PostgreSQL and both services during the run (from /proc) divided by the" \
		"operations; the load generators are not counted. CPU ratio = raw / system: the throughput ratio the servers" \
		"would reach if CPU alone bounded them, which holds better than the rates on a busy machine."
	echo
	echo "Cache in play for the archived read: $CACHE_INFO."
	details=$(awk -F'\t' '$12 != "" { printf "- %s: %s\n", $1, $12 }' "$ROWS")
	if [ -n "$details" ]; then printf '\nDetails:\n%s\n' "$details"; fi
	if [ ${#NOTES[@]} -gt 0 ]; then
		printf '\nWarnings:\n'
		printf -- '- %s\n' "${NOTES[@]}"
	fi
} >"$WORK/latest.md"
cp "$WORK/results.tsv" "$WORK/latest.tsv"
java "$BENCH/Chart.java" "$ROWS" "$WORK/latest.png" "$MODE run, $DATE, $(nproc) cores" ||
	warn "the chart could not be drawn"
cp "$WORK/latest.md" "$RESULTS/latest.md"
[ ! -f "$WORK/latest.png" ] || cp "$WORK/latest.png" "$RESULTS/latest.png"
echo
cat "$WORK/latest.md"
echo
log "Done in $(($(date +%s) - T0)) s; wrote bench/results/latest.md and latest.png"
