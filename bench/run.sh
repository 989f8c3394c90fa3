#!/usr/bin/env bash
# The benchmark suite of Session History: every figure is a ratio against the raw datastore
# doing the same work, or against a peer reader of the same data, in the same run on the same
# machine. See bench/README.md.
#
#   bench/run.sh [--quick] [--raw-only] [--no-build] [--profile] [--jdk PATH] [--no-peers] [--no-cluster] [--only LIST]
#
# Starts its own Redis and PostgreSQL on free loopback ports, loads the fixtures, runs the
# raw baselines (redis-benchmark, pgbench, COPY, PING), the peer readers of the live history
# (bench/peers/, Node) and the system (api-service and archiver-worker with -Xmx256m on the
# newest JDK found, the API secure with keys made as ./run.sh makes them, driven by wrk with
# access tokens; the live read also against the API in open mode, for the cost of verifying
# them), prints one report and writes it to bench/results/latest.md
# with a chart in bench/results/latest.png. Stops everything it started, also on Ctrl-C or
# failure. Server data, fixtures and logs stay in bench/work/run/.
#   --quick       smaller fixtures and shorter runs (a few minutes), for development
#   --raw-only    only the raw baselines and the peers (no services needed)
#   --no-build    never build the services; without their jars, run the raw half only
#   --profile     also record each measured system run with Java Flight Recorder and write
#                 where the CPU time goes to bench/work/run/profiles/ (costs some throughput)
#   --jdk PATH    run the services on the JDK or JRE at PATH (or env BENCH_JAVA_HOME), e.g. a
#                 Java 17, instead of the newest JDK 21+ found
#   --no-peers    skip the Node readers; --no-cluster: run them as one process only
#   --only LIST   run only these workloads, comma-separated, of: live, archived, append, wave,
#                 lag, large, stall (for development; the report has only their rows)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
WORK=$BENCH/work/run
RESULTS=$BENCH/results
SCRIPTS=$ROOT/shared-model/src/main/resources/dev/sessionhistory/model
MIGRATIONS=$ROOT/db/migration

MODE=full SYSTEM=1 BUILD=1 PROFILE=0 PEERS_ON=1 PEER_CLUSTER=1 JDK_HOME=${BENCH_JAVA_HOME:-} ONLY=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) MODE=quick ;;
	--raw-only) SYSTEM=0 ;;
	--no-build) BUILD=0 ;;
	--profile) PROFILE=1 ;;
	--jdk) JDK_HOME=${2:?--jdk needs a path}; shift ;;
	--jdk=*) JDK_HOME=${1#--jdk=} ;;
	--no-peers) PEERS_ON=0 ;;
	--no-cluster) PEER_CLUSTER=0 ;;
	--only) ONLY=${2:?--only needs a list of workloads}; shift ;;
	--only=*) ONLY=${1#--only=} ;;
	-h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

wants() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

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
GALLERY_CONNECTIONS=4 # the gallery's lists: latency at a few admins, not throughput
if [ "$MODE" = quick ]; then
	GALLERY_ARCHIVES=20000 GALLERY_SECONDS=2
else
	GALLERY_ARCHIVES=1000000 GALLERY_SECONDS=5
fi
if [ "$MODE" = quick ]; then
	SESSIONS=1000 WARMUP=3 WARMUP_MAX=5 DURATION=3 LAG_SECONDS=3 REDIS_REQUESTS=30000 WAVE_TIMEOUT=60 WARM_WAVE=300
	BIG_MESSAGES=2000 LARGE_WARMUP_MAX=3 LARGE_DURATION=3 PING_IDLE=2 STALL_LIVE=2 STALL_TIMEOUT=60 PEER_WARMUP=3
else
	SESSIONS=10000 WARMUP=5 WARMUP_MAX=90 DURATION=20 LAG_SECONDS=30 REDIS_REQUESTS=400000 WAVE_TIMEOUT=240 WARM_WAVE=2000
	BIG_MESSAGES=10000 LARGE_WARMUP_MAX=10 LARGE_DURATION=10 PING_IDLE=5 STALL_LIVE=5 STALL_TIMEOUT=180 PEER_WARMUP=10
fi
LAG_SESSIONS=$((LAG_RATE * LAG_SECONDS))

source "$ROOT/scripts/servers.sh"
source "$ROOT/scripts/local-security.sh"
T0=$(date +%s)
log() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "error: $*"; exit 1; }
warn() { log "warning: $*"; NOTES+=("$*"); }
NOTES=()
for lib in measure reads peers archive large gallery report; do source "$BENCH/lib/$lib.sh"; done

