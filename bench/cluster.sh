#!/usr/bin/env bash
# The benchmark on a Redis Cluster of three masters: the live read and the append through the
# API, each against raw redis-benchmark --cluster on the same cluster in the same run, and the
# archive wave with 1, 2 and 3 workers, against COPY of the same rows as in bench/run.sh. See
# bench/README.md ("On a Redis Cluster").
#
#   bench/cluster.sh [--quick] [--no-build]
#
# Starts its own cluster (scripts/servers.sh's start_redis_cluster) and PostgreSQL on free
# loopback ports, loads the fixtures through ClusterPipe.java (redis-cli --pipe does not follow
# slots), runs the services as bench/run.sh does (the API secure, with access tokens; on the
# newest JDK found, -Xmx256m), prints the report and writes it to bench/results/cluster-latest.md.
# Server data, fixtures and logs stay in bench/work/cluster/.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
WORK=$BENCH/work/cluster
RESULTS=$BENCH/results
SCRIPTS=$ROOT/shared-model/src/main/resources/dev/sessionhistory/model

MODE=full BUILD=1 PROFILE=0 JDK_HOME=${BENCH_JAVA_HOME:-}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) MODE=quick ;;
	--no-build) BUILD=0 ;;
	-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

MESSAGES=100 CONNECTIONS=64 PREFIX=sh TTL_MS=3600000 BODY_BYTES=220
if [ "$MODE" = quick ]; then
	SESSIONS=1000 WARMUP=3 WARMUP_MAX=6 DURATION=3 REDIS_REQUESTS=50000 WAVE_TIMEOUT=60
else
	SESSIONS=10000 WARMUP=5 WARMUP_MAX=90 DURATION=20 REDIS_REQUESTS=400000 WAVE_TIMEOUT=240
fi

source "$ROOT/scripts/servers.sh"
source "$ROOT/scripts/local-security.sh"
T0=$(date +%s)
log() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "error: $*"; exit 1; }
warn() { log "warning: $*"; NOTES+=("$*"); }
NOTES=()
source "$BENCH/lib/measure.sh"

java_select "$JDK_HOME" || die "no JVM for the services"
JDK_BIN=$JAVA_HOME_USED/bin
[ -x "$JDK_BIN/javac" ] || die "the JDK at $JAVA_HOME_USED has no javac"
ensure_tools redis-server=redis-server redis-cli=redis-tools redis-benchmark=redis-tools pg/initdb=postgresql \
	psql=postgresql-client wrk=wrk curl=curl || die "missing tools (see above)"

API_PID="" WORKER_PID="" WORKER_PIDS=() REDIS_PID="" PG_DATA="" WRK_PID="" PEER_PIDS=""
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	stop_pid "$API_PID" 20
	for pid in "${WORKER_PIDS[@]}"; do stop_pid "$pid" 20; done
	stop_started
	[ $rc = 0 ] || log "stopped everything (exit $rc); logs in $WORK"
	exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

rm -rf "$WORK"
mkdir -p "$WORK/jars" "$WORK/classes" "$RESULTS"
API_JAR=$ROOT/api-service/target/api-service.jar
WORKER_JAR=$ROOT/archiver-worker/target/archiver-worker.jar
if [ ! -f "$API_JAR" ] || [ ! -f "$WORKER_JAR" ]; then
	[ $BUILD = 1 ] || die "service jars missing (build them, or run without --no-build)"
	log "Building the services (./mvnw -DskipTests package)"
	(cd "$ROOT" && ./mvnw -q -DskipTests package) >"$WORK/build.log" 2>&1 || die "the build failed (see $WORK/build.log)"
fi
cp "$API_JAR" "$WORKER_JAR" "$WORK/jars/"
"$JDK_BIN/javac" -d "$WORK/classes" "$BENCH/Fixture.java" "$BENCH/ClusterPipe.java"
fixture() { "$JDK_BIN/java" -cp "$WORK/classes" Fixture "$@"; }

# ---------------------------------------------------------------------------------------
# The cluster (three masters on consecutive free ports) and PostgreSQL.
while :; do
	BASE=$(free_port)
	answers 127.0.0.1 $((BASE + 1)) || answers 127.0.0.1 $((BASE + 2)) || break
