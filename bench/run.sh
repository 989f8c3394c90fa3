#!/usr/bin/env bash
# The benchmark suite of Session History: every figure is a ratio against the raw datastore
# doing the same work, in the same run on the same machine. See bench/README.md.
#
#   bench/run.sh [--quick] [--raw-only] [--no-build]
#
# Starts its own Redis and PostgreSQL on free loopback ports, loads the fixtures, runs the
# raw baselines (redis-benchmark, pgbench, COPY, PING) and the system (api-service and
# archiver-worker with -Xmx256m, driven by wrk), prints one table and writes it to
# bench/results/latest.md with a chart in bench/results/latest.png. Stops everything it
# started, also on Ctrl-C or failure. Server data, fixtures and logs stay in bench/work/run/.
#   --quick     smaller fixtures and shorter runs (a few minutes), for development
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
# The large sessions (set B archived, set S live): BIG_MESSAGES messages whose bodies are
# BIG_BODY bytes, the largest the API accepts (history.message.max-size 16KB), read in pages
# of PAGE_LIMIT messages, which the API's page byte cap (history.page.max-bytes, 1MB by
# default) cuts short. A few connections only: these rows measure latency, not throughput.
BIG_BODY=16384
PAGE_LIMIT=1000
PAGE_MAX_BYTES=1048576
LARGE_CONNECTIONS=4
if [ "$MODE" = quick ]; then
	SESSIONS=1000 WARMUP=3 WARMUP_MAX=5 DURATION=3 LAG_SECONDS=3 REDIS_REQUESTS=30000 WAVE_TIMEOUT=60 WARM_WAVE=300
	BIG_MESSAGES=2000 LARGE_WARMUP_MAX=3 LARGE_DURATION=3 PING_IDLE=2 STALL_LIVE=2 STALL_TIMEOUT=60
else
	SESSIONS=10000 WARMUP=5 WARMUP_MAX=30 DURATION=20 LAG_SECONDS=30 REDIS_REQUESTS=400000 WAVE_TIMEOUT=240 WARM_WAVE=2000
	BIG_MESSAGES=10000 LARGE_WARMUP_MAX=10 LARGE_DURATION=10 PING_IDLE=5 STALL_LIVE=5 STALL_TIMEOUT=180
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
REDIS_PID="" PGDATA="" API_PID="" WORKER_PID="" WRK_PID="" PROBE_PID=""
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
	stop_pid "$WRK_PID" 5
	stop_pid "$PROBE_PID" 5
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

log "Compiling the fixture generator, the Redis probe and the append load"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" "$BENCH/Fixture.java" "$BENCH/RedisProbe.java" "$BENCH/AppendLoad.java"
fixture() { java -cp "$WORK/classes" Fixture "$@"; }

