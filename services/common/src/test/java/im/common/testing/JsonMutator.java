package im.common.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of JSON request bodies: starts from a valid body and breaks it the ways a
 * broken or hostile client would (bytes flipped, cut, inserted, deleted; values of the wrong type;
 * absurd numbers; long strings; deep nesting; duplicate and unknown keys; invalid UTF-8). One
 * {@link SplittableRandom}: the seed replays a run.
 */
public final class JsonMutator {

    private static final String[] ODD_VALUES = {
        "null", "true", "false", "0", "-1", "1e999999", "-9223372036854775809", "9223372036854775808",
        "1.5", "\"\"", "[]", "{}", "[null]", "{\"a\":{}}", "\"\\u0000\"", "\"\\ud800\"", "NaN", "\"x\"",
        "18446744073709551616", "0x10", "\"" + "a".repeat(10_000) + "\"",
    };

    private static final String JSON_PUNCTUATION = "{}[]\",:\\0e-.";

    private final SplittableRandom random;

    public JsonMutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public byte[] mutate(String valid, List<String> keys) {
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        int rounds = 1 + random.nextInt(2);
        for (int i = 0; i < rounds; i++) {
            bytes = once(new String(bytes, StandardCharsets.ISO_8859_1), bytes, keys);
        }
        return bytes;
    }

    private byte[] once(String latin1, byte[] bytes, List<String> keys) {
        switch (random.nextInt(10)) {
            case 0: {
                byte[] out = bytes.clone();
                if (out.length > 0) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return out;
            }
            case 1:
                return Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
            case 2: {
                int at = random.nextInt(bytes.length + 1);
                byte[] extra = new byte[1 + random.nextInt(8)];
                for (int i = 0; i < extra.length; i++) {
                    extra[i] = (byte) (random.nextBoolean() ? JSON_PUNCTUATION.charAt(random.nextInt(JSON_PUNCTUATION.length())) : random.nextInt(256));
                }
                byte[] out = new byte[bytes.length + extra.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(bytes, at, out, at + extra.length, bytes.length - at);
                return out;
            }
            case 3: {
                if (bytes.length == 0) {
                    return bytes;
                }
                int from = random.nextInt(bytes.length);
                int count = 1 + random.nextInt(Math.min(8, bytes.length - from));
                byte[] out = new byte[bytes.length - count];
                System.arraycopy(bytes, 0, out, 0, from);
                System.arraycopy(bytes, from + count, out, from, bytes.length - from - count);
                return out;
            }
            case 4:
            case 5: {
                // a key's value replaced by a value of another type (or an absurd one)
                String key = keys.get(random.nextInt(keys.size()));
                String value = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
                return latin1.replaceFirst("(\"" + key + "\"\\s*:\\s*)(\"[^\"]*\"|[^,}\\]]*)",
                        java.util.regex.Matcher.quoteReplacement("$1") + value.replace("\\", "\\\\").replace("$", "\\$"))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            case 6: {
                int depth = 1 + random.nextInt(5000);
                return ("[".repeat(depth) + "]".repeat(random.nextInt(depth + 1))).getBytes(StandardCharsets.US_ASCII);
            }
            case 7: {
                String key = random.nextBoolean() ? keys.get(random.nextInt(keys.size())) : "unknown" + random.nextInt(100);
                String value = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
                return latin1.replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"" + key + "\":" + value + ","))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            case 8:
                return new byte[] {(byte) 0xC3, (byte) 0x28, '{', (byte) 0xFF, '}'};
            default:
                return ODD_VALUES[random.nextInt(ODD_VALUES.length)].getBytes(StandardCharsets.UTF_8);
        }
    }
}