done
start_redis_cluster "$BASE" "$WORK/redis" 3 0 || die "the Redis Cluster did not start (see $WORK/redis/)"
for port in $BASE $((BASE + 1)) $((BASE + 2)); do REDIS_PID="$REDIS_PID $(cat "$WORK/redis/$port/redis.pid")"; done
# slot ranges → master, for ClusterPipe: LO-HI=HOST:PORT,…
SLOTS=$(redis-cli -p "$BASE" cluster nodes | awk '$3 ~ /master/ { split($2, a, "@");
	for (i = 9; i <= NF; i++) if ($i ~ /^[0-9]+(-[0-9]+)?$/) { r = $i; if (r !~ /-/) r = r "-" r; printf "%s%s=%s", sep, r, a[1]; sep = "," } }')
pipe() { "$JDK_BIN/java" -cp "$WORK/classes" ClusterPipe "$SLOTS"; }
PG_PORT=$(free_port "$BASE" $((BASE + 1)) $((BASE + 2)))
start_postgres "$PG_PORT" "$WORK/postgres" "-c shared_buffers=512MB -c max_connections=200" || die "PostgreSQL did not start"
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sessionhistory -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -c "CREATE DATABASE sessionhistory"
log "Redis Cluster $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on $REDIS_CLUSTER_NODES ($SLOTS)"

# ---------------------------------------------------------------------------------------
# The services: the API secure (as bench/run.sh runs it) and the first worker.
unset HISTORY_SECURITY_MODE HISTORY_SECURITY_SESSION_TOKEN_SECRET HISTORY_SECURITY_JWT_HMAC_SECRET
STATE_DIR=$WORK/security
mkdir -p "$STATE_DIR"
local_security
start_service() { # name jar port management-port [args...]
	local name=$1 jar=$2 port=$3 management=$4
	shift 4
	java_fast -Xmx256m -jar "$jar" --server.port="$port" --management.server.port="$management" \
		--spring.data.redis.cluster.nodes="$REDIS_CLUSTER_NODES" \
		--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/sessionhistory" \
		--spring.datasource.username=postgres --history.key-prefix="$PREFIX" "$@" >"$WORK/$name.log" 2>&1 &
	echo $!
}
await_up() { # name port pid
	for _ in $(seq 1 180); do
		curl -fsS "http://127.0.0.1:$2/actuator/health" 2>/dev/null | grep -q '"status":"UP"' && return 0
		kill -0 "$3" 2>/dev/null || break
		sleep 1
	done
	tail -n 20 "$WORK/$1.log" >&2
	die "$1 did not come up (see $WORK/$1.log)"
}
taken=("$BASE" $((BASE + 1)) $((BASE + 2)) "$PG_PORT")
port_for() { local p; p=$(free_port "${taken[@]}"); taken+=("$p"); echo "$p"; }
start_worker() { # n
	local port management
	port=$(port_for) management=$(port_for)
	WORKER_PIDS+=("$(start_service "archiver-worker-$1" "$WORK/jars/archiver-worker.jar" "$port" "$management" \
		--history.worker-id="worker-$1")")
	await_up "archiver-worker-$1" "$port" "${WORKER_PIDS[-1]}"
	WORKER_PID="${WORKER_PIDS[*]}"
}
API_PORT=$(port_for) API_MANAGEMENT_PORT=$(port_for)
log "Starting api-service and archiver-worker 1 on the cluster: $JAVA_DESC, -Xmx256m ${JAVA_FAST[*]}"
API_PID=$(start_service api-service "$WORK/jars/api-service.jar" "$API_PORT" "$API_MANAGEMENT_PORT" \
	--history.rate-limit.creates=1000000000 --history.rate-limit.appends=1000000000 \
	--history.rate-limit.reads=1000000000 --history.rate-limit.not-found=1000000000)
start_worker 1
await_up api-service "$API_PORT" "$API_PID"
psql_db -c "CREATE TABLE bench_raw_history (LIKE session_history INCLUDING ALL)" \
	-c "CREATE TABLE bench_raw_chunk (LIKE session_history_chunk INCLUDING ALL)" \
	-c "ALTER TABLE bench_raw_chunk ADD FOREIGN KEY (session_id) REFERENCES bench_raw_history (session_id) ON DELETE CASCADE"

