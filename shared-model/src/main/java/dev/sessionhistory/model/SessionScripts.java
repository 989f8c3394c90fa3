package dev.sessionhistory.model;

import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the layout, one per atomic operation. Each script's header lists its
 * KEYS and ARGV; the scripts are resources next to this class, so foreign writers can load
 * the very same files.
 */
public final class SessionScripts {

	/** Creates an instance: 'OK', 'LIVE' or 'PENDING'. */
	public static final RedisScript<String> CREATE = script("create.lua", String.class);

	/** Appends a message: {'CREATED', json}, {'DUPLICATE', json}, {'ENDED'}, {'FULL'}, {'UNKNOWN'}. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> APPEND = script("append.lua", List.class);

	/** Ends an instance: 'ENDED', 'ALREADY' or 'UNKNOWN'. */
	public static final RedisScript<String> END = script("end.lua", String.class);

	/** Reads one page of an instance's history. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> READ = script("read.lua", List.class);

	/** Claims an ended instance for archiving and returns its meta and messages. */
	@SuppressWarnings("rawtypes")
	public static final RedisScript<List> CLAIM = script("claim.lua", List.class);

	/** Deletes an archived instance's data: 1, or 0 when the instance is live. */
	public static final RedisScript<Long> PURGE = script("purge.lua", Long.class);

	private SessionScripts() {
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return RedisScript.of(new ClassPathResource(name, SessionScripts.class), resultType);
	}

}