# ---------------------------------------------------------------------------------------
# Redis and PostgreSQL
REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
# The slow log keeps every command over 10 ms and the latency monitor every event over 10 ms,
# for the stall check.
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" --save "" --appendonly no \
	--notify-keyspace-events Ex --slowlog-log-slower-than 10000 --slowlog-max-len 1024 --latency-monitor-threshold 10 \
	--logfile "$WORK/redis/redis.log" &
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
start_service() { # name jar port [args...]
	local name=$1 jar=$2 port=$3
	shift 3
	java -Xmx256m -jar "$jar" --server.port="$port" \
		--spring.data.redis.url="redis://127.0.0.1:$REDIS_PORT" \
		--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/sessionhistory" \
		--spring.datasource.username=postgres \
		--history.key-prefix="$PREFIX" "$@" >"$WORK/$name.log" 2>&1 &
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
	# Limits that admit the largest live session of the stall check (BIG_MESSAGES messages of
	# about 16 KiB); they only bound appends, so the other workloads are unaffected.
	API_PID=$(start_service api-service "$WORK/jars/api-service.jar" "$API_PORT" \
		--history.session.max-bytes=200MB --history.message.max-count=10000)
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
# The raw insert baseline writes the same rows into tables of the same definition.
psql_db -c "CREATE TABLE bench_raw_history (LIKE session_history INCLUDING ALL)" \
	-c "CREATE TABLE bench_raw_chunk (LIKE session_history_chunk INCLUDING ALL)" \
	-c "ALTER TABLE bench_raw_chunk ADD FOREIGN KEY (session_id) REFERENCES bench_raw_history (session_id) ON DELETE CASCADE"

# ---------------------------------------------------------------------------------------
# Fixtures
# L: live sessions read and appended to; all share one session id so that the four keys of
#    an append drawn by redis-benchmark (one random number per __rand_int__) are consistent.
# W: live sessions ended at once (the wave).  G: live sessions ended at 200/s (the lag).
# V: a smaller wave ended first, to warm the worker up.
# S: one live session of BIG_MESSAGES messages of about 16 KiB, archived in the stall check.
# A: archived sessions, COPYed into session_history and session_history_chunk.
# B: one archived session of BIG_MESSAGES messages of about 16 KiB, COPYed the same way.
LSID=$(printf '0000%04x-0000-4000-8000-%012d' "'L" 0)
log "Loading the live fixture into Redis: ${SESSIONS} + ${SESSIONS} + ${LAG_SESSIONS} + ${WARM_WAVE} sessions x $MESSAGES messages" \
	"and 1 x $BIG_MESSAGES messages of $BIG_BODY bytes (create and append scripts by EVALSHA, redis-cli --pipe)"
load_redis() { # set count messages sidmode [body]
	local out
	out=$(fixture redis "$SCRIPTS" "$PREFIX" "$1" "$2" "$3" "$4" "$TTL_MS" "${5:-small}" |
		rcli --pipe --pipe-timeout 600 2>&1 | tail -n 1) || true
	[[ $out == "errors: 0,"* ]] || die "loading set $1 into Redis: $out"
}
load_redis L "$SESSIONS" "$MESSAGES" const
load_redis W "$SESSIONS" "$MESSAGES" unique
load_redis G "$LAG_SESSIONS" "$MESSAGES" unique
load_redis V "$WARM_WAVE" "$MESSAGES" unique
load_redis S 1 "$BIG_MESSAGES" unique "$BIG_BODY"
log "Redis: $(rcli dbsize) keys, $(rcli info memory | grep -o 'used_memory_human:[^[:space:]]*' | cut -d: -f2) used"
log "Loading the archived fixture into PostgreSQL: $SESSIONS sessions x $MESSAGES messages" \
	"and 1 x $BIG_MESSAGES messages of $BIG_BODY bytes (COPY of the sessions and their chunks)"
SESSION_COLUMNS="session_id, session_code, message_count, message_bytes, created_at, ended_at, end_reason"
CHUNK_COLUMNS="session_id, first_seq, last_seq, messages_raw"
fixture copy A "$SESSIONS" "$MESSAGES" small "$WORK/archived_sessions.tsv" "$WORK/archived_chunks.tsv"
fixture copy B 1 "$BIG_MESSAGES" "$BIG_BODY" "$WORK/big_sessions.tsv" "$WORK/big_chunks.tsv"
fixture copy W "$SESSIONS" "$MESSAGES" small "$WORK/wave_sessions.tsv" "$WORK/wave_chunks.tsv"
for set in archived big; do
	psql_db -c "\\copy session_history ($SESSION_COLUMNS) FROM '$WORK/${set}_sessions.tsv'" \
		-c "\\copy session_history_chunk ($CHUNK_COLUMNS) FROM '$WORK/${set}_chunks.tsv'"
done
psql_db -c "VACUUM ANALYZE session_history" -c "VACUUM ANALYZE session_history_chunk"
log "PostgreSQL: session_history $(psql_db -tAc "SELECT pg_size_pretty(pg_total_relation_size('session_history'))")," \
	"session_history_chunk $(psql_db -tAc "SELECT pg_size_pretty(pg_total_relation_size('session_history_chunk'))")"

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
# compiler threads take under 10 % of the process's CPU in a step (at most WARMUP_MAX s,
# or the second argument).
warm_up() { # label [max_seconds]
	local step=0 before after share max=${2:-$WARMUP_MAX}
	while :; do
		step=$((step + 1))
		before=$(thread_ticks "$API_PID")
		wrk_run "$1_warmup$step" "$WARMUP"
		after=$(thread_ticks "$API_PID")
		share=$(awk -F'\t' 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; total += d; if ($1 ~ /Compiler/) jit += d }
			END { printf "%.0f", (total > 0) ? 100 * jit / total : 0 }' <(echo "$before") <(echo "$after"))
		if [ "$share" -lt 10 ] || [ $((step * WARMUP)) -ge "$max" ]; then
			log "  warmed up for $((step * WARMUP)) s (JIT compiler at ${share}% of the API's CPU in the last ${WARMUP} s)"
			WARMED="$((step * WARMUP)) s warm-up, JIT at ${share}% at its end"
			return
		fi
	done
}

wrk_run() { # label seconds [connections] → W_RPS W_P50 W_P99 (ms) W_BAD; env BENCH_* set by the caller
	local label=$1 seconds=$2 connections=${3:-$WRK_CONNECTIONS} line
	timeout $((seconds + 60)) wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 10s --latency \
		-s "$BENCH/wrk/sessions.lua" "http://127.0.0.1:$API_PORT" >"$WORK/$label.wrk" 2>&1 ||
		die "wrk $label failed: $(tail -n 3 "$WORK/$label.wrk")"
	wrk_figures "$WORK/$label.wrk" || die "wrk $label: no figures: $(tail -n 3 "$WORK/$label.wrk")"
}
wrk_figures() { # wrk output file → W_RPS W_P50 W_P99 (ms) W_REQ W_BAD; fails without figures
	local line
	line=$(grep '^BENCH ' "$1") || return 1
	W_RPS=$(echo "$line" | sed -E 's/.*requests=([0-9]+) duration_us=([0-9]+).*/\1 \2/' | awk '{ printf "%.0f", $1 / ($2 / 1e6) }')
	W_P50=$(echo "$line" | sed -E 's/.*p50_us=([0-9]+).*/\1/' | awk '{ printf "%.2f", $1 / 1000 }')
	W_P99=$(echo "$line" | sed -E 's/.*p99_us=([0-9]+).*/\1/' | awk '{ printf "%.2f", $1 / 1000 }')
	W_REQ=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
	W_BAD=$(echo "$line" | sed -E 's/.*non2xx=([0-9]+) socket_errors=([0-9]+).*/\1 \2/' | awk '{ print $1 + $2 }')
}

WRK_CONNECTIONS=$CONNECTIONS

# pgbench of one of bench/sql's scripts, with a per-transaction log for the percentiles.
pgbench_run() { # label clients seconds script defines... → PG_TPS PG_P50 PG_P99 (ms) PG_TX
	local label=$1 clients=$2 seconds=$3 script=$4 define defines=() failed
	shift 4
	for define in "$@"; do defines+=(-D "$define"); done
	rm -rf "$WORK/pgbench_$label"
	mkdir -p "$WORK/pgbench_$label"
	(cd "$WORK/pgbench_$label" && timeout $((seconds + 120)) "$PGBIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
		-n -M prepared -c "$clients" -j 2 -T "$seconds" "${defines[@]}" -f "$BENCH/sql/$script" -l \
		sessionhistory >"$WORK/$label.pgbench" 2>&1) || die "pgbench $label failed: $(tail -n 3 "$WORK/$label.pgbench")"
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/$label.pgbench")
	[ "${failed:-0}" = 0 ] || warn "pgbench $label: $failed failed transactions"
	PG_TX=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/$label.pgbench")
	cat "$WORK/pgbench_$label"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -n >"$WORK/$label.latencies"
	PG_TPS=$(grep -o 'tps = [0-9.]*' "$WORK/$label.pgbench" | awk '{ printf "%.0f", $3 }')
	PG_P50=$(ms "$(percentile "$WORK/$label.latencies" 0.5)")
	PG_P99=$(ms "$(percentile "$WORK/$label.latencies" 0.99)")
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

# Checks one response before a system run: $1 url, $2 expected source, $3 and $4 the seqs of
# its first and last message (default: at least MESSAGES messages); prints a reason on failure.
check_history() {
	local body count first last
	curl -sS --max-time 30 -o "$WORK/check.json" "$1" 2>"$WORK/check.err" || { echo "request failed: $(cat "$WORK/check.err")"; return 1; }
	body=$(head -c 300 "$WORK/check.json")
	grep -q "\"source\":\"$2\"" "$WORK/check.json" || { echo "unexpected response: $body"; return 1; }
	count=$(grep -o '"seq":[0-9]*' "$WORK/check.json" | wc -l)
	if [ -z "${3:-}" ]; then
		[ "$count" -ge "$MESSAGES" ] || { echo "only $count messages in the page: $body"; return 1; }
		return 0
	fi
	first=$(grep -o '"seq":[0-9]*' "$WORK/check.json" | head -n 1 | cut -d: -f2)
	last=$(grep -o '"seq":[0-9]*' "$WORK/check.json" | tail -n 1 | cut -d: -f2)
	[ "$first" = "$3" ] && [ "$last" = "$4" ] && [ "$count" = $(($4 - $3 + 1)) ] ||
		{ echo "the page holds $count messages, seq $first to $last, not $3 to $4: $body"; return 1; }
}

cache_metrics() { # the API's cache meters, if it has any
	[ -n "$API_PORT" ] || return 0
	curl -fsS --max-time 5 "http://127.0.0.1:$API_PORT/actuator/prometheus" 2>/dev/null | grep -E '^cache_' || true
}

# The archive cache of the API, from its packaged configuration (history.archive-cache.max-size,
# no command-line override here), against the size of the archived fixture. The cache holds
# archive directories and chunks, weighed about as here: the chunk's text, its message bounds
# (8 bytes a message) and some overhead per chunk and directory.
archive_cache_info() {
	local size bytes
	size=$(cd "$WORK" && jar xf "$WORK/jars/api-service.jar" BOOT-INF/classes/application.yml 2>/dev/null &&
		awk '/^ *archive-cache:/ { f = 1; next } f && /max-size:/ { print $2; exit }' BOOT-INF/classes/application.yml)
	bytes=$(psql_db -tAc "SELECT sum(message_bytes + 8 * message_count + 256) FROM session_history WHERE $(code_range A)")
	if [ -z "$size" ]; then
		echo "no archive cache setting found in the API's configuration"
		return
	fi
	awk -v size="$size" -v bytes="$bytes" -v n="$SESSIONS" 'BEGIN {
		m = size; unit = toupper(m); gsub(/[0-9.]/, "", unit); gsub(/[^0-9.]/, "", m)
		f = (unit == "KB") ? 1024 : (unit == "MB") ? 1048576 : (unit == "GB") ? 1073741824 : 1
		cap = m * f; hit = (bytes > 0) ? cap / bytes : 1; if (hit > 1) hit = 1
		printf "the API'"'"'s in-memory cache of archive directories and chunks (Caffeine, weighed in bytes), history.archive-cache.max-size = %s (its default), against %d archived sessions of %.0f MiB in all read uniformly at random: it holds about %d%% of them, so about %d%% of the reads are hits after warm-up and the rest read their chunk from PostgreSQL (the latest archive of a code is always asked of PostgreSQL). The large archive pages read the same few chunks again and again: after the first request they come from the cache", size, n, bytes / 1048576, hit * 100, hit * 100
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
log "Archived history — raw: pgbench reading the latest archive's chunk of a random code (messages_raw), ${DURATION}s"
cpu_mark
pgbench_run archived_raw "$CONNECTIONS" "$DURATION" archived_page.sql letter=A lo=0 hi=$((SESSIONS - 1)) after=-1 size="$MESSAGES"
raw=($PG_TPS $PG_P50 $PG_P99) raw_cpu=$(cpu_per_op "$PG_TX") sys_cpu=-
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
# The script text exactly as SessionScripts loads it (layout.lua, a newline, append.lua), and
# the limits the API passes: history.message.max-count and the stall check's session max-bytes.
fixture script "$SCRIPTS" append.lua >"$WORK/append.lua"
APPEND_SHA=$(rcli -x SCRIPT LOAD <"$WORK/append.lua")
APPEND_LIMITS=(10000 86400 $((200 * 1024 * 1024)))
BODY=$(fixture body)
RAW_MESSAGE='{"id":"b","sentAt":"2026-11-24T10:00:00.000Z",'${BODY#\{}
NOW_MS=$(($(date +%s) * 1000))
check=$(rcli EVALSHA "$APPEND_SHA" 5 "$PREFIX:{L000000000000}:live" "$PREFIX:{L000000000000}:$LSID:meta" \
	"$PREFIX:{L000000000000}:$LSID:msgs" "$PREFIX:{L000000000000}:$LSID:ids" "$PREFIX:{L000000000000}:pending" \
	2 "$LSID" check-1 "$RAW_MESSAGE" "$NOW_MS" "${APPEND_LIMITS[@]}" | head -n 1)
[ "$check" = CREATED ] || die "the append script answered '$check' for a fixture session"
# redis-benchmark cannot drive it: it draws a new number for every __rand_int__ of a command,
# and the append script refuses keys of different sessions. AppendLoad.java does the same
# (one thread, CONNECTIONS connections, one call in flight each) with consistent keys, after
# APPEND_WARMUP unmeasured calls that let its JIT compile (the server CPU counts both).
APPEND_WARMUP=$((REDIS_REQUESTS / 4))
log "Append — raw: EVALSHA of the append script to random set-L sessions, $CONNECTIONS connections (AppendLoad.java, ${#RAW_MESSAGE}-byte message)"
cpu_mark
timeout 300 java -cp "$WORK/classes" AppendLoad 127.0.0.1 "$REDIS_PORT" "$CONNECTIONS" "$APPEND_WARMUP" "$REDIS_REQUESTS" "$SESSIONS" \
	"$PREFIX" L "$LSID" "$APPEND_SHA" "$RAW_MESSAGE" "$NOW_MS" "${APPEND_LIMITS[@]}" >"$WORK/append_raw.out" 2>&1 ||
	die "the raw append failed: $(tail -n 3 "$WORK/append_raw.out")"
raw=($(sed -n 's/^rps=//p' "$WORK/append_raw.out") $(sed -n 's/^p50_ms=//p' "$WORK/append_raw.out")
	$(sed -n 's/^p99_ms=//p' "$WORK/append_raw.out")) raw_cpu=$(cpu_per_op "$(sed -n 's/^requests=//p' "$WORK/append_raw.out")") sys_cpu=-
[ "$(sed -n 's/^not_created=//p' "$WORK/append_raw.out")" = 0 ] ||
	warn "raw append: $(sed -n 's/^not_created=//p' "$WORK/append_raw.out") calls did not answer CREATED: $(sed -n 's/^first_problem=//p' "$WORK/append_raw.out")"
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
log "Archive wave — raw: COPY of the same $SESSIONS sessions and their chunks into tables of the same definition"
cpu_mark
t=$(date +%s%N)
psql_db -c "\\copy bench_raw_history ($SESSION_COLUMNS) FROM '$WORK/wave_sessions.tsv'" \
	-c "\\copy bench_raw_chunk ($CHUNK_COLUMNS) FROM '$WORK/wave_chunks.tsv'"
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
	# The same session rows, and the same chunks: the same seqs and the same bytes.
	same=$(psql_db -tAc "WITH s AS (SELECT session_id, string_agg(first_seq || '-' || last_seq || ' ' || messages_raw::text, ','
			ORDER BY first_seq) AS chunks FROM session_history_chunk WHERE session_id IN (SELECT session_id FROM bench_raw_history)
			GROUP BY session_id),
		r AS (SELECT session_id, string_agg(first_seq || '-' || last_seq || ' ' || messages_raw::text, ',' ORDER BY first_seq) AS chunks
			FROM bench_raw_chunk GROUP BY session_id)
		SELECT count(*) FROM session_history sh JOIN bench_raw_history rh USING (session_id) JOIN s USING (session_id)
		JOIN r USING (session_id)
		WHERE sh.message_count = rh.message_count AND sh.message_bytes = rh.message_bytes AND s.chunks = r.chunks")
	[ "$same" = "$count" ] || warn "wave: only $same of the $count archived sessions have the same row and chunks as the raw COPY"
	note="$note; $same archived sessions byte-identical to the COPY rows (row and chunks)"
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

# 6. Large archive pages: page 1 (after=0) and the last page (latest) of one archived session
#    of BIG_MESSAGES messages of about 16 KiB, limit=1000, so the page byte cap ends the page
#    at about 1 MB. A few connections: per-request latency is the figure.
large_page() { # name mode (after | latest)
	local name=$1 mode=$2 from to after query cursor chunks note reason
	read -r from to <<<"$(fixture page B "$BIG_MESSAGES" "$BIG_BODY" "$PAGE_LIMIT" "$PAGE_MAX_BYTES" "$mode")"
	if [ "$mode" = after ]; then after=0 query="&after=0" cursor=0; else after=-1 query="" cursor=latest; fi
	chunks=$(psql_db -tA -F ' ' -c "SELECT count(*), round(sum(octet_length(c.messages_raw::text)) / 1048576.0, 2)
		FROM session_history_chunk c JOIN session_history h USING (session_id)
		WHERE h.session_code = 'B000000000000' AND c.last_seq >= $from AND c.first_seq <= $to")
	note="seq $from to $to ($((to - from + 1)) messages); raw: the ${chunks% *} chunks holding them (${chunks#* } MiB of messages_raw)"
	log "Large archive, $name — raw: pgbench reading the ${chunks% *} chunks of seq $from to $to, $LARGE_CONNECTIONS connections, ${LARGE_DURATION}s"
	cpu_mark
	pgbench_run "large_${mode}_raw" "$LARGE_CONNECTIONS" "$LARGE_DURATION" archived_page.sql letter=B lo=0 hi=0 \
		after=$after size=$((to - from + 1))
	raw=($PG_TPS $PG_P50 $PG_P99) raw_cpu=$(cpu_per_op "$PG_TX") sys_cpu=-
	sys=(- - -) api_rss=- worker_rss=-
	if [ $API_UP = 1 ]; then
		if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/B000000000000/history?limit=$PAGE_LIMIT$query" archive "$from" "$to"); then
			note="$note; system: GET /sessions/B000000000000/history?limit=$PAGE_LIMIT$query, $(($(stat -c %s "$WORK/check.json") / 1024)) KiB responses"
			log "Large archive, $name — system: wrk, $LARGE_CONNECTIONS connections (warm-up, then ${LARGE_DURATION}s)"
			export BENCH_MODE=page BENCH_CODE=B000000000000 BENCH_LIMIT=$PAGE_LIMIT BENCH_AFTER=$cursor
			WRK_CONNECTIONS=$LARGE_CONNECTIONS
			warm_up "large_$mode" "$LARGE_WARMUP_MAX"
			rss_reset
			profile_start "$API_PID"
			cpu_mark
			wrk_run "large_${mode}_sys" "$LARGE_DURATION"
			sys_cpu=$(cpu_per_op "$W_REQ")
			profile_stop "$API_PID" "large-$mode-api"
			WRK_CONNECTIONS=$CONNECTIONS
			sys=($W_RPS $W_P50 $W_P99) api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
			note="$note; $WARMED"
			[ "$W_BAD" = 0 ] || note="$note; $W_BAD failed requests"
		else
			note="$note; system: $reason"
			warn "large archive, $name not measured: $reason"
		fi
	fi
	row "large archive, $name" "pages/s" "${raw[0]}" "${sys[0]}" "p99<50ms" "${raw[1]}" "${raw[2]}" "${sys[1]}" "${sys[2]}" \
		"$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"
}
large_page "page 1" after
large_page "last page" latest

# 7. Redis stall check: a side client PINGs Redis every 2 ms (RedisProbe.java) while the API
#    serves limit=1000 pages of the live set-S session (BIG_MESSAGES messages of about 16 KiB,
#    random cursors) and the worker archives it once it is ended; raw: the same PINGs alone.
# Redis and the probe run at a higher CPU priority for this check (nice -10), so that what it
# measures is Redis being busy, not the two shared cores being taken by the services,
# PostgreSQL and wrk on the same machine; Redis goes back to the others' priority after it.
probe_start() { # label
	rm -f "$WORK/$1.stop"
	nice -n -10 java -Xmx64m -XX:+UseSerialGC -cp "$WORK/classes" RedisProbe 127.0.0.1 "$REDIS_PORT" "$SCRIPTS" 2 \
		"$WORK/$1.stop" >"$WORK/$1.probe" 2>&1 &
	PROBE_PID=$!
}
probe_stop() { # label
	touch "$WORK/$1.stop"
	wait "$PROBE_PID" || die "the Redis probe failed: $(tail -n 3 "$WORK/$1.probe")"
	PROBE_PID=""
}
probe() { sed -n "s/^$2=//p" "$WORK/$1.probe"; } # label key
SSID=$(printf '0000%04x-0000-4000-8000-%012d' "'S" 0)
STALL_MSGS="$PREFIX:{S000000000000}:$SSID:msgs"
renice -n -10 -p "$REDIS_PID" >/dev/null 2>&1 || warn "stall check: could not raise Redis' priority (not root?); PINGs also wait for the CPU"
log "Redis stall check — raw: PING every 2 ms for ${PING_IDLE}s, nothing else running"
probe_start stall_idle
sleep "$PING_IDLE"
probe_stop stall_idle
raw=(- "$(probe stall_idle ping_p50_ms)" "$(probe stall_idle ping_p99_ms)")
sys=(- - -) api_rss=- worker_rss=- sys_cpu=- stall_wrk=""
note="idle: $(probe stall_idle pings) PINGs, max $(probe stall_idle ping_max_ms) ms"
if [ $API_UP = 1 ] && [ $WORKER_UP = 1 ]; then
	read -r from to <<<"$(fixture page S "$BIG_MESSAGES" "$BIG_BODY" "$PAGE_LIMIT" "$PAGE_MAX_BYTES" latest)"
	if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/S000000000000/history?limit=$PAGE_LIMIT" live "$from" "$to"); then
		export BENCH_MODE=page BENCH_CODE=S000000000000 BENCH_LIMIT=$PAGE_LIMIT BENCH_AFTER=random BENCH_MESSAGES=$BIG_MESSAGES
		WRK_CONNECTIONS=$LARGE_CONNECTIONS
		log "Redis stall check — warming the API up on live pages of the large session"
		warm_up stall "$LARGE_WARMUP_MAX"
		WRK_CONNECTIONS=$CONNECTIONS
		log "Redis stall check — system: PINGs while the API serves live pages (${STALL_LIVE}s), then the session ends and the worker archives it"
		# A reply or a pipeline of replies of over 8 MB now disconnects its client, and Redis logs it.
		rcli CONFIG SET client-output-buffer-limit "normal 8mb 8mb 0" >/dev/null
		closed_before=$(grep -c 'overcoming of output buffer limits' "$WORK/redis/redis.log" || true)
		rss_reset
		cpu_mark
		probe_start stall
		wrk -t 2 -c "$LARGE_CONNECTIONS" -d "$((STALL_LIVE + STALL_TIMEOUT + 60))s" --timeout 10s --latency \
			-s "$BENCH/wrk/sessions.lua" "http://127.0.0.1:$API_PORT" >"$WORK/stall_sys.wrk" 2>&1 &
		WRK_PID=$!
		sleep "$STALL_LIVE"
		fixture end "$SCRIPTS" 127.0.0.1 "$REDIS_PORT" "$PREFIX" S 0 1 0 >"$WORK/stall_end.txt"
		end_ms=$(sed -n 's/^start_ms=//p' "$WORK/stall_end.txt")
		archived_ms="" purged_ms=""
		deadline=$(($(date +%s) + STALL_TIMEOUT))
		while [ "$(date +%s)" -lt "$deadline" ]; do
			if [ -z "$archived_ms" ] && [ "$(psql_db -tAc "SELECT count(*) FROM session_history WHERE session_code = 'S000000000000'")" = 1 ]; then
				archived_ms=$(($(date +%s%N) / 1000000))
			fi
			if [ -n "$archived_ms" ] && [ "$(rcli EXISTS "$STALL_MSGS")" = 0 ]; then
				purged_ms=$(($(date +%s%N) / 1000000))
				break
			fi
			sleep 0.1
		done
		kill -INT "$WRK_PID" 2>/dev/null || true
		wait "$WRK_PID" || true
		WRK_PID=""
		probe_stop stall
		api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
		rcli CONFIG SET client-output-buffer-limit "normal 0 0 0" >/dev/null
		closed=$(($(grep -c 'overcoming of output buffer limits' "$WORK/redis/redis.log" || true) - closed_before))
		wrk_figures "$WORK/stall_sys.wrk" || { W_REQ=0 W_P50=- W_P99=- W_BAD="all"; warn "stall check: wrk gave no figures"; }
		sys=(- "$(probe stall ping_p50_ms)" "$(probe stall ping_p99_ms)")
		if [ -n "$archived_ms" ]; then
			# The archive of the large session, against the fixture's own chunks of it.
			fixture copy S 1 "$BIG_MESSAGES" "$BIG_BODY" "$WORK/stall_sessions.tsv" "$WORK/stall_chunks.tsv"
			same=$(psql_db -tA -c "CREATE TEMP TABLE expected (session_id uuid, first_seq int, last_seq int, messages_raw text)" \
				-c "\\copy expected FROM '$WORK/stall_chunks.tsv'" \
				-c "SELECT count(*) || ' of ' || (SELECT count(*) FROM expected) FROM expected e JOIN session_history_chunk c
					USING (session_id, first_seq) WHERE c.last_seq = e.last_seq AND c.messages_raw::text = e.messages_raw")
			archive="ended → archived in $((archived_ms - end_ms)) ms (polled every 100 ms; $same chunks byte-identical to the fixture's)"
			if [ -n "$purged_ms" ]; then
				archive="$archive, its Redis data deleted $((purged_ms - end_ms)) ms after the end"
			else
				warn "stall check: the large session's messages were still in Redis ${STALL_TIMEOUT}s after the end"
			fi
		else
			archive="not archived within ${STALL_TIMEOUT}s of the end"
			warn "stall check: the large session was $archive"
		fi
		note="PING every 2 ms on its own connection, latency from the time each PING was due (Redis and the probe at nice -10);"
		note="$note idle: $(probe stall_idle pings) PINGs, max $(probe stall_idle ping_max_ms) ms;"
		note="$note during the run: $(probe stall pings) PINGs, p99.9 $(probe stall ping_p999_ms) ms, max $(probe stall ping_max_ms) ms,"
		note="$note $(probe stall pings_over_10ms) over 10 ms, $(probe stall pings_over_50ms) over 50 ms;"
		note="$note round trip alone p99 $(probe stall rtt_p99_ms) ms, max $(probe stall rtt_max_ms) ms"
		note="$note ($(($(probe stall rtt_max_at_ms) - end_ms)) ms after the end);"
		note="$note latency monitor over 10 ms: $(probe stall latency_events);"
		note="$note slow log over 10 ms: $(probe stall slowlog_entries) entries"
		[ "$(probe stall slowlog_entries)" = 0 ] ||
			note="$note, slowest $(probe stall slowlog_1)$(probe stall slowlog_2 | sed 's/^./; &/')$(probe stall slowlog_3 | sed 's/^./; &/')"
		note="$note; largest output buffer sampled every 100 ms: client_recent_max_output_buffer"
		note="$note $(($(probe stall max_output_buffer_bytes) / 1024)) KiB, CLIENT LIST omem $(($(probe stall max_omem_bytes) / 1024)) KiB;"
		note="$note clients disconnected by client-output-buffer-limit normal 8mb 8mb 0: $closed;"
		note="$note the API served $W_REQ live pages of the session (limit=$PAGE_LIMIT, random cursors, $LARGE_CONNECTIONS connections):"
		note="$note p50 $W_P50 ms, p99 $W_P99 ms, $W_BAD failed; $archive"
		[ "$closed" = 0 ] || warn "stall check: $closed clients were disconnected for a reply buffer over 8 MB"
		[ "$W_BAD" = 0 ] || warn "stall check: $W_BAD page requests failed"
	else
		note="$note; system: $reason"
		warn "Redis stall check not measured: $reason"
	fi
fi
renice -n 0 -p "$REDIS_PID" >/dev/null 2>&1 || true
row "redis stall check" "PINGs" - - "p99<50ms" "${raw[1]}" "${raw[2]}" "${sys[1]}" "${sys[2]}" \
	"$api_rss" "$worker_rss" "$note" - "$sys_cpu"

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
		"system runs ${DURATION}s after a warm-up of up to ${WARMUP_MAX}s (until the JIT settles); raw Redis runs $REDIS_REQUESTS requests." \
		"Large sessions (large archive pages, stall check): $BIG_MESSAGES messages with $BIG_BODY-byte bodies, pages of" \
		"limit=$PAGE_LIMIT cut by the page byte cap ($PAGE_MAX_BYTES bytes), $LARGE_CONNECTIONS connections, ${LARGE_DURATION}s after a warm-up of up to ${LARGE_WARMUP_MAX}s."
	echo
	echo "$TABLE"
	echo
	echo "Ratio = system rate / raw rate. Latencies are per request (wave: per session, end to archive;" \
		"lag: end → commit; stall check: PING, raw with Redis idle, system during the run). Peak RSS is VmHWM of each service during that workload; over the whole run: api $API_PEAK MiB, worker $WORKER_PEAK MiB."
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
