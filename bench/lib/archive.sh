# The archive workloads of bench/run.sh: the wave (many sessions ended at once) and the lag
# (sessions ended at a steady rate), with the worker's lag histogram and the table's own
# archived_at - ended_at; and what the API's archive cache holds of the archived fixture.
# Sourced by run.sh.

cache_metrics() { # the API's cache meters, if it has any
	[ -n "$API_MANAGEMENT_PORT" ] || return 0
	curl -fsS --max-time 5 "http://127.0.0.1:$API_MANAGEMENT_PORT/actuator/prometheus" 2>/dev/null | grep -E '^cache_' || true
}

# The archive cache of the API, from its packaged configuration (history.archive-cache.max-size,
# no command-line override here), against the size of the archived fixture. The cache holds
# archive directories and chunks, weighed about as here: the chunk's text, its message bounds
# (8 bytes a message) and some overhead per chunk and directory.
archive_cache_info() {
	local size bytes
	size=$(cd "$WORK" && "$JDK_BIN/jar" xf "$WORK/jars/api-service.jar" BOOT-INF/classes/application.yml 2>/dev/null &&
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
worker_metrics() { curl -fsS --max-time 5 "http://127.0.0.1:$WORKER_MANAGEMENT_PORT/actuator/prometheus" 2>/dev/null || true; }
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


archived_count() { psql_db -tAc "SELECT count(*) FROM session_history WHERE $(code_range "$1")"; }
# Polls until COUNT sessions of SET are archived or SECONDS pass; sets ARCHIVED and DONE_MS
# (the time the last one was seen, empty if they were not all archived).
await_archived() { # set count seconds poll_seconds
	local deadline=$(($(date +%s) + $3))
	DONE_MS="" ARCHIVED=0
	while [ "$(date +%s)" -lt "$deadline" ]; do
		ARCHIVED=$(archived_count "$1")
		if [ "$ARCHIVED" -ge "$2" ]; then
			DONE_MS=$(($(date +%s%N) / 1000000))
			return 0
		fi
		sleep "$4"
	done
	return 1
}

# 4. The archive wave: SESSIONS sessions ended at once, until all are archived; raw: COPY of
#    the same rows and chunks into tables of the same definition.
archive_wave() {
	local raw_ms raw_cpu raw_rate t start_ms sys_ms same sys_rate=- sys_p50=- sys_p99=- api_rss=- worker_rss=- sys_cpu=- note
	log "Archive wave — raw: COPY of the same $SESSIONS sessions and their chunks into tables of the same definition"
	cpu_mark
	t=$(date +%s%N)
	psql_db -c "\\copy bench_raw_history ($SESSION_COLUMNS) FROM '$WORK/wave_sessions.tsv'" \
		-c "\\copy bench_raw_chunk ($CHUNK_COLUMNS) FROM '$WORK/wave_chunks.tsv'"
	raw_ms=$((($(date +%s%N) - t) / 1000000))
	raw_cpu=$(cpu_per_op "$SESSIONS")
	raw_rate=$(awk -v n="$SESSIONS" -v ms="$raw_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
	log "  COPY took ${raw_ms} ms"
	note="raw COPY ${raw_ms} ms"
	if [ "$WORKER_UP" = 1 ]; then
		log "Archive wave — warming the worker up with a wave of $WARM_WAVE other sessions"
		fixture end "$SCRIPTS" 127.0.0.1 "$REDIS_PORT" "$PREFIX" V 0 "$WARM_WAVE" 0 >"$WORK/warm_wave_end.txt"
		await_archived V "$WARM_WAVE" "$WAVE_TIMEOUT" 0.5 || true
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
		await_archived W "$SESSIONS" "$WAVE_TIMEOUT" 0.1 || true
		sys_cpu=$(cpu_per_op "$ARCHIVED")
		api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
		profile_stop "$WORKER_PID" wave-worker
		if [ -n "$DONE_MS" ]; then
			sys_ms=$((DONE_MS - start_ms))
			sys_rate=$(awk -v n="$SESSIONS" -v ms="$sys_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
			note="$note; system ${sys_ms} ms"
			log "  the worker archived $SESSIONS sessions in ${sys_ms} ms"
		else
			note="$note; system: only $ARCHIVED of $SESSIONS archived within ${WAVE_TIMEOUT}s"
			sys_rate=$(awk -v n="$ARCHIVED" -v s="$WAVE_TIMEOUT" 'BEGIN { printf "%.0f", n / s }')
			warn "wave: only $ARCHIVED of $SESSIONS archived within ${WAVE_TIMEOUT}s"
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
		[ "$same" = "$ARCHIVED" ] || warn "wave: only $same of the $ARCHIVED archived sessions have the same row and chunks as the raw COPY"
		note="$note; $same archived sessions byte-identical to the COPY rows (row and chunks)"
		lag_figures W "$WORK/wave_metrics_before.txt" "$WORK/wave_metrics_after.txt"
		sys_p50=$LAG_P50 sys_p99=$LAG_P99 note="$note; per-session latency: $LAG_NOTE"
	fi
	row "archive wave" "sessions/s" "$raw_rate" "$sys_rate" "ratio>=0.5" - - "$sys_p50" "$sys_p99" "$api_rss" "$worker_rss" "$note" "$raw_cpu" "$sys_cpu"
}

# 5. Archive lag at a steady LAG_RATE sessions ending per second.
archive_lag() {
	local sys_p50=- sys_p99=- api_rss=- worker_rss=- note="" offered=- sys_cpu=- start_ms sent_ms
	if [ "$WORKER_UP" = 1 ]; then
		log "Archive lag — $LAG_SESSIONS sessions ended at $LAG_RATE/s for ${LAG_SECONDS}s"
		worker_metrics >"$WORK/lag_metrics_before.txt"
		rss_reset
		profile_start "$WORKER_PID"
		cpu_mark
		fixture end "$SCRIPTS" 127.0.0.1 "$REDIS_PORT" "$PREFIX" G 0 "$LAG_SESSIONS" "$LAG_RATE" >"$WORK/lag_end.txt"
		start_ms=$(sed -n 's/^start_ms=//p' "$WORK/lag_end.txt")
		sent_ms=$(sed -n 's/^sent_ms=//p' "$WORK/lag_end.txt")
		offered=$(awk -v n="$LAG_SESSIONS" -v ms="$((sent_ms - start_ms))" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
		await_archived G "$LAG_SESSIONS" 60 0.2 || note="only $ARCHIVED of $LAG_SESSIONS archived 60 s after the last end; "
		sys_cpu=$(cpu_per_op "$ARCHIVED")
		api_rss=$(rss_mib "$API_PID") worker_rss=$(rss_mib "$WORKER_PID")
		profile_stop "$WORKER_PID" lag-worker
		worker_metrics >"$WORK/lag_metrics_after.txt"
		lag_figures G "$WORK/lag_metrics_before.txt" "$WORK/lag_metrics_after.txt"
		sys_p50=$LAG_P50 sys_p99=$LAG_P99 note="${note}offered ${offered}/s; $LAG_NOTE"
	fi
	row "archive lag" "sessions/s" - "$offered" "p99<2000ms" - - "$sys_p50" "$sys_p99" "$api_rss" "$worker_rss" "$note" - "$sys_cpu"
}