# ---------------------------------------------------------------------------------------
# Fixtures: L live sessions read and appended to (one session id for all, owned), and X, Y, Z
# the waves of 1, 2 and 3 workers.
load() { # set sidmode [owners]
	local out
	out=$(fixture redis "$SCRIPTS" "$PREFIX" "$1" "$SESSIONS" "$MESSAGES" "$2" "$TTL_MS" small "${3:-none}" | pipe)
	grep -q '^errors=0$' <<<"$out" || die "loading set $1: $(tr '\n' ' ' <<<"$out")"
}
log "Loading the fixture through ClusterPipe: 4 x $SESSIONS sessions x $MESSAGES messages"
load L const owned
for set in X Y Z; do load "$set" unique; done
log "Redis: $(for p in $BASE $((BASE + 1)) $((BASE + 2)); do redis-cli -p "$p" dbsize; done | paste -sd+ | bc) keys on the three masters"
log "Access tokens from the API: read and append tokens of the $SESSIONS set-L sessions"
fixture tokens "http://127.0.0.1:$API_PORT" "$LOCAL_ADMIN_TOKEN" L "$SESSIONS" read "$WORK/tokens_read.txt"
fixture tokens "http://127.0.0.1:$API_PORT" "$LOCAL_ADMIN_TOKEN" L "$SESSIONS" append "$WORK/tokens_append.txt"

# ---------------------------------------------------------------------------------------
# Raw: redis-benchmark --cluster LPUSH then LRANGE_100 of lists of elements as large as the
# stored messages, its own keys on every master (in cluster mode it picks a hash tag per node).
log "Raw: redis-benchmark --cluster -t lpush,lrange_100 -d $BODY_BYTES, $CONNECTIONS connections, $REDIS_REQUESTS requests each"
timeout 600 redis-benchmark --cluster -h 127.0.0.1 -p "$BASE" -c "$CONNECTIONS" -n "$REDIS_REQUESTS" -d "$BODY_BYTES" \
	-t lpush,lrange_100 --csv >"$WORK/raw.csv" 2>"$WORK/raw.err" || die "redis-benchmark failed: $(tail -n 3 "$WORK/raw.err")"
raw_figures() { # test (its exact name in the CSV) → RB_RPS RB_P50 RB_P99
	local line
	line=$(tr -d '"' <"$WORK/raw.csv" | awk -F, -v t="$1" '$1 == t') && [ -n "$line" ] ||
		die "no $1 row in redis-benchmark's output"
	RB_RPS=$(echo "$line" | awk -F, '{ printf "%.0f", $2 }')
	RB_P50=$(echo "$line" | awk -F, '{ print $5 }')
	RB_P99=$(echo "$line" | awk -F, '{ print $7 }')
}
REPORT=()
report() { # workload unit raw raw_p50 raw_p99 sys sys_p50 sys_p99 note
	REPORT+=("$(printf '| %s | %s %s | %s %s | %s | %s / %s | %s / %s | %s |' "$1" "$3" "$2" "$6" "$2" \
		"$(awk -v s="$6" -v r="$3" 'BEGIN { if (s ~ /^[0-9.]+$/ && r > 0) printf "%.2f", s / r; else print "-" }')" \
		"$4" "$5" "$7" "$8" "$9")")
}

# The live read: GET /sessions/{code}/history?limit=100 of a random set-L session with its read token.
raw_figures "LRANGE_100 (first 100 elements)"
raw=("$RB_RPS" "$RB_P50" "$RB_P99")
export BENCH_SET=L BENCH_SESSIONS=$SESSIONS BENCH_MODE=history BENCH_TOKENS=$WORK/tokens_read.txt BENCH_TOKEN=""
reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/L000000000001/history?limit=100" live) || die "live read: $reason"
log "Live history — system: wrk GET /sessions/{code}/history?limit=100 (warm-up, then ${DURATION}s)"
measure_api live "$DURATION"
report "live history" "pages/s" "${raw[0]}" "${raw[1]}" "${raw[2]}" "${SYS[0]}" "${SYS[1]}" "${SYS[2]}" \
	"raw: LRANGE_100; $SYS_NOTE"

# The append: POST /sessions/{code}/messages with its append token.
raw_figures LPUSH
raw=("$RB_RPS" "$RB_P50" "$RB_P99")
body=$(fixture body)
export BENCH_MODE=append BENCH_BODY=$body BENCH_TOKENS=$WORK/tokens_append.txt
log "Append — system: wrk POST /sessions/{code}/messages (warm-up, then ${DURATION}s)"
measure_api append "$DURATION"
report "append" "messages/s" "${raw[0]}" "${raw[1]}" "${raw[2]}" "${SYS[0]}" "${SYS[1]}" "${SYS[2]}" \
	"raw: LPUSH of $BODY_BYTES bytes; $SYS_NOTE"

