# The report of bench/run.sh: the main table of $ROWS, the live-history table of the readers
# side by side ($ROWS' live row and $PEERS), written to bench/results/latest.md with the chart
# in latest.png. Sourced by run.sh.

format_table() {
	awk -F'\t' '
	function num(v) { return v ~ /^[0-9.]+$/ }
	BEGIN {
		print "| workload | raw rate | system rate | ratio | target | met | p50 raw / system (ms) | p99 raw / system (ms) | server CPU per op raw / system (µs) | CPU ratio | peak RSS api / worker (MiB) |"
		print "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|"
	}
	{
		ratio = (num($3) && num($4) && $3 > 0) ? sprintf("%.2f", $4 / $3) : "-"
		met = "-"
		if ($5 ~ /^ratio>=/) { t = substr($5, 8); if (ratio != "-") met = (ratio + 0 >= t + 0) ? "yes" : "**no**" }
		if ($5 ~ /^p99</) { t = substr($5, 5) + 0; if (num($9)) met = ($9 + 0 < t) ? "yes" : "**no**" }
		target = $5; sub(/^ratio/, "ratio ", target); sub(/^p99</, "p99 < ", target)
		rate3 = num($3) ? $3 " " $2 : $3
		rate4 = num($4) ? $4 " " $2 : $4
		if ($1 == "archive lag" && num($4)) rate4 = $4 " ended/s"
		c13 = ($13 == "") ? "-" : $13; c14 = ($14 == "") ? "-" : $14
		cpu = (num(c13) && num(c14) && c14 > 0) ? sprintf("%.2f", c13 / c14) : "-"
		printf "| %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s | %s / %s |\n", $1, rate3, rate4, ratio, target, met, $6, $8, $7, $9, c13, c14, cpu, $10, $11
	}' "$ROWS"
}

# The live read by every reader, the system last, with the system's ratio against each.
format_readers() {
	awk -F'\t' -v versions="$PEER_VERSIONS" -v jvm="Java $JAVA_FEATURE" '
	function num(v) { return v ~ /^[0-9.]+$/ }
	function line(reader, does, processes, rate, p50, p99, cpu, rss, target, ratio, met) {
		printf "| %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s |\n", reader, does, processes, rate, p50, p99, cpu, rss, ratio, target, met
	}
	function versus(rate, target,    ratio, t) {
		RATIO = (num(rate) && num(sys_rate) && rate > 0) ? sprintf("%.2f", sys_rate / rate) : "-"
		MET = "-"
		if (target != "-" && RATIO != "-") { t = target; sub(/^ratio >= /, "", t); MET = (RATIO + 0 >= t + 0) ? "yes" : "**no**" }
	}
	BEGIN {
		print "| reader | per page | processes | pages/s | p50 / p99 (ms) | server CPU per page (µs) | peak RSS (MiB) | system ÷ reader | target | met |"
		print "|---|---|---|---:|---:|---:|---:|---:|---|---|"
		does["Express reader"] = "LLEN + LRANGE, `JSON.parse` of each entry, `res.json`"
		does["lean Node reader"] = "one LRANGE, the stored strings joined into an array"
		does["minimal Spring MVC reader"] = "the lean reader'"'"'s work as one `@GetMapping` (Lettuce sync), on the system'"'"'s libraries and JVM: the framework'"'"'s floor"
	}
	FNR == NR {
		if ($1 == "live history") { raw_rate = $3; raw_p50 = $6; raw_p99 = $7; raw_cpu = $13; sys_rate = $4; sys_p50 = $8; sys_p99 = $9; sys_cpu = $14; sys_rss = $10 }
		next
	}
	{ peers[++n] = $0 }
	END {
		versus(raw_rate, "ratio >= 0.5")
		line("raw Redis (redis-benchmark)", "`LRANGE -100 -1`", "Redis", raw_rate, raw_p50, raw_p99, raw_cpu, "-", "ratio >= 0.5", RATIO, MET)
		for (i = 1; i <= n; i++) {
			split(peers[i], f, "\t")
			target = (f[2] != "1 process") ? "-" : (f[1] ~ /^Express/) ? "ratio >= 4" : "ratio >= 0.9"
			versus(f[3], target)
			line(f[1], does[f[1]], f[2], f[3], f[4], f[5], f[6], f[7], target, RATIO, MET)
		}
		line("the system (api-service on " jvm ")", "GET + HMGET + LLEN + LRANGE + LLEN pipelined (`read.lua` when they disagree), the stored bytes written as they are", "1 JVM", sys_rate, sys_p50, sys_p99, sys_cpu, sys_rss, "-", "-", "-")
		if (n > 0) printf "\nPeers: %s, from bench/peers/package-lock.json; the minimal Spring MVC reader on the system'"'"'s JVM and the libraries of its jar.\n", versions
	}' "$ROWS" "$PEERS"
}

