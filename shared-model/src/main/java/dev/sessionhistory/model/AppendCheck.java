package dev.sessionhistory.model;

/**
 * The caller's right to append, checked by {@code append.lua} before anything else, in
 * the same atomic step as the append: its {@code ARGV[11]}.
 *
 * @param argument the script argument: {@code ''} for no check, {@code user} for "the
 * appending user is the owner or a participant with {@code append}", or a decimal token
 * epoch for "a session access token minted at that epoch, not revoked since"
 */
public record AppendCheck(String argument) {

	/** No check: the caller may append to every instance (an admin, or open mode). */
	public static final AppendCheck NONE = new AppendCheck("");

	/** The appending user must be the instance's owner or a participant with {@code append}. */
	public static final AppendCheck USER = new AppendCheck("user");

	/** A session access token minted at {@code epoch}: refused once the instance's token epoch is above it. */
	public static AppendCheck token(long epoch) {
		if (epoch < 0) {
			throw new IllegalArgumentException("A token epoch is never negative, got " + epoch);
		}
		return new AppendCheck(Long.toString(epoch));
	}

}