# The wave with 1, 2 and 3 workers: SESSIONS sessions ended at once (end script and due score,
# through ClusterPipe), timed until all are in session_history; raw: COPY of the same rows.
SESSION_COLUMNS="session_id, session_code, message_count, message_bytes, created_at, ended_at, end_reason"
CHUNK_COLUMNS="session_id, first_seq, last_seq, messages_raw"
fixture copy X "$SESSIONS" "$MESSAGES" small "$WORK/wave_sessions.tsv" "$WORK/wave_chunks.tsv"
t=$(date +%s%N)
psql_db -c "\\copy bench_raw_history ($SESSION_COLUMNS) FROM '$WORK/wave_sessions.tsv'" \
	-c "\\copy bench_raw_chunk ($CHUNK_COLUMNS) FROM '$WORK/wave_chunks.tsv'"
copy_ms=$((($(date +%s%N) - t) / 1000000))
copy_rate=$(awk -v n="$SESSIONS" -v ms="$copy_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
log "Archive wave — raw: COPY of $SESSIONS sessions and their chunks in ${copy_ms} ms"
workers=1
for set in X Y Z; do
	while [ "$workers" -lt "$(( $(printf '%d' "'$set") - $(printf '%d' "'X") + 1 ))" ]; do
		workers=$((workers + 1))
		log "Starting archiver-worker $workers"
		start_worker "$workers"
	done
	log "Archive wave — $workers worker(s): $SESSIONS set-$set sessions ended at once"
	fixture end-commands "$SCRIPTS" "$PREFIX" "$set" 0 "$SESSIONS" | pipe >"$WORK/wave_$set.txt"
	grep -q "^ended=$SESSIONS\$" "$WORK/wave_$set.txt" || warn "wave $set: $(tr '\n' ' ' <"$WORK/wave_$set.txt")"
	start_ms=$(sed -n 's/^start_ms=//p' "$WORK/wave_$set.txt")
	deadline=$(($(date +%s) + WAVE_TIMEOUT)) archived=0 done_ms=""
	while [ "$(date +%s)" -lt "$deadline" ]; do
		archived=$(psql_db -tAc "SELECT count(*) FROM session_history WHERE $(code_range "$set")")
		if [ "$archived" -ge "$SESSIONS" ]; then done_ms=$(($(date +%s%N) / 1000000)); break; fi
		sleep 0.1
	done
	if [ -n "$done_ms" ]; then
		rate=$(awk -v n="$SESSIONS" -v ms="$((done_ms - start_ms))" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
		note="$((done_ms - start_ms)) ms; raw COPY ${copy_ms} ms"
	else
		rate=$(awk -v n="$archived" -v s="$WAVE_TIMEOUT" 'BEGIN { printf "%.0f", n / s }')
		note="only $archived of $SESSIONS archived within ${WAVE_TIMEOUT} s"
		warn "wave $set: $note"
	fi
	log "  $note"
	report "archive wave, $workers worker(s)" "sessions/s" "$copy_rate" - - "$rate" - - "$note"
done

# ---------------------------------------------------------------------------------------
{
	echo "# Benchmark on a Redis Cluster ($MODE run)"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; Redis Cluster of 3 masters (no replicas) on loopback;" \
		"PostgreSQL $("$(postgres_bin)/postgres" --version | awk '{ print $3 }'); services on $JAVA_DESC, -Xmx256m;" \
		"$SESSIONS sessions of $MESSAGES messages per set; $CONNECTIONS connections; ${DURATION} s measured after warm-up."
	echo
	echo "| workload | raw | system | ratio | raw p50 / p99 ms | system p50 / p99 ms | notes |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s\n' "${REPORT[@]}"
	if [ ${#NOTES[@]} -gt 0 ]; then
		echo
		printf -- '- %s\n' "${NOTES[@]}"
	fi
} >"$RESULTS/cluster-latest.md"
cat "$RESULTS/cluster-latest.md"
log "Done in $(($(date +%s) - T0)) s; wrote bench/results/cluster-latest.md"
