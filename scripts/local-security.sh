# Keys and tokens for running Session History on one machine, sourced by run.sh:
#   local_security   unless the environment configures security itself, makes (once) the
#                    keys of this machine under $STATE_DIR/security.env and exports them for
#                    the API: the session-token secret and the secret of a local "identity
#                    provider" that signs user tokens with HS256; then mints tokens with it:
#                    LOCAL_ADMIN_TOKEN (scope history:admin) and LOCAL_USER_TOKEN (user
#                    "local-user"), valid for 30 days.
# Nothing here is for production: there, tokens come from the identity provider (README,
# "Security").

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# An HS256 JWT of user SUB, with SCOPE if given, signed with SECRET (its raw text).
mint_user_token() { # secret sub [scope]
	local header payload now signature
	now=$(date +%s)
	header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
	payload=$(printf '{"sub":"%s","iat":%d,"exp":%d%s}' "$2" "$now" $((now + 30 * 24 * 3600)) \
		"${3:+,\"scope\":\"$3\"}" | b64url)
	signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$1" -binary | b64url)
	printf '%s.%s.%s' "$header" "$payload" "$signature"
}

local_security() {
	LOCAL_ADMIN_TOKEN="" LOCAL_USER_TOKEN=""
	if [ "${HISTORY_SECURITY_MODE:-secure}" = open ]; then
		log "warning: HISTORY_SECURITY_MODE=open: anyone who reaches the API may read, append to and end any session"
		return 0
	fi
	if [ -n "${HISTORY_SECURITY_SESSION_TOKEN_SECRET:-}" ]; then
		return 0 # configured by the environment: its identity provider, its tokens
	fi
	command -v openssl >/dev/null || install_packages openssl
	local env_file=$STATE_DIR/security.env
	if [ ! -f "$env_file" ]; then
		(umask 077 && printf 'HISTORY_SECURITY_SESSION_TOKEN_SECRET=%s\nLOCAL_USER_TOKEN_SECRET=%s\n' \
			"$(openssl rand -hex 32)" "$(openssl rand -hex 32)" >"$env_file")
		log "Made this machine's keys in $env_file"
	fi
	# shellcheck disable=SC1090
	source "$env_file"
	export HISTORY_SECURITY_MODE=secure HISTORY_SECURITY_SESSION_TOKEN_SECRET
	export HISTORY_SECURITY_JWT_HMAC_SECRET=$LOCAL_USER_TOKEN_SECRET
	LOCAL_ADMIN_TOKEN=$(mint_user_token "$LOCAL_USER_TOKEN_SECRET" local-admin history:admin)
	LOCAL_USER_TOKEN=$(mint_user_token "$LOCAL_USER_TOKEN_SECRET" local-user)
}
