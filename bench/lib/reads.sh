# The request workloads of bench/run.sh: live history (with the peer readers), archived
# history and append, each raw baseline first, then the system. Sourced by run.sh.

# 1. Live history: a full page of 100 of a random live session, 64 connections, each request
#    with the read-only token of its session (as a display holds it); then the same load
#    without tokens against the API in open mode (the cost of verification), then the peer
#    readers on the same lists and the same load.
live_history() {
	local raw raw_cpu reason
	log "Live history — raw: redis-benchmark LRANGE -100 -1 of the same lists"
	cpu_mark
	redis_bench live_raw "$REDIS_REQUESTS" LRANGE "$PREFIX:{L__rand_int__}:$LSID:msgs" -100 -1
	raw=("$RB_RPS" "$RB_P50" "$RB_P99") raw_cpu=$(cpu_per_op "$REDIS_REQUESTS")
	SYS=(- - -) SYS_CPU=- SYS_API_CPU=- API_RSS=- WORKER_RSS=- SYS_NOTE=""
	export BENCH_SET=L BENCH_SESSIONS=$SESSIONS BENCH_MODE=history BENCH_TOKENS=$WORK/tokens_read.txt BENCH_TOKEN=""
	if [ "$API_UP" = 1 ]; then
		if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/L000000000001/history?limit=100" live); then
			log "Live history — system: wrk GET /sessions/{code}/history?limit=100 (warm-up, then ${DURATION}s)"
			measure_api live "$DURATION"
		else
			SYS_NOTE="system: $reason"
			warn "live history not measured: $reason"
		fi
	fi
	row "live history" "pages/s" "${raw[0]}" "${SYS[0]}" "ratio>=0.5" "${raw[1]}" "${raw[2]}" "${SYS[1]}" "${SYS[2]}" \
		"$API_RSS" "$WORKER_RSS" "$SYS_NOTE" "$raw_cpu" "$SYS_CPU"
	[ "${SYS[0]}" = - ] || mode_row secure "a read-only session token per session" "$SYS_NOTE"
	live_open
	live_peers "${SYS[0]}" "${SYS[1]}" "${SYS[2]}" "$SYS_CPU"
}

# 1b. The same live read without tokens, from the API in open mode (the same jar and settings
#     on a port of its own, idle until now), which is stopped afterwards. The secure API idles
#     meanwhile and is not counted. Restores SYS to the secure run's figures for the peers.
live_open() {
	local secure=("${SYS[@]}") secure_cpu=$SYS_CPU secure_api_cpu=$SYS_API_CPU
	if [ "$OPEN_API_UP" = 1 ] && [ "${SYS[0]}" != - ]; then
		local API_PID=$OPEN_API_PID WRK_PORT=$OPEN_API_PORT reason
		local -x BENCH_TOKENS="" BENCH_TOKEN=""
		if reason=$(check_history "http://127.0.0.1:$OPEN_API_PORT/sessions/L000000000001/history?limit=100" live); then
			log "Live history — open mode: the same wrk load without tokens (warm-up, then ${DURATION}s)"
			measure_api live_open "$DURATION"
			mode_row open "none" "$SYS_NOTE"
		else
			warn "live history in open mode not measured: $reason"
		fi
	fi
	stop_pid "$OPEN_API_PID" 20
	OPEN_API_PID="" OPEN_API_UP=0
	SYS=("${secure[@]}") SYS_CPU=$secure_cpu SYS_API_CPU=$secure_api_cpu
}

# One row of the cost-of-verification table ($MODES) from the last measure_api.
mode_row() { # mode tokens note
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${SYS[0]}" "${SYS[1]}" "${SYS[2]}" "$SYS_CPU" "$SYS_API_CPU" "$3" >>"$MODES"
}

# 2. Archived history: a full page of 100 of a random archived session.
archived_history() {
	local raw raw_cpu reason
	log "Archived history — raw: pgbench reading the latest archive's chunk of a random code (messages_raw), ${DURATION}s"
	cpu_mark
	pgbench_run archived_raw "$CONNECTIONS" "$DURATION" archived_page.sql letter=A lo=0 hi=$((SESSIONS - 1)) after=-1 size="$MESSAGES"
	raw=("$PG_TPS" "$PG_P50" "$PG_P99") raw_cpu=$(cpu_per_op "$PG_TX")
	SYS=(- - -) SYS_CPU=- API_RSS=- WORKER_RSS=- SYS_NOTE=""
	CACHE_INFO="none (the services did not run)"
	# The admin's token: the API mints session tokens for live instances only.
	export BENCH_TOKENS="" BENCH_TOKEN=$LOCAL_ADMIN_TOKEN
	if [ "$API_UP" = 1 ]; then
		if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/A000000000001/history?limit=100" archive); then
			log "Archived history — system: wrk GET /sessions/{code}/history?limit=100 (warm-up, then ${DURATION}s)"
			export BENCH_SET=A BENCH_SESSIONS=$SESSIONS BENCH_MODE=history
			measure_api archived "$DURATION"
			cache_metrics >"$WORK/cache_after.txt"
			CACHE_INFO=$(archive_cache_info)
			if [ -s "$WORK/cache_after.txt" ]; then
				CACHE_INFO="$CACHE_INFO; cache meters: $(tr '\n' ';' <"$WORK/cache_after.txt" | cut -c1-400)"
			fi
		else
			SYS_NOTE="system: $reason"
			warn "archived history not measured: $reason"
		fi
	fi
	row "archived history" "pages/s" "${raw[0]}" "${SYS[0]}" "ratio>=1.0" "${raw[1]}" "${raw[2]}" "${SYS[1]}" "${SYS[2]}" \
		"$API_RSS" "$WORKER_RSS" "$SYS_NOTE" "$raw_cpu" "$SYS_CPU"
}

