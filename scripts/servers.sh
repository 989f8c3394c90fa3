# Functions that make sure Redis and PostgreSQL answer on a local port, starting (and, as
# root with apt-get, installing) them when nothing answers. Sourced by run.sh and .ci/run.
# State of servers started here lives under $STATE_DIR (default .run/).

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

ensure_redis() { # host port
	local host=$1 port=$2
	answers "$host" "$port" && return 0
	if ! is_local "$host"; then
		log "error: nothing answers at Redis $host:$port"
		return 1
	fi
	command -v redis-server >/dev/null || install_packages redis-server redis-tools
	mkdir -p "$STATE_DIR/redis"
	redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$(cd "$STATE_DIR/redis" && pwd)" \
		--appendonly yes --appendfsync everysec --save "" --notify-keyspace-events Ex \
		--logfile "$(cd "$STATE_DIR/redis" && pwd)/redis.log" --pidfile "$(cd "$STATE_DIR/redis" && pwd)/redis.pid"
	wait_for "$host" "$port" Redis 15
	STARTED+=("redis-cli -h $host -p $port shutdown")
	log "Started Redis on $host:$port (data and log in $STATE_DIR/redis)"
}

postgres_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres() { # host port
	local host=$1 port=$2 bin dir
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
	[ -n "$(postgres_bin)" ] || install_packages postgresql postgresql-contrib
	bin=$(postgres_bin)
	mkdir -p "$STATE_DIR"
	dir="$(cd "$STATE_DIR" && pwd)/postgres"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		mkdir -p "$dir"
		[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
		as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
	fi
	as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
	wait_for "$host" "$port" PostgreSQL 30
	STARTED+=("as_postgres $bin/pg_ctl -D $dir/data -m fast -w stop")
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