# ---------------------------------------------------------------------------------------
# Tools, and the JVM of the services: the newest JDK 21+ found (or --jdk), with the flags
# that make them fast on it. The bench's own Java helpers run on that JDK when it has javac.
java_select "$JDK_HOME" || die "no JVM for the services${JDK_HOME:+ at $JDK_HOME}"
JDK_BIN=$JAVA_HOME_USED/bin
TOOLS=(redis-server=redis-server redis-cli=redis-tools redis-benchmark=redis-tools pg/initdb=postgresql
	pg/pgbench=postgresql-contrib psql=postgresql-client wrk=wrk curl=curl)
[ -x "$JDK_BIN/javac" ] || TOOLS+=(javac=openjdk-17-jdk-headless) JDK_BIN=""
ensure_tools "${TOOLS[@]}" || die "missing tools (see above)"
[ -n "$JDK_BIN" ] || JDK_BIN=$(dirname "$(readlink -f "$(command -v javac)")")
PGBIN=$(postgres_bin)

# ---------------------------------------------------------------------------------------
# Everything started here is stopped on exit, Ctrl-C or failure.
REDIS_PID="" PG_DATA="" API_PID="" OPEN_API_PID="" WORKER_PID="" WRK_PID="" PROBE_PID=""
API_PORT="" OPEN_API_PORT="" WORKER_PORT="" REDIS_PORT="" PG_PORT="" PEER_VERSIONS=""
API_MANAGEMENT_PORT="" WORKER_MANAGEMENT_PORT="" OPEN_API_MANAGEMENT_PORT="" # the actuator's ports (metrics)
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$WRK_PID" 5
	stop_pid "$PROBE_PID" 5
	peer_stop
	stop_pid "$API_PID" 20
	stop_pid "$OPEN_API_PID" 20
	stop_pid "$WORKER_PID" 20
	stop_started
	[ $rc = 0 ] || log "stopped everything (exit $rc); logs in $WORK"
	exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------
# The services' jars (copied, so that a rebuild during the run does not disturb it).
API_JAR=$ROOT/api-service/target/api-service.jar
WORKER_JAR=$ROOT/archiver-worker/target/archiver-worker.jar
rm -rf "$WORK"
mkdir -p "$WORK" "$RESULTS"
ROWS=$WORK/results.tsv PEERS=$WORK/peers.tsv MODES=$WORK/modes.tsv GALLERY=$WORK/gallery.tsv
: >"$ROWS"
: >"$PEERS"
: >"$MODES"
: >"$GALLERY"
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
"$JDK_BIN/javac" -d "$WORK/classes" "$BENCH/Fixture.java" "$BENCH/RedisProbe.java" "$BENCH/AppendLoad.java"
fixture() { "$JDK_BIN/java" -cp "$WORK/classes" Fixture "$@"; }

# ---------------------------------------------------------------------------------------
# Redis and PostgreSQL, private to this run. Redis without persistence; its slow log keeps
# every command over 10 ms and the latency monitor every event over 10 ms, for the stall check.
REDIS_PORT=$(free_port)
start_redis "$REDIS_PORT" "$WORK/redis" --save "" --appendonly no --notify-keyspace-events Ex \
	--slowlog-log-slower-than 10000 --slowlog-max-len 1024 --latency-monitor-threshold 10 ||
	die "Redis did not start, see $WORK/redis/redis.log"
PG_PORT=$(free_port "$REDIS_PORT")
start_postgres "$PG_PORT" "$WORK/postgres" "-c shared_buffers=512MB -c max_connections=200" ||
	die "PostgreSQL did not start, see $WORK/postgres/"
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sessionhistory -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -c "CREATE DATABASE sessionhistory"
REDIS_VERSION=$(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-)
PG_VERSION=$("$PGBIN/postgres" --version | awk '{ print $3 }')
log "Redis $REDIS_VERSION on 127.0.0.1:$REDIS_PORT, PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT"

