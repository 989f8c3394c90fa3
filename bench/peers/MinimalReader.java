import java.util.List;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The framework's floor for the live history read: the lean Node reader's work (one
 * {@code LRANGE} of the last N entries, written as stored, joined into a JSON array) as a
 * minimal Spring MVC endpoint on Tomcat, with Lettuce's synchronous API, on the libraries
 * and the JVM of api-service. The system does more per page (its instance, status and total,
 * a check of every entry, five pipelined commands), so it cannot be faster than this; how
 * close it comes says what its own code costs.
 * <p>
 * Settings (system properties or arguments, as for any Spring Boot application):
 * {@code server.port}, {@code reader.redis-url}, {@code reader.key-prefix},
 * {@code reader.session-id} (the one session id of the fixture's set L).
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
		DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
		HttpMessageConvertersAutoConfiguration.class, HttpEncodingAutoConfiguration.class,
		ErrorMvcAutoConfiguration.class })
public class MinimalReader {

	public static void main(String[] args) {
		SpringApplication.run(MinimalReader.class, args);
		System.out.println("listening");
	}

	@RestController
	static class HistoryEndpoint {

		private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

		private final RedisCommands<byte[], byte[]> redis;

		private final String prefix;

		private final String sessionId;

		HistoryEndpoint(org.springframework.core.env.Environment environment) {
			this.redis = RedisClient.create(environment.getRequiredProperty("reader.redis-url"))
				.connect(ByteArrayCodec.INSTANCE)
				.sync();
			this.prefix = environment.getRequiredProperty("reader.key-prefix");
			this.sessionId = environment.getRequiredProperty("reader.session-id");
		}

		@GetMapping("/sessions/{code}/history")
		ResponseEntity<byte[]> history(@PathVariable String code, @RequestParam(required = false) String limit) {
			int n = (limit == null) ? 100 : parseLimit(limit);
			if (!CODE.matcher(code).matches() || n < 1) {
				return ResponseEntity.badRequest().build();
			}
			byte[] key = (this.prefix + ":{" + code + "}:" + this.sessionId + ":msgs").getBytes();
			List<byte[]> entries = this.redis.lrange(key, -n, -1);
			if (entries.isEmpty()) {
				return ResponseEntity.notFound().build();
			}
			int length = 1 + entries.size();
			for (byte[] entry : entries) {
				length += entry.length;
			}
			byte[] page = new byte[length];
			int at = 0;
			byte separator = '[';
			for (byte[] entry : entries) {
				page[at++] = separator;
				separator = ',';
				System.arraycopy(entry, 0, page, at, entry.length);
				at += entry.length;
			}
			page[at] = ']';
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
		}

		private static int parseLimit(String text) {
			try {
				int n = Integer.parseInt(text);
				return (n <= 1000) ? n : -1;
			}
			catch (NumberFormatException ex) {
				return -1;
			}
		}

	}

}
