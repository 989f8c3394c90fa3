package dev.sessionhistory.api.gallery;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes stored messages on one line each, for NDJSON: a line break in a stored message
 * (possible only in a foreign writer's entry, as whitespace between its tokens: JSON has
 * none inside a string, and no UTF-8 sequence contains the byte) is written as a space, so
 * the message's JSON value stays the same. Messages without one, which is all this system
 * writes, pass through unchanged.
 */
final class OneLine extends FilterOutputStream {

	OneLine(OutputStream out) {
		super(out);
	}

	@Override
	public void write(int b) throws IOException {
		this.out.write((b == '\n' || b == '\r') ? ' ' : b);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (bytes[i] == '\n' || bytes[i] == '\r') {
				byte[] copy = new byte[length];
				System.arraycopy(bytes, offset, copy, 0, length);
				for (int j = i - offset; j < length; j++) {
					if (copy[j] == '\n' || copy[j] == '\r') {
						copy[j] = ' ';
					}
				}
				this.out.write(copy, 0, length);
				return;
			}
		}
		this.out.write(bytes, offset, length);
	}

}
