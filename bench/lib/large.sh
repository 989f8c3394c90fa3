# The large-session workloads of bench/run.sh: pages of about 1 MB of one large archived
# session (against pgbench reading the same chunks), and the Redis stall check while the API
# reads a large live session and the worker archives it. Sourced by run.sh.

# 6. Large archive pages: page 1 (after=0) and the last page (latest) of one archived session
#    of BIG_MESSAGES messages of about 16 KiB, limit=1000, so the page byte cap ends the page
#    at about 1 MB. A few connections: per-request latency is the figure.
large_page() { # name mode (after | latest)
	local name=$1 mode=$2 from to after query cursor chunks note reason raw raw_cpu
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
	raw=("$PG_TPS" "$PG_P50" "$PG_P99") raw_cpu=$(cpu_per_op "$PG_TX")
	SYS=(- - -) SYS_CPU=- API_RSS=- WORKER_RSS=-
	export BENCH_TOKENS="" BENCH_TOKEN=$LOCAL_ADMIN_TOKEN # archived: the admin's token
	if [ "$API_UP" = 1 ]; then
		if reason=$(check_history "http://127.0.0.1:$API_PORT/sessions/B000000000000/history?limit=$PAGE_LIMIT$query" archive "$from" "$to"); then
			note="$note; system: GET /sessions/B000000000000/history?limit=$PAGE_LIMIT$query, $(($(stat -c %s "$WORK/check.json") / 1024)) KiB responses"
			log "Large archive, $name — system: wrk, $LARGE_CONNECTIONS connections (warm-up, then ${LARGE_DURATION}s)"
			export BENCH_MODE=page BENCH_CODE=B000000000000 BENCH_LIMIT=$PAGE_LIMIT BENCH_AFTER=$cursor
			WRK_CONNECTIONS=$LARGE_CONNECTIONS
			measure_api "large_$mode" "$LARGE_DURATION" "$LARGE_WARMUP_MAX"
			WRK_CONNECTIONS=$CONNECTIONS
			note="$note; $SYS_NOTE"
		else
			note="$note; system: $reason"
			warn "large archive, $name not measured: $reason"
		fi
	fi
	row "large archive, $name" "pages/s" "${raw[0]}" "${SYS[0]}" "p99<50ms" "${raw[1]}" "${raw[2]}" "${SYS[1]}" "${SYS[2]}" \
		"$API_RSS" "$WORKER_RSS" "$note" "$raw_cpu" "$SYS_CPU"
}

# 7. Redis stall check: a side client PINGs Redis every 2 ms (RedisProbe.java) while the API
#    serves limit=1000 pages of the live set-S session (BIG_MESSAGES messages of about 16 KiB,
#    random cursors) and the worker archives it once it is ended; raw: the same PINGs alone.
# Redis and the probe run at a higher CPU priority for this check (nice -10), so that what it
# measures is Redis being busy, not the two shared cores being taken by the services,
# PostgreSQL and wrk on the same machine; Redis goes back to the others' priority after it.
probe_start() { # label
	rm -f "$WORK/$1.stop"
	nice -n -10 "$JDK_BIN/java" -Xmx64m -XX:+UseSerialGC -cp "$WORK/classes" RedisProbe 127.0.0.1 "$REDIS_PORT" "$SCRIPTS" 2 \
		"$WORK/$1.stop" >"$WORK/$1.probe" 2>&1 &
	PROBE_PID=$!
}
probe_stop() { # label
	touch "$WORK/$1.stop"
	wait "$PROBE_PID" || die "the Redis probe failed: $(tail -n 3 "$WORK/$1.probe")"
	PROBE_PID=""
}
probe() { sed -n "s/^$2=//p" "$WORK/$1.probe"; } # label key

stall_check() {
	local SSID STALL_MSGS from to reason raw sys api_rss worker_rss sys_cpu note closed closed_before end_ms archived_ms purged_ms deadline same archive
	SSID=$(printf '0000%04x-0000-4000-8000-%012d' "'S" 0)
	STALL_MSGS="$PREFIX:{S000000000000}:$SSID:msgs"
	renice -n -10 -p "$REDIS_PID" >/dev/null 2>&1 || warn "stall check: could not raise Redis' priority (not root?); PINGs also wait for the CPU"
	log "Redis stall check — raw: PING every 2 ms for ${PING_IDLE}s, nothing else running"
	probe_start stall_idle
	sleep "$PING_IDLE"
	probe_stop stall_idle
	raw=(- "$(probe stall_idle ping_p50_ms)" "$(probe stall_idle ping_p99_ms)")
	sys=(- - -) api_rss=- worker_rss=- sys_cpu=-
	note="idle: $(probe stall_idle pings) PINGs, max $(probe stall_idle ping_max_ms) ms"
	if [ $API_UP = 1 ] && [ $WORKER_UP = 1 ]; then
		export BENCH_TOKENS="" BENCH_TOKEN
		BENCH_TOKEN=$(cat "$WORK/tokens_stall.txt") # the live session's read-only token
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

}
