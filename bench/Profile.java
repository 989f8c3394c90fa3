import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU time of a service goes, from a Java Flight Recorder file:
 * java Profile.java RECORDING.jfr [TOP]. Prints the methods with the most execution samples
 * on top of the stack (self), the methods found anywhere in the sampled stacks (total), and
 * the share of samples per broad area (JSON, Redis client, JDBC, HTTP server, ...). JDK only.
 */
public class Profile {

	/** Broad areas by package prefix, checked from the top of the stack down; first match wins. */
	static final String[][] AREAS = { { "tools.jackson", "JSON (Jackson)" }, { "com.fasterxml.jackson", "JSON (Jackson)" },
			{ "io.lettuce", "Redis client (Lettuce)" }, { "io.netty", "Redis client I/O (Netty)" },
			{ "org.postgresql", "PostgreSQL driver" }, { "com.zaxxer.hikari", "connection pool" },
			{ "io.micrometer", "metrics" }, { "org.apache.coyote", "HTTP server (Tomcat)" },
			{ "org.apache.tomcat", "HTTP server (Tomcat)" }, { "org.apache.catalina", "HTTP server (Tomcat)" },
			{ "org.springframework", "Spring" }, { "dev.sessionhistory", "the service's own code" },
			{ "sun.nio", "socket I/O" }, { "java.", "JDK" }, { "jdk.", "JDK" }, { "sun.", "JDK" } };

	public static void main(String[] args) throws Exception {
		int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> total = new HashMap<>();
		Map<String, Integer> areas = new HashMap<>();
		Map<String, Integer> gc = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			String type = event.getEventType().getName();
			if (type.equals("jdk.GarbageCollection")) {
				gc.merge(event.getString("name"), (int) event.getDuration().toMillis(), Integer::sum);
				gc.merge("(collections)", 1, Integer::sum);
				continue;
			}
			if (!type.equals("jdk.ExecutionSample")) {
				continue;
			}
			RecordedStackTrace stack = event.getStackTrace();
			if (stack == null || stack.getFrames().isEmpty()) {
				continue;
			}
			samples++;
			List<RecordedFrame> frames = stack.getFrames();
			self.merge(name(frames.get(0)), 1, Integer::sum);
			Set<String> seen = new HashSet<>();
			for (RecordedFrame frame : frames) {
				String name = name(frame);
				if (seen.add(name)) {
					total.merge(name, 1, Integer::sum);
				}
			}
			areas.merge(area(frames), 1, Integer::sum);
		}
		System.out.printf("%d execution samples in %s%n", samples, args[0]);
		print("By area (the first recognised frame from the top of the stack)", areas, samples, top);
		print("Self (top of stack)", self, samples, top);
		print("Total (anywhere in the stack)", total, samples, top);
		if (!gc.isEmpty()) {
			System.out.println();
			System.out.println("Garbage collection: " + gc);
		}
	}

	static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	static String area(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			for (String[] area : AREAS) {
				if (type.startsWith(area[0]) && !type.startsWith("java.lang.Thread")) {
					if (area[1].equals("JDK")) {
						break;
					}
					return area[1];
				}
			}
		}
		String type = frames.get(0).getMethod().getType().getName();
		return type.startsWith("java.lang.String") || type.startsWith("java.util") ? "JDK (strings, collections)"
				: "JDK (other)";
	}

	static void print(String title, Map<String, Integer> counts, int samples, int top) {
		System.out.println();
		System.out.println(title + ":");
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(top)
			.forEach((e) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
	}

}