# ---------------------------------------------------------------------------------------
# The services. The API runs secure, as by default: keys made for this run as ./run.sh makes
# them (scripts/local-security.sh: a session-token secret, and an HS256 secret that signs the
# local admin's and user's tokens), given to it in the environment.
unset HISTORY_SECURITY_MODE HISTORY_SECURITY_SESSION_TOKEN_SECRET HISTORY_SECURITY_JWT_HMAC_SECRET
STATE_DIR=$WORK/security
mkdir -p "$STATE_DIR"
local_security
start_service() { # name jar port [args...]
	local name=$1 jar=$2 port=$3
	shift 3
	java_fast -Xmx256m -jar "$jar" --server.port="$port" \
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
API_UP=0 OPEN_API_UP=0 WORKER_UP=0
if [ $SYSTEM = 1 ]; then
	WORKER_PORT=$(free_port "$REDIS_PORT" "$PG_PORT")
	API_PORT=$(free_port "$REDIS_PORT" "$PG_PORT" "$WORKER_PORT")
	WORKER_MANAGEMENT_PORT=$(free_port "$REDIS_PORT" "$PG_PORT" "$WORKER_PORT" "$API_PORT")
	API_MANAGEMENT_PORT=$(free_port "$REDIS_PORT" "$PG_PORT" "$WORKER_PORT" "$API_PORT" "$WORKER_MANAGEMENT_PORT")
	log "Starting archiver-worker on :$WORKER_PORT and api-service on :$API_PORT: $JAVA_DESC, -Xmx256m ${JAVA_FAST[*]}"
	WORKER_PID=$(start_service archiver-worker "$WORK/jars/archiver-worker.jar" "$WORKER_PORT" \
		--management.server.port="$WORKER_MANAGEMENT_PORT")
	# Limits that admit the largest live session of the stall check (BIG_MESSAGES messages of
	# about 16 KiB); they only bound appends, so the other workloads are unaffected. Rate
	# limits on, so their cost is measured, with budgets no load from one address exhausts.
	API_ARGS=(--history.session.max-bytes=200MB --history.message.max-count=10000
		--history.rate-limit.creates=1000000000 --history.rate-limit.appends=1000000000
		--history.rate-limit.reads=1000000000 --history.rate-limit.not-found=1000000000)
	API_PID=$(start_service api-service "$WORK/jars/api-service.jar" "$API_PORT" "${API_ARGS[@]}" \
		--management.server.port="$API_MANAGEMENT_PORT")
	# A second API in open mode, for the live read without tokens; stopped once that is measured.
	if wants live; then
		OPEN_API_PORT=$(free_port "$REDIS_PORT" "$PG_PORT" "$WORKER_PORT" "$API_PORT" "$WORKER_MANAGEMENT_PORT" \
			"$API_MANAGEMENT_PORT")
		OPEN_API_MANAGEMENT_PORT=$(free_port "$REDIS_PORT" "$PG_PORT" "$WORKER_PORT" "$API_PORT" \
			"$WORKER_MANAGEMENT_PORT" "$API_MANAGEMENT_PORT" "$OPEN_API_PORT")
		OPEN_API_PID=$(start_service api-service-open "$WORK/jars/api-service.jar" "$OPEN_API_PORT" "${API_ARGS[@]}" \
			--management.server.port="$OPEN_API_MANAGEMENT_PORT" --history.security.mode=open)
	fi
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
	if [ -n "$OPEN_API_PID" ] && await_up api-service-open "$OPEN_API_PORT" "$OPEN_API_PID"; then
		OPEN_API_UP=1
	elif [ -n "$OPEN_API_PID" ]; then
		warn "api-service in open mode did not start (see bench/work/run/api-service-open.log): the cost of verification is not measured"
		stop_pid "$OPEN_API_PID" 20
		OPEN_API_PID=""
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
load_redis() { # set count messages sidmode [body [owners]]
	local out
	out=$(fixture redis "$SCRIPTS" "$PREFIX" "$1" "$2" "$3" "$4" "$TTL_MS" "${5:-small}" "${6:-none}" |
		rcli --pipe --pipe-timeout 600 2>&1 | tail -n 1) || true
	[[ $out == "errors: 0,"* ]] || die "loading set $1 into Redis: $out"
}
load_redis L "$SESSIONS" "$MESSAGES" const small owned
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
# Access tokens, as clients hold them: for every set-L session a read-only one (a display's)
# and one that appends (a device's), and a read-only one of the set-S session, all minted by
# the API itself (POST /sessions/{code}/tokens as the admin). Archived sessions are read with
# the admin's token: the API mints session tokens for live instances only.
if [ "$API_UP" = 1 ]; then
	log "Access tokens from the API: read and append tokens of the $SESSIONS set-L sessions, a read token of set S"
	fixture tokens "http://127.0.0.1:$API_PORT" "$LOCAL_ADMIN_TOKEN" L "$SESSIONS" read "$WORK/tokens_read.txt"
	fixture tokens "http://127.0.0.1:$API_PORT" "$LOCAL_ADMIN_TOKEN" L "$SESSIONS" append "$WORK/tokens_append.txt"
	fixture tokens "http://127.0.0.1:$API_PORT" "$LOCAL_ADMIN_TOKEN" S 1 read "$WORK/tokens_stall.txt"
fi

# ---------------------------------------------------------------------------------------
# The workloads (bench/lib/), each raw baseline first, then the system.
wants live && live_history
wants archived && archived_history
wants append && append_message
wants wave && archive_wave
wants lag && archive_lag
wants large && large_page "page 1" after && large_page "last page" latest
wants stall && stall_check
wants gallery && gallery_lists

write_report
log "Done in $(($(date +%s) - T0)) s; wrote bench/results/latest.md and latest.png"