# The live read from the API in open mode (no tokens) and in secure mode (a token per request).
format_modes() {
	awk -F'\t' '
	function num(v) { return v ~ /^[0-9.]+$/ }
	BEGIN {
		print "| API mode | token per request | pages/s | p50 / p99 (ms) | server CPU per page (µs) | API CPU per page (µs) |"
		print "|---|---|---:|---:|---:|---:|"
	}
	{ printf "| %s | %s | %s | %s / %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7; rate[$1] = $3; api[$1] = $7 }
	END {
		if (!num(rate["open"]) || !num(rate["secure"]) || rate["open"] == 0) { print "\nNot measured in both modes."; exit }
		r = rate["secure"] / rate["open"]
		c = (num(api["open"]) && num(api["secure"]) && api["secure"] > 0) ? sprintf("%.2f (%+.0f µs per page)", api["open"] / api["secure"], api["secure"] - api["open"]) : "-"
		printf "\nsecure ÷ open: pages/s **%.2f** (target: at most 10 %% lost, ≥ 0.90: %s); API CPU per page open ÷ secure %s.\n", r, (r >= 0.9) ? "met" : "**not met**", c
	}' "$MODES"
}

write_report() {
	local api_peak worker_peak date cpu machine load details
	api_peak=$(rss_mib "$API_PID") worker_peak=$(rss_mib "$WORKER_PID")
	date=$(date -u '+%Y-%m-%d %H:%M UTC')
	cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
	machine="$(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	{
		echo "# Session History benchmark: $MODE run"
		echo
		echo "$date on $machine; Redis $REDIS_VERSION, PostgreSQL $PG_VERSION; load average at the end $load."
		echo "Services on $JAVA_DESC with \`-Xmx256m${JAVA_FAST[*]:+ ${JAVA_FAST[*]}}\`."
		echo "Fixture: $SESSIONS sessions x $MESSAGES messages (about 220 bytes each) per set; $CONNECTIONS connections;" \
			"system runs ${DURATION}s after a warm-up of up to ${WARMUP_MAX}s (until the JIT settles); raw Redis runs $REDIS_REQUESTS requests." \
			"Large sessions (large archive pages, stall check): $BIG_MESSAGES messages with $BIG_BODY-byte bodies, pages of" \
			"limit=$PAGE_LIMIT cut by the page byte cap ($PAGE_MAX_BYTES bytes), $LARGE_CONNECTIONS connections, ${LARGE_DURATION}s after a warm-up of up to ${LARGE_WARMUP_MAX}s."
		echo
		format_table
		echo
		echo "Ratio = system rate / raw rate (for the rows \"live history vs\" a reader: system rate / that reader's rate)." \
			"Latencies are per request (wave: per session, end to archive;" \
			"lag: end → commit; stall check: PING, raw with Redis idle, system during the run). Peak RSS is VmHWM of each service during that workload; over the whole run: api $api_peak MiB, worker $worker_peak MiB."
		echo
		echo "Server CPU per op: the CPU time of Redis, PostgreSQL, both services and the reader under test during the run (from /proc) divided by the" \
			"operations; the load generators are not counted. CPU ratio = raw / system: the throughput ratio the servers" \
			"would reach if CPU alone bounded them, which holds better than the rates on a busy machine."
		echo
		echo "## Live history, reader by reader"
		echo
		echo "The same request (\`GET /sessions/{code}/history?limit=100\` of a random set-L session, wrk with 2 threads and" \
			"$CONNECTIONS connections, ${DURATION}s), the same fixture and the same Redis for every reader. Node runs JavaScript on" \
			"one thread, so \"1 process\" uses one core at most; a cluster of 2 workers can use both cores, as the JVM does." \
			"Peak RSS: of all the reader's processes."
		echo
		format_readers
		echo
		[ -z "${CACHE_INFO:-}" ] || echo "Cache in play for the archived read: $CACHE_INFO."
		if [ -s "$MODES" ]; then
			echo
			echo "## The cost of verification"
			echo
			echo "The live read above (a random set-L session, wrk with 2 threads and $CONNECTIONS connections, ${DURATION}s after its" \
				"warm-up) from the API in secure mode, each request with the read-only access token of its session (minted by the" \
				"API: \`POST /sessions/{code}/tokens\` as the admin; $SESSIONS distinct tokens of about" \
				"$(awk '{ n += length($0) } END { printf "%.0f", n / NR }' "$WORK/tokens_read.txt") characters), then the same" \
				"load without tokens from the same jar in open mode, on a port of its own, in this run. API CPU per page: the" \
				"API process alone (from /proc)."
			echo
			format_modes
		fi
		if [ -s "$GALLERY" ]; then
			echo
			echo "## The Session Gallery's list queries"
			echo
			echo "\`GET /admin/api/gallery/sessions\` (archives only: \`status=archived\`, pages of 100) with the admin's token," \
				"$GALLERY_CONNECTIONS connections for ${GALLERY_SECONDS}s each, after $GALLERY_ARCHIVES archives with" \
				"$((2 * GALLERY_ARCHIVES)) user rows were generated in PostgreSQL (bench/sql/gallery_fixture.sql: 90 days," \
				"50,000 owners, one participant each, each archived seconds after its end), then" \
				"\`GET /admin/api/gallery/overview\` as served (past days read again every 10 minutes, today every 5 seconds, Redis every second) and its" \
				"statement of the 30 days as the API reads them again, by pgbench with one client (the API runs it once at a time," \
				"in the background). The target: every query under 100 ms at p99."
			echo
			format_gallery
		fi
		details=$(awk -F'\t' '$12 != "" { printf "- %s: %s\n", $1, $12 }' "$ROWS")
		if [ -n "$details" ]; then printf '\nDetails:\n%s\n' "$details"; fi
		if [ ${#NOTES[@]} -gt 0 ]; then
			printf '\nWarnings:\n'
			printf -- '- %s\n' "${NOTES[@]}"
		fi
	} >"$WORK/latest.md"
	cp "$ROWS" "$WORK/latest.tsv"
	# The chart shows each workload against its raw datastore; the readers are in the table.
	grep -v '^live history vs ' "$ROWS" >"$WORK/chart.tsv" || true
	"$JDK_BIN/java" "$BENCH/Chart.java" "$WORK/chart.tsv" "$WORK/latest.png" "$MODE run, $date, $(nproc) cores" ||
		warn "the chart could not be drawn"
	cp "$WORK/latest.md" "$RESULTS/latest.md"
	[ ! -f "$WORK/latest.png" ] || cp "$WORK/latest.png" "$RESULTS/latest.png"
	echo
	cat "$WORK/latest.md"
	echo
}
