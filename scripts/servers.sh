# The one place that starts, waits for and stops the servers of this project, installs what
# they need, and picks the JVM that runs the services. Sourced by run.sh, .ci/run and
# bench/run.sh.
#   ensure_redis / ensure_postgres  make sure a server answers at host:port, starting a local
#                                   one (and, as root with apt-get, installing it) otherwise
#   start_redis / start_postgres    start a private server on a given port and directory
#   start_redis_cluster             a Redis Cluster of private servers: 3 masters, optionally
#                                   each with a replica; sets REDIS_CLUSTER_NODES
#   java_select / java_fast         the newest JDK and the flags that make the services fast on it
# State of the servers ensure_* starts lives under $STATE_DIR (default .run/).

STATE_DIR=${STATE_DIR:-.run}
# Commands that stop the private servers started here, for the caller to run on exit.
STARTED=()

log() { printf '%s\n' "$*" >&2; }

answers() { # host port
	timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

is_local() {
	case "$1" in localhost|127.*|::1|'[::1]') return 0 ;; *) return 1 ;; esac
}

wait_for() { # host port what seconds
	local i
	for ((i = 0; i < $4 * 10; i++)); do
		answers "$1" "$2" && return 0
		sleep 0.1
	done
	log "error: $3 did not start on $1:$2 within $4 s"
	return 1
}

# A loopback port nothing listens on (nor waits to, per /proc/net/tcp), not among the arguments.
free_port() { # [ports to avoid...]
	local port i
	for ((i = 0; i < 100; i++)); do
		port=$((20000 + RANDOM % 30000))
		[[ " $* " == *" $port "* ]] && continue
		if ! answers 127.0.0.1 "$port" && ! grep -q ":$(printf '%04X' "$port") " /proc/net/tcp 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	log "error: no free port found"
	return 1
}

# Stops a process started here: TERM, then KILL after the given seconds.
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

install_packages() { # packages...
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "Installing $* from the distribution's packages"
		apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
	else
		log "error: $* not installed; install them (e.g. 'sudo apt-get install $*') and run again"
		return 1
	fi
}

