# The Session Gallery's list queries at a million archives (GALLERY_ARCHIVES; 20,000 with --quick)
# generated in PostgreSQL (bench/sql/gallery_fixture.sql), then each filter alone and the
# common combinations, as GET /admin/api/gallery/sessions?status=archived&… with the admin's
# token, GALLERY_CONNECTIONS connections for GALLERY_SECONDS each, then the overview
# (GET /admin/api/gallery/overview) as served, and its statement of the 30 days as it runs
# when the API reads them again (pgbench of bench/sql/overview_days.sql); the target is p99
# under 100 ms. Run last: the fixture grows the table the other workloads read. Sourced by run.sh.

gallery_lists() {
	[ "$API_UP" = 1 ] || { warn "gallery not measured: the API is not up"; return 0; }
	log "Session Gallery — $GALLERY_ARCHIVES archives and $((2 * GALLERY_ARCHIVES)) user rows generated in PostgreSQL"
	if ! psql_db -v archives="$GALLERY_ARCHIVES" -f "$BENCH/sql/gallery_fixture.sql" ||
		! psql_db -c "VACUUM ANALYZE session_history" -c "VACUUM ANALYZE session_participant"; then
		warn "gallery not measured: its fixture could not be generated"
		return 0
	fi
	local code prefix2 prefix4 week_ago month_ago two_months_ago name query first next
	code=$(psql_db -tAc "SELECT session_code FROM session_history WHERE length(session_code) = 6 AND session_code LIKE 'Q%' ORDER BY id OFFSET $((GALLERY_ARCHIVES / 2)) LIMIT 1")
	prefix2=${code:0:2} prefix4=${code:0:4}
	week_ago=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)
	month_ago=$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)
	two_months_ago=$(date -u -d '60 days ago' +%Y-%m-%dT%H:%M:%SZ)
	first="/admin/api/gallery/sessions?status=archived&limit=100"
	next=$(curl -fsS -D - -o /dev/null -H "Authorization: Bearer $LOCAL_ADMIN_TOKEN" "http://127.0.0.1:$API_PORT$first" |
		tr -d '\r' | sed -n 's/^[Ll]ink: <\([^>]*\)>.*/\1/p')
	export BENCH_MODE=path BENCH_TOKEN=$LOCAL_ADMIN_TOKEN BENCH_TOKENS="" BENCH_PATH=$first
	log "Session Gallery — warm-up (${GALLERY_SECONDS}s x 2 of the newest archives)"
	wrk_run gallery_warmup "$((2 * GALLERY_SECONDS))" "$GALLERY_CONNECTIONS"
	while IFS='|' read -r name query; do
		BENCH_PATH="/admin/api/gallery/sessions${query}"
		[ "$name" != "the next page" ] || BENCH_PATH=$next
		[ "$name" != "count, no filter" ] || BENCH_PATH="/admin/api/gallery/sessions/count?status=archived"
		[ "$name" != "count, code prefix" ] || BENCH_PATH="/admin/api/gallery/sessions/count?status=archived&codePrefix=$prefix4"
		[ "$name" != "overview" ] || BENCH_PATH="/admin/api/gallery/overview"
		if ! curl -fsS -o /dev/null -H "Authorization: Bearer $LOCAL_ADMIN_TOKEN" "http://127.0.0.1:$API_PORT$BENCH_PATH"; then
			warn "gallery: $name ($BENCH_PATH) did not answer 200"
			continue
		fi
		wrk_run "gallery_${#name}" "$GALLERY_SECONDS" "$GALLERY_CONNECTIONS"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${BENCH_PATH#/admin/api/gallery/sessions}" "$W_RPS" "$W_P50" "$W_P99" \
			"$W_BAD" >>"$GALLERY"
	done <<EOF_QUERIES
newest first|?status=archived&limit=100
the next page|
code|?status=archived&code=$code
code prefix (2 characters)|?status=archived&codePrefix=$prefix2
code prefix (4 characters)|?status=archived&codePrefix=$prefix4
user (owner or participant)|?status=archived&userId=user-77
created in the last 7 days|?status=archived&createdAfter=$week_ago
created before 60 days ago|?status=archived&createdBefore=$two_months_ago
created 60 to 30 days ago|?status=archived&createdAfter=$two_months_ago&createdBefore=$month_ago
ended in the last 7 days|?status=archived&endedAfter=$week_ago
ended before 60 days ago|?status=archived&endedBefore=$two_months_ago
expired|?status=archived&endReason=expired
490 messages or more|?status=archived&minMessages=490
at most 3 messages|?status=archived&maxMessages=3
user, created in the last 30 days|?status=archived&userId=user-77&createdAfter=$month_ago
code prefix, expired|?status=archived&codePrefix=$prefix2&endReason=expired
expired, 490 messages or more|?status=archived&endReason=expired&minMessages=490
ended before 60 days ago, at most 3 messages|?status=archived&endedBefore=$two_months_ago&maxMessages=3
count, no filter|
count, code prefix|
overview|
EOF_QUERIES
	export BENCH_MODE=history BENCH_PATH=""
	# one client: the API runs it in the background, once at a time, never per request
	pgbench_run gallery_overview_days 1 "$GALLERY_SECONDS" overview_days.sql \
		first="$(date -u -d '29 days ago' +%F)" last="$(date -u +%F)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "overview's 30 days, as read again (pgbench, 1 client)" "sql/overview_days.sql" "$PG_TPS" \
		"$PG_P50" "$PG_P99" 0 >>"$GALLERY"
}

# The gallery's table for the report.
format_gallery() {
	awk -F'\t' '
	BEGIN {
		print "| query | filters | pages/s | p50 (ms) | p99 (ms) | p99 < 100 ms |"
		print "|---|---|---:|---:|---:|---|"
	}
	{
		q = $2; gsub(/\|/, "\\|", q)
		met = ($5 + 0 < 100 && $6 == 0) ? "yes" : "**no**"
		printf "| %s | `%s` | %s | %s | %s | %s |\n", $1, q, $3, $4, $5, met
		if (met != "yes") missed++
	}
	END { printf "\n%d of %d queries under 100 ms at p99.\n", NR - missed, NR }' "$GALLERY"
}
