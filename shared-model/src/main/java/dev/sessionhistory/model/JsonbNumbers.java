package dev.sessionhistory.model;

/**
 * The numbers of {@link StoredEntries}: JSON numbers within the range of PostgreSQL's
 * {@code numeric}, which {@code jsonb} stores them as. The limits were measured against
 * PostgreSQL 15's {@code jsonb} input and follow its {@code numeric_in}.
 */
final class JsonbNumbers {

	// PostgreSQL's numeric_in: an exponent of INT_MAX / 2 or more either way is refused
	// outright (PostgreSQL 16 still takes exactly INT_MAX / 2; the stricter rule fits both).
	private static final long MAX_EXPONENT = Integer.MAX_VALUE / 2 - 1;

	// numeric's display scale (digits after the decimal point, as written) is at most 16383.
	private static final long MAX_SCALE = 16383;

	// numeric's weight is at most 32767 base-10000 digits: the leading digit stands for at
	// most 10^131071, so a value has at most 131072 digits before the decimal point.
	private static final long MAX_LEADING_POWER = 131071;

	private JsonbNumbers() {
	}

	/**
	 * A number from i; the index after it, or -1 when it is malformed or beyond
	 * {@code numeric} (see {@link StoredEntries#isStorableNumber}).
	 */
	static int scan(byte[] b, int i, int end) {
		if (b[i] == '-') {
			i++;
		}
		if (i >= end || b[i] < '0' || b[i] > '9') {
			return -1;
		}
		// JSON has no leading zeros, so a whole part other than 0 starts with its leading digit.
		boolean zeroWhole = b[i] == '0';
		int wholeStart = i++;
		if (!zeroWhole) {
			while (i < end && b[i] >= '0' && b[i] <= '9') {
				i++;
			}
		}
		int wholeDigits = i - wholeStart;
		int fractionDigits = 0;
		int leadingFractionZeros = -1; // -1 until a nonzero fraction digit shows
		if (i < end && b[i] == '.') {
			int fractionStart = ++i;
			while (i < end && b[i] >= '0' && b[i] <= '9') {
				if (leadingFractionZeros < 0 && b[i] != '0') {
					leadingFractionZeros = i - fractionStart;
				}
				i++;
			}
			fractionDigits = i - fractionStart;
			if (fractionDigits == 0) {
				return -1;
			}
		}
		long exponent = 0;
		if (i < end && (b[i] == 'e' || b[i] == 'E')) {
			i++;
			boolean negative = i < end && b[i] == '-';
			if (i < end && (b[i] == '-' || b[i] == '+')) {
				i++;
			}
			int exponentStart = i;
			while (i < end && b[i] >= '0' && b[i] <= '9') {
				// Saturates past the limit, so no exponent overflows however many digits it has.
				if (exponent <= MAX_EXPONENT) {
					exponent = exponent * 10 + (b[i] - '0');
				}
				i++;
			}
			if (i == exponentStart) {
				return -1;
			}
			if (negative) {
				exponent = -exponent;
			}
		}
		if (exponent > MAX_EXPONENT || exponent < -MAX_EXPONENT || fractionDigits - exponent > MAX_SCALE) {
			return -1;
		}
		long leadingPower;
		if (!zeroWhole) {
			leadingPower = wholeDigits - 1 + exponent;
		}
		else if (leadingFractionZeros >= 0) {
			leadingPower = exponent - leadingFractionZeros - 1;
		}
		else {
			return i; // zero
		}
		return (leadingPower <= MAX_LEADING_POWER) ? i : -1;
	}

}
