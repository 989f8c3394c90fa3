package dev.sessionhistory.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The keys and tokens of a secure API, made as {@code ./run.sh} makes them: by
 * {@code scripts/local-security.sh}, which generates (once, under {@code target/security/})
 * the session-token secret and the secret of a local identity provider signing user tokens
 * with HS256, and mints an admin token (scope {@code history:admin}) and a user token with
 * it.
 *
 * @param sessionTokenSecret {@code history.security.session-token.secret}
 * @param userTokenSecret {@code history.security.jwt.hmac-secret}
 * @param adminToken a token of user {@code local-admin}, an admin
 * @param userToken a token of user {@code local-user}
 */
record LocalSecurity(String sessionTokenSecret, String userTokenSecret, String adminToken, String userToken) {

	private static final String SCRIPT = """
			source scripts/servers.sh
			source scripts/local-security.sh
			local_security >&2
			printf '%s\\n' "$HISTORY_SECURITY_SESSION_TOKEN_SECRET" "$HISTORY_SECURITY_JWT_HMAC_SECRET" \\
				"$LOCAL_ADMIN_TOKEN" "$LOCAL_USER_TOKEN"
			""";

	private static LocalSecurity made;

	/** The keys of this machine's suite runs, made on first use, and tokens minted now. */
	static synchronized LocalSecurity get() {
		if (made == null) {
			made = make();
		}
		return made;
	}

	/** The API's arguments that configure it with these keys, in secure mode. */
	List<String> apiArgs() {
		return List.of("--history.security.mode=secure",
				"--history.security.session-token.secret=" + this.sessionTokenSecret,
				"--history.security.jwt.hmac-secret=" + this.userTokenSecret);
	}

	private static LocalSecurity make() {
		Path root = Path.of(System.getProperty("reliability.root", "..")).toAbsolutePath().normalize();
		Path state = Path.of("target", "security").toAbsolutePath();
		try {
			Files.createDirectories(state);
			ProcessBuilder builder = new ProcessBuilder("bash", "-c", SCRIPT).directory(root.toFile())
				.redirectError(ProcessBuilder.Redirect.INHERIT);
			Map<String, String> env = builder.environment();
			// Only this suite's keys: none that the environment may hold for another API.
			env.keySet().removeIf((name) -> name.startsWith("HISTORY_SECURITY_"));
			env.put("STATE_DIR", state.toString());
			Process process = builder.start();
			List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
				.toList();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || lines.size() != 4
					|| lines.stream().anyMatch(String::isEmpty)) {
				throw new IllegalStateException("scripts/local-security.sh made no keys and tokens (exit "
						+ (process.isAlive() ? "none" : process.exitValue()) + ", " + lines.size() + " lines)");
			}
			return new LocalSecurity(lines.get(0), lines.get(1), lines.get(2), lines.get(3));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