# 3. Append a message to a random live session.
append_message() {
	local sha limits body message now check status raw raw_cpu out=$WORK/append_raw.out
	# The script text exactly as SessionScripts loads it (layout.lua, a newline, append.lua), and
	# the limits the API passes: history.message.max-count and the stall check's session max-bytes.
	fixture script "$SCRIPTS" append.lua >"$WORK/append.lua"
	sha=$(rcli -x SCRIPT LOAD <"$WORK/append.lua")
	limits=(10000 86400 $((200 * 1024 * 1024)))
	body=$(fixture body)
	message='{"id":"b","sentAt":"2026-11-24T10:00:00.000Z",'${body#\{}
	now=$(($(date +%s) * 1000))
	# Layout 4 (its version first): the users hash as the sixth key; no user id ('') and the participant limit last.
	check=$(rcli EVALSHA "$sha" 6 "$PREFIX:{L000000000000}:live" "$PREFIX:{L000000000000}:$LSID:meta" \
		"$PREFIX:{L000000000000}:$LSID:msgs" "$PREFIX:{L000000000000}:$LSID:ids" "$PREFIX:{L000000000000}:pending" \
		"$PREFIX:{L000000000000}:$LSID:users" 4 "$LSID" check-1 "$message" "$now" "${limits[@]}" "" 1000 | head -n 1)
	[ "$check" = CREATED ] || die "the append script answered '$check' for a fixture session"
	# redis-benchmark cannot drive it: it draws a new number for every __rand_int__ of a command,
	# and the append script refuses keys of different sessions. AppendLoad.java does the same
	# (one thread, CONNECTIONS connections, one call in flight each) with consistent keys, after
	# REDIS_REQUESTS / 4 unmeasured calls that let its JIT compile (the server CPU counts both).
	log "Append — raw: EVALSHA of the append script to random set-L sessions, $CONNECTIONS connections (AppendLoad.java, ${#message}-byte message)"
	cpu_mark
	timeout 300 "$JDK_BIN/java" -cp "$WORK/classes" AppendLoad 127.0.0.1 "$REDIS_PORT" "$CONNECTIONS" $((REDIS_REQUESTS / 4)) \
		"$REDIS_REQUESTS" "$SESSIONS" "$PREFIX" L "$LSID" "$sha" "$message" "$now" "${limits[@]}" >"$out" 2>&1 ||
		die "the raw append failed: $(tail -n 3 "$out")"
	raw=("$(sed -n 's/^rps=//p' "$out")" "$(sed -n 's/^p50_ms=//p' "$out")" "$(sed -n 's/^p99_ms=//p' "$out")")
	raw_cpu=$(cpu_per_op "$(sed -n 's/^requests=//p' "$out")")
	[ "$(sed -n 's/^not_created=//p' "$out")" = 0 ] ||
		warn "raw append: $(sed -n 's/^not_created=//p' "$out") calls did not answer CREATED: $(sed -n 's/^first_problem=//p' "$out")"
	SYS=(- - -) SYS_CPU=- API_RSS=- WORKER_RSS=- SYS_NOTE=""
	# Each append with its session's append token, as the device that writes to it holds one.
	export BENCH_TOKENS=$WORK/tokens_append.txt BENCH_TOKEN=""
	if [ "$API_UP" = 1 ]; then
		status=$(curl -sS -o "$WORK/append_check.json" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
			-H "Authorization: Bearer $(bench_token 1)" \
			-d "$body" "http://127.0.0.1:$API_PORT/sessions/L000000000001/messages" 2>&1 || true)
		if [ "$status" = 201 ]; then
			log "Append — system: wrk POST /sessions/{code}/messages (warm-up, then ${DURATION}s)"
			export BENCH_SET=L BENCH_SESSIONS=$SESSIONS BENCH_MODE=append BENCH_BODY=$body
			measure_api append "$DURATION"
		else
			SYS_NOTE="system: POST answered $status $(head -c 200 "$WORK/append_check.json" 2>/dev/null)"
			warn "append not measured: $SYS_NOTE"
		fi
	fi
	row "append" "messages/s" "${raw[0]}" "${SYS[0]}" "ratio>=0.5" "${raw[1]}" "${raw[2]}" "${SYS[1]}" "${SYS[2]}" \
		"$API_RSS" "$WORKER_RSS" "$SYS_NOTE" "$raw_cpu" "$SYS_CPU"
}