postgres_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Installs the packages of the commands that are missing: COMMAND=PACKAGE each, COMMAND a
# name on PATH, or pg/NAME for a PostgreSQL server program (initdb, pgbench…, not on PATH).
ensure_tools() { # command=package...
	local pair command need=()
	for pair in "$@"; do
		command=${pair%%=*}
		if [[ $command == pg/* ]]; then
			[ -x "$(postgres_bin)/${command#pg/}" ] && continue
		else
			command -v "$command" >/dev/null && continue
		fi
		[[ " ${need[*]} " == *" ${pair#*=} "* ]] || need+=("${pair#*=}")
	done
	[ ${#need[@]} = 0 ] || install_packages "${need[@]}"
}

# A private Redis on 127.0.0.1:port, its log, pid file and any data in dir; sets REDIS_PID.
start_redis() { # port dir [redis-server options...]
	local port=$1 dir
	mkdir -p "$2"
	dir=$(cd "$2" && pwd)
	shift 2
	ensure_tools redis-server=redis-server redis-cli=redis-tools
	rm -f "$dir/redis.pid"
	redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" \
		--logfile "$dir/redis.log" --pidfile "$dir/redis.pid" "$@" || return 1
	wait_for 127.0.0.1 "$port" Redis 15 || return 1
	REDIS_PID=$(cat "$dir/redis.pid")
	STARTED+=("redis-cli -h 127.0.0.1 -p $port shutdown")
}

# A Redis Cluster on loopback: MASTERS masters (3 at least), each with REPLICAS replicas, on
# consecutive ports from PORT, each node's data and log in DIR/PORT, joined by
# 'redis-cli --cluster create'. Keyspace events for expiries are on, as the worker wants them.
# Sets REDIS_CLUSTER_NODES to host:port,host:port,... (spring.data.redis.cluster.nodes).
start_redis_cluster() { # port dir [masters [replicas]]
	local first=$1 dir=$2 masters=${3:-3} replicas=${4:-0} i port nodes=() state
	ensure_tools redis-server=redis-server redis-cli=redis-tools
	for ((i = 0; i < masters * (1 + replicas); i++)); do
		port=$((first + i))
		if answers 127.0.0.1 "$port"; then
			log "error: port $port is taken; choose another first port"
			return 1
		fi
		rm -f "$dir/$port/nodes.conf"
		start_redis "$port" "$dir/$port" --cluster-enabled yes --cluster-config-file nodes.conf \
			--cluster-node-timeout 2000 --notify-keyspace-events Ex --save "" --appendonly no || return 1
		nodes+=("127.0.0.1:$port")
	done
	redis-cli --cluster create "${nodes[@]}" --cluster-replicas "$replicas" --cluster-yes >"$dir/create.log" 2>&1 ||
		{ log "error: redis-cli --cluster create failed, see $dir/create.log"; return 1; }
	for ((i = 0; i < 300; i++)); do
		state=ok
		for port in "${nodes[@]##*:}"; do
			redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || state=
		done
		[ -n "$state" ] && break
		sleep 0.1
	done
	[ -n "$state" ] || { log "error: the cluster on ${nodes[*]} did not become ok within 30 s"; return 1; }
	REDIS_CLUSTER_NODES=$(IFS=,; echo "${nodes[*]}")
	log "Started a Redis Cluster of $masters masters and $((masters * replicas)) replicas on $REDIS_CLUSTER_NODES"
}

as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A private PostgreSQL on 127.0.0.1:port with its cluster in dir/data (created by initdb with
# trust for the user postgres when missing) and its log in dir; sets PG_DATA.
start_postgres() { # port dir [postgres options, e.g. "-c shared_buffers=512MB"]
	local port=$1 dir bin
	ensure_tools pg/initdb=postgresql
	bin=$(postgres_bin)
	mkdir -p "$2"
	dir=$(cd "$2" && pwd)
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
		as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 ||
			{ log "error: initdb failed, see $dir/initdb.log"; return 1; }
	fi
	as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 ${3:-}" start >/dev/null ||
		{ log "error: PostgreSQL did not start, see $dir/postgres.log"; return 1; }
	wait_for 127.0.0.1 "$port" PostgreSQL 30 || return 1
	PG_DATA=$dir/data
	STARTED+=("as_postgres $bin/pg_ctl -D $dir/data -m fast -w stop")
}

ensure_redis() { # host port
	local host=$1 port=$2
	answers "$host" "$port" && return 0
	if ! is_local "$host"; then
		log "error: nothing answers at Redis $host:$port"
		return 1
	fi
	start_redis "$port" "$STATE_DIR/redis" --appendonly yes --appendfsync everysec --save "" \
		--notify-keyspace-events Ex || return 1
	log "Started Redis on $host:$port (data and log in $STATE_DIR/redis)"
}

ensure_postgres() { # host port
	local host=$1 port=$2 version cluster
	answers "$host" "$port" && return 0
	if ! is_local "$host"; then
		log "error: nothing answers at PostgreSQL $host:$port"
		return 1
	fi
	# The machine's own cluster first, if it has one on that port.
	if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p' | grep -q .; then
		read -r version cluster _ < <(pg_lsclusters -h | awk -v p="$port" '$3 == p')
		pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
		wait_for "$host" "$port" PostgreSQL 30
		log "Started the PostgreSQL cluster $version/$cluster on port $port"
		return 0
	fi
	start_postgres "$port" "$STATE_DIR/postgres" || return 1
	log "Started PostgreSQL on $host:$port (data and log in $STATE_DIR/postgres)"
}

stop_started() {
	local command
	for command in "${STARTED[@]}"; do
		$command >/dev/null 2>&1 && log "Stopped: $command"
	done
	STARTED=()
}

ensure_database() { # host port user database
	command -v psql >/dev/null || install_packages postgresql-client
	if ! psql -h "$1" -p "$2" -U "$3" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$4'" | grep -q 1; then
		psql -h "$1" -p "$2" -U "$3" -d postgres -qc "CREATE DATABASE \"$4\""
		log "Created database $4"
	fi
}

# The feature release of a JDK or JRE home (17, 21, 25), from its release file.
java_feature() { # java_home
	local version
	version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release" 2>/dev/null)
	[ -n "$version" ] || version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
		sed -n 's/^ *java.specification.version = //p')
	version=${version#1.}
	echo "${version%%[.+-]*}"
}

# Picks the JVM for the services: the given home; else the newest JDK 21+ among $JAVA_HOME
# and /usr/lib/jvm/*; else the java on PATH. Sets JAVA (the launcher), JAVA_HOME_USED,
# JAVA_FEATURE, JAVA_DESC (e.g. "Java 25.0.3+9-LTS (Eclipse Adoptium)") and JAVA_FAST, the
# flags that make the services fast on that release:
#   21+  -Dspring.threads.virtual.enabled=true   request handling on virtual threads
#   22+  --enable-native-access=ALL-UNNAMED      native code (Netty's) loads without the
#                                                restricted-method warnings
#   24+  --sun-misc-unsafe-memory-access=allow   Netty and Lettuce keep their Unsafe fast
#                                                paths (much slower without it)
java_select() { # [java_home]
	local home=${1:-} candidate feature best=0
	if [ -z "$home" ]; then
		for candidate in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
			[ -x "$candidate/bin/java" ] || continue
			feature=$(java_feature "$candidate")
			if [ "${feature:-0}" -ge 21 ] && [ "$feature" -gt "$best" ]; then
				home=$candidate best=$feature
			fi
		done
	fi
	if [ -z "$home" ]; then
		command -v java >/dev/null || install_packages openjdk-17-jdk-headless || return 1
		home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
	fi
	[ -x "$home/bin/java" ] || { log "error: no bin/java in $home"; return 1; }
	JAVA_HOME_USED=$(cd "$home" && pwd -P)
	JAVA=$JAVA_HOME_USED/bin/java
	JAVA_FEATURE=$(java_feature "$JAVA_HOME_USED")
	JAVA_DESC=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '
		$1 ~ /java.runtime.version$/ { v = $2 } $1 ~ /java.vendor$/ { w = $2 } END { print "Java " v " (" w ")" }')
	JAVA_FAST=()
	[ "$JAVA_FEATURE" -lt 21 ] || JAVA_FAST+=(-Dspring.threads.virtual.enabled=true)
	[ "$JAVA_FEATURE" -lt 22 ] || JAVA_FAST+=(--enable-native-access=ALL-UNNAMED)
	[ "$JAVA_FEATURE" -lt 24 ] || JAVA_FAST+=(--sun-misc-unsafe-memory-access=allow)
}

# Runs the selected JVM (java_select's, picked on first use) with JAVA_FAST and the arguments.
# In a subshell, as in 'java_fast -jar app.jar &', it replaces the subshell, so that $! is the
# JVM's own pid (to stop it, or to read its /proc figures).
java_fast() { # java arguments...
	[ -n "${JAVA_HOME_USED:-}" ] || java_select || return 1
	if [ "$BASH_SUBSHELL" -gt 0 ]; then
		exec "$JAVA" "${JAVA_FAST[@]}" "$@"
	fi
	"$JAVA" "${JAVA_FAST[@]}" "$@"
}
