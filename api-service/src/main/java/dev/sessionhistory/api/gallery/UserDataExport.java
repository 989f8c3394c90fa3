package dev.sessionhistory.api.gallery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import dev.sessionhistory.api.erasure.UserErasures;
import dev.sessionhistory.api.erasure.UserErasures.UserInstance;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.model.MessageJson;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Writes everything of one user as NDJSON, as it reads it (one history page in memory at a
 * time): a first line naming the user, then for each instance the user owns or took part
 * in a {@code session} line and its {@code message} lines (all of an owned instance's
 * messages, the user's own in the others), each message exactly as stored (a line break
 * in a foreign writer's entry written as a space, {@link OneLine}). What a user's erasure
 * ({@link UserErasures}) would erase, so it can be handed over first. The lines are built by
 * hand because the messages go in as their stored bytes, never parsed.
 */
@Component
class UserDataExport {

	static final String MEDIA_TYPE = "application/x-ndjson";

	private final UserErasures users;

	private final Clock clock;

	UserDataExport(UserErasures users, Clock clock) {
		this.users = users;
		this.clock = clock;
	}

	void export(String userId, HttpServletResponse response) throws IOException {
		List<UserInstance> instances = this.users.instancesOf(userId);
		response.setContentType(MEDIA_TYPE);
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				ContentDisposition.attachment().filename("user-data.ndjson").build().toString());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.flushBuffer();
		OutputStream out = new BufferedOutputStream(response.getOutputStream(), SessionExport.BUFFER_BYTES);
		OutputStream messages = new OneLine(out);
		StringBuilder head = new StringBuilder("{\"type\":\"user\",\"userId\":");
		MessageJson.quote(head, userId);
		line(out, head.append(",\"exportedAt\":\"").append(this.clock.instant()).append("\",\"sessions\":")
			.append(instances.size()).append('}'));
		try {
			for (UserInstance instance : instances) {
				String ids = "\"code\":\"" + instance.code() + "\",\"sessionId\":\"" + instance.sessionId() + "\"";
				line(out, new StringBuilder("{\"type\":\"session\",").append(ids)
					.append(",\"role\":\"")
					.append(instance.owned() ? "owner" : "participant")
					.append("\",\"where\":\"")
					.append(instance.where())
					.append("\"}"));
				byte[] prefix = ("{\"type\":\"message\"," + ids + ",\"seq\":").getBytes(StandardCharsets.US_ASCII);
				try {
					this.users.messagesOf(instance, userId, (seq, message) -> {
						try {
							out.write(prefix);
							out.write(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
							out.write(",\"message\":".getBytes(StandardCharsets.US_ASCII));
							messages.write(message);
							out.write("}\n".getBytes(StandardCharsets.US_ASCII));
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
					});
				}
				catch (SessionNotFoundException ex) {
					// erased or past its retention since the list was read: nothing of it to hand over
				}
			}
			out.flush();
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		catch (RuntimeException ex) {
			throw new IOException("The export of a user's data failed part way", ex);
		}
	}

	private static void line(OutputStream out, StringBuilder json) throws IOException {
		out.write(json.append('\n').toString().getBytes(StandardCharsets.UTF_8));
	}

}
