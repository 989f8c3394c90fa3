# Measuring helpers of bench/run.sh: result rows, load generators (redis-benchmark, wrk,
# pgbench) and their figures, server CPU and RSS from /proc, JIT warm-up and profiles.
# Sourced by run.sh, which sets WORK, BENCH, the ports and pids of the servers.

# One result row of the main table, tab-separated in $ROWS.
row() { # workload unit raw_rate sys_rate target raw_p50 raw_p99 sys_p50 sys_p99 api_rss worker_rss note raw_cpu sys_cpu
	local IFS=$'\t'
	echo "$*" >>"$ROWS"
}
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
percentile() { # sorted-file fraction
	awk -v f="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * f + 0.999999); if (i < 1) i = 1; print v[i] }' "$1"
}
code_range() { echo "session_code >= '$1' AND session_code < '$1~'"; }

# Peak RSS: VmHWM of each measured process, reset before each workload.
rss_reset() {
	local pid
	for pid in $API_PID $WORKER_PID $PEER_PIDS; do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done
}
rss_mib() { # pids...: the sum of their peak RSS (VmHWM) in MiB
	local pid kib=0 seen=0
	for pid in "$@"; do
		[ -n "$pid" ] && [ -r "/proc/$pid/status" ] || continue
		kib=$((kib + $(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"))) seen=1
	done
	if [ $seen = 1 ]; then echo $((kib / 1024)); else echo "-"; fi
}

# CPU time (clock ticks) of every server: both services, Redis, a peer reader's processes, and
# PostgreSQL (the postmaster, its live children, and the children it has reaped: cutime/cstime).
CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { # pid [with_reaped]
	[ -r "/proc/$1/stat" ] || { echo 0; return; }
	sed 's/^.*) //' "/proc/$1/stat" | awk -v r="${2:-0}" '{ print $12 + $13 + (r ? $14 + $15 : 0) }'
}
cpu_ticks() {
	local pid pm total=0
	for pid in $API_PID $WORKER_PID $REDIS_PID $PEER_PIDS; do total=$((total + $(proc_ticks "$pid"))); done
	pm=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
	if [ -n "$pm" ]; then
		total=$((total + $(proc_ticks "$pm" 1)))
		for pid in $(ps -o pid= --ppid "$pm"); do total=$((total + $(proc_ticks "$pid"))); done
	fi
	echo "$total"
}
CPU_MARK=0
cpu_mark() { CPU_MARK=$(cpu_ticks); }
cpu_per_op() { # operations → server CPU µs per operation since cpu_mark
	awk -v t="$(($(cpu_ticks) - CPU_MARK))" -v hz="$CLK_TCK" -v n="$1" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }'
}

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

# wrk with bench/wrk/sessions.lua against WRK_PORT (the API unless the caller says otherwise);
# the caller sets the BENCH_* environment the script reads.
WRK_CONNECTIONS=$CONNECTIONS
wrk_run() { # label seconds [connections] → W_RPS W_P50 W_P99 (ms) W_REQ W_BAD
	local label=$1 seconds=$2 connections=${3:-$WRK_CONNECTIONS}
	timeout $((seconds + 60)) wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 10s --latency \
		-s "$BENCH/wrk/sessions.lua" "http://127.0.0.1:${WRK_PORT:-$API_PORT}" >"$WORK/$label.wrk" 2>&1 ||
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

# CPU ticks per thread group of a process ("C2 CompilerThread", "GC Thread", "http-nio-exec"...).
thread_ticks() { # pid
	cat /proc/"$1"/task/*/stat 2>/dev/null | awk '{
		name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Za-z] .*$/, "", name); gsub(/[0-9]+/, "#", name)
		rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); t[name] += f[12] + f[13]
	} END { for (n in t) printf "%s\t%d\n", n, t[n] }'
}

# Warms the API up with the caller's wrk load in steps of WARMUP seconds until the JIT
# compiler threads take under 10 % of the process's CPU in a step (at most WARMUP_MAX s,
# or the second argument). Sets WARMED, a note for the row, and WARMED_SECONDS.
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
			WARMED="$((step * WARMUP)) s warm-up, JIT at ${share}% at its end" WARMED_SECONDS=$((step * WARMUP))
			return
		fi
	done
}

# The token wrk's sessions.lua sends to the session of URL (or to code N): its line of the file
# BENCH_TOKENS, else BENCH_TOKEN, else none (empty).
bench_token() { # url-or-session-number
	local n=$1
	if [[ $n == */sessions/* ]]; then n=${n#*/sessions/} n=${n%%[/?]*} n=$((10#${n:1})); fi
	if [ -n "${BENCH_TOKENS:-}" ]; then sed -n "$((n + 1))p" "$BENCH_TOKENS"; else printf '%s' "${BENCH_TOKEN:-}"; fi
}

# One measured wrk run of the API after its warm-up, with its server CPU, RSS and profile:
# sets SYS (rate p50 p99), SYS_CPU, SYS_API_CPU (the API process alone), API_RSS, WORKER_RSS and SYS_NOTE.
measure_api() { # label seconds [warm-up max seconds]
	local api_ticks
	warm_up "$1" "${3:-}"
	rss_reset
	profile_start "$API_PID"
	cpu_mark
	api_ticks=$(proc_ticks "$API_PID")
	wrk_run "$1_sys" "$2"
	SYS_CPU=$(cpu_per_op "$W_REQ")
	SYS_API_CPU=$(awk -v t="$(($(proc_ticks "$API_PID") - api_ticks))" -v hz="$CLK_TCK" -v n="$W_REQ" \
		'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
	profile_stop "$API_PID" "$1-api"
	SYS=("$W_RPS" "$W_P50" "$W_P99") API_RSS=$(rss_mib "$API_PID") WORKER_RSS=$(rss_mib "$WORKER_PID")
	SYS_NOTE="$WARMED"
	[ "$W_BAD" = 0 ] || SYS_NOTE="$SYS_NOTE; $W_BAD failed requests"
}

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

# With --profile: a Java Flight Recorder recording of one service around one measured run.
profile_start() { # pid
	[ "$PROFILE" = 1 ] && [ -n "$1" ] || return 0
	mkdir -p "$WORK/profiles"
	thread_ticks "$1" >"$WORK/profiles/threads_before.tsv"
	"$JDK_BIN/jcmd" "$1" JFR.start name=bench settings=profile >/dev/null 2>&1 || warn "JFR.start failed for pid $1"
}
profile_stop() { # pid label
	[ "$PROFILE" = 1 ] && [ -n "$1" ] || return 0
	mkdir -p "$WORK/profiles"
	"$JDK_BIN/jcmd" "$1" JFR.stop name=bench filename="$WORK/profiles/$2.jfr" >/dev/null 2>&1 ||
		{ warn "JFR.stop failed for $2"; return 0; }
	{
		echo "CPU time by thread group (from /proc/$1/task, all threads, JIT and GC included):"
		thread_ticks "$1" | awk -F'\t' -v hz="$CLK_TCK" 'NR == FNR { before[$1] = $2; next }
			{ d = $2 - before[$1]; if (d > 0) { total += d; t[$1] = d } }
			END { for (n in t) printf "  %6.2f s  %5.1f%%  %s\n", t[n] / hz, 100 * t[n] / total, n | "sort -rn"; close("sort -rn")
				printf "  %6.2f s  total\n", total / hz }' "$WORK/profiles/threads_before.tsv" -
		echo
		"$JDK_BIN/java" "$BENCH/Profile.java" "$WORK/profiles/$2.jfr" 25 2>&1 || true
	} >"$WORK/profiles/$2.txt"
	log "  profile: bench/work/run/profiles/$2.txt"
}

# Checks one history response before a measured run: $1 url, $2 expected source ("" for a
# bare array of messages), $3 and $4 the seqs of its first and last message (default: at
# least MESSAGES messages); prints a reason on failure.
check_history() {
	local body count first last auth=()
	[ -z "$(bench_token "$1")" ] || auth=(-H "Authorization: Bearer $(bench_token "$1")")
	curl -sS --max-time 30 "${auth[@]}" -o "$WORK/check.json" "$1" 2>"$WORK/check.err" || { echo "request failed: $(cat "$WORK/check.err")"; return 1; }
	body=$(head -c 300 "$WORK/check.json")
	[ -z "$2" ] || grep -q "\"source\":\"$2\"" "$WORK/check.json" || { echo "unexpected response: $body"; return 1; }
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
