#!/usr/bin/env bash
# Runs the whole system: builds the jars if needed, makes sure Redis and PostgreSQL answer
# at the configured URLs (starting local ones when nothing answers on a local address),
# creates the database if missing, then runs archiver-worker and api-service until Ctrl-C.
# Configuration: the services' environment variables (see README), e.g.
#   SPRING_DATA_REDIS_URL, SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, API_PORT, WORKER_PORT,
#   API_MANAGEMENT_PORT, WORKER_MANAGEMENT_PORT (the actuator: health details, metrics, Prometheus),
#   HISTORY_SECURITY_* (without them: secure mode with keys made for this machine, see
#   scripts/local-security.sh; HISTORY_SECURITY_MODE=open for no access control).
# With --redis-cluster the services run on a Redis Cluster instead: SPRING_DATA_REDIS_CLUSTER_NODES
# if set, else a local one of 3 masters started here (ports REDIS_CLUSTER_PORT, default 7000-7002).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/servers.sh
source scripts/local-security.sh

cluster=
for arg in "$@"; do
	case "$arg" in
	--redis-cluster) cluster=yes ;;
	*) log "usage: ./run.sh [--redis-cluster]"; exit 2 ;;
	esac
done

export SPRING_DATA_REDIS_URL=${SPRING_DATA_REDIS_URL:-redis://localhost:6379}
export SPRING_DATASOURCE_URL=${SPRING_DATASOURCE_URL:-jdbc:postgresql://localhost:5432/sessionhistory}
export SPRING_DATASOURCE_USERNAME=${SPRING_DATASOURCE_USERNAME:-postgres}
API_PORT=${API_PORT:-8080}
WORKER_PORT=${WORKER_PORT:-8081}
API_MANAGEMENT_PORT=${API_MANAGEMENT_PORT:-9080}
WORKER_MANAGEMENT_PORT=${WORKER_MANAGEMENT_PORT:-9081}

# redis[s]://[user:pass@]host[:port][/db] and jdbc:postgresql://host[:port]/database[?…]
[[ $SPRING_DATA_REDIS_URL =~ ^rediss?://([^@/]*@)?([^:/]+)(:([0-9]+))? ]] ||
	{ log "error: cannot read SPRING_DATA_REDIS_URL=$SPRING_DATA_REDIS_URL"; exit 1; }
redis_host=${BASH_REMATCH[2]} redis_port=${BASH_REMATCH[4]:-6379}
[[ $SPRING_DATASOURCE_URL =~ ^jdbc:postgresql://([^:/]+)(:([0-9]+))?/([^?]+) ]] ||
	{ log "error: cannot read SPRING_DATASOURCE_URL=$SPRING_DATASOURCE_URL"; exit 1; }
db_host=${BASH_REMATCH[1]} db_port=${BASH_REMATCH[3]:-5432} db_name=${BASH_REMATCH[4]}

command -v java >/dev/null || install_packages openjdk-17-jdk-headless
command -v curl >/dev/null || install_packages curl
if [ ! -f api-service/target/api-service.jar ] || [ ! -f archiver-worker/target/archiver-worker.jar ] ||
	[ -n "$(find pom.xml */pom.xml */src db -newer api-service/target/api-service.jar -type f -print -quit)" ]; then
	log "Building the services (./mvnw -DskipTests package)"
	./mvnw -q -DskipTests package
fi

pids=()
stop() {
	trap - INT TERM EXIT
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null || true
		wait "${pids[@]}" 2>/dev/null || true
		log "Stopped the services"
	fi
	stop_started
}
trap stop EXIT
trap "exit 130" INT
trap "exit 143" TERM

if [ -n "$cluster" ]; then
	if [ -z "${SPRING_DATA_REDIS_CLUSTER_NODES:-}" ]; then
		start_redis_cluster "${REDIS_CLUSTER_PORT:-7000}" "$STATE_DIR/redis-cluster" 3 0
		export SPRING_DATA_REDIS_CLUSTER_NODES=$REDIS_CLUSTER_NODES
	fi
	redis_desc="Redis Cluster $SPRING_DATA_REDIS_CLUSTER_NODES"
else
	ensure_redis "$redis_host" "$redis_port"
	redis_desc=$SPRING_DATA_REDIS_URL
fi
ensure_postgres "$db_host" "$db_port"
ensure_database "$db_host" "$db_port" "$SPRING_DATASOURCE_USERNAME" "$db_name"

for port in "$WORKER_PORT" "$API_PORT" "$WORKER_MANAGEMENT_PORT" "$API_MANAGEMENT_PORT"; do
	if answers localhost "$port"; then
		log "error: port $port is in use; stop what listens there or choose another" \
			"(API_PORT, WORKER_PORT, API_MANAGEMENT_PORT, WORKER_MANAGEMENT_PORT)"
		exit 1
	fi
done

mkdir -p "$STATE_DIR"
local_security
# The newest JDK 21+ found, with the flags that suit it (scripts/servers.sh); else Java 17.
java_select
log "Running the services on $JAVA_DESC ${JAVA_FAST[*]}"
start() { # name jar port management-port
	java_fast -jar "$2" --server.port="$3" --management.server.port="$4" >"$STATE_DIR/$1.log" 2>&1 &
	pids+=($!)
}

await_up() { # name port pid (the public port's health: the status alone)
	local i
	for ((i = 0; i < 120; i++)); do
		if curl -fsS "http://localhost:$2/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then
			return 0
		fi
		kill -0 "$3" 2>/dev/null || break
		sleep 1
	done
	log "error: $1 did not come up; the end of $STATE_DIR/$1.log:"
	tail -n 30 "$STATE_DIR/$1.log" >&2
	exit 1
}

start archiver-worker archiver-worker/target/archiver-worker.jar "$WORKER_PORT" "$WORKER_MANAGEMENT_PORT"
start api-service api-service/target/api-service.jar "$API_PORT" "$API_MANAGEMENT_PORT"
await_up archiver-worker "$WORKER_PORT" "${pids[0]}"
await_up api-service "$API_PORT" "${pids[1]}"

cat <<INFO
Session History is running.
  API              http://localhost:$API_PORT
  API docs         http://localhost:$API_PORT/swagger-ui.html
  health           http://localhost:$API_PORT/actuator/health, http://localhost:$WORKER_PORT/actuator/health (status only)
  management       http://localhost:$API_MANAGEMENT_PORT/actuator, http://localhost:$WORKER_MANAGEMENT_PORT/actuator (health details, metrics, Prometheus)
  Redis            $redis_desc
  PostgreSQL       $SPRING_DATASOURCE_URL
  logs             $STATE_DIR/api-service.log, $STATE_DIR/archiver-worker.log
INFO
if [ -n "$LOCAL_ADMIN_TOKEN" ]; then
	cat <<TOKENS
  Session Gallery  http://localhost:$API_PORT/admin/sign-in#token=$LOCAL_ADMIN_TOKEN
                   (opens the gallery signed in as the local admin)
  tokens (30 days, signed with this machine's keys in $STATE_DIR/security.env):
    admin            $LOCAL_ADMIN_TOKEN
    user local-user  $LOCAL_USER_TOKEN
  try (anyone may create a session; the answer holds its accessToken, which reads, appends and ends it):
    curl -s -X POST localhost:$API_PORT/sessions
    curl -s -X POST localhost:$API_PORT/sessions -H 'Authorization: Bearer $LOCAL_USER_TOKEN' -H 'Content-Type: application/json' -d '{"code":"DEMO42"}'
    curl -s localhost:$API_PORT/sessions/DEMO42/history -H 'Authorization: Bearer $LOCAL_ADMIN_TOKEN'
TOKENS
fi
echo "Press Ctrl-C to stop."
wait -n "${pids[@]}" || true
log "A service exited; see the logs in $STATE_DIR"
