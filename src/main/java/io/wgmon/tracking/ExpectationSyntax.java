package io.wgmon.tracking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words that mark a peer in a names file (docs/architecture.md#expectations): {@code always-on},
 * {@code grace=<n>s|m|h|d} and {@code roaming}, separated by spaces or commas, e.g.
 * {@code always-on grace=10m}. A grace without a unit or an unknown word is a problem; what parsed is kept.
 */
public final class ExpectationSyntax {
    private static final Pattern KEY_LIKE = Pattern.compile("[A-Za-z0-9+/]{40}");
    private static final Pattern GRACE = Pattern.compile("grace=(\\d{1,9})([smhd])");

    /**
     * @param expectation its grace is null where none was given (the configured default applies)
     * @param problem     null, or what was wrong, for one WARN line
     */
    public record Parsed(Expectation expectation, String problem) {
    }

    private ExpectationSyntax() {
    }

    public static Parsed parse(String text) {
        boolean alwaysOn = false;
        boolean roaming = false;
        Duration grace = null;
        List<String> unknown = new ArrayList<>();
        for (String word : text.strip().split("[\\s,]+")) {
            String w = word.toLowerCase(Locale.ROOT);
            Matcher m;
            if (w.isEmpty()) {
                continue;
            } else if (w.equals("always-on")) {
                alwaysOn = true;
            } else if (w.equals("roaming")) {
                roaming = true;
            } else if ((m = GRACE.matcher(w)).matches() && Long.parseLong(m.group(1)) > 0) {
                grace = duration(Long.parseLong(m.group(1)), m.group(2));
            } else {
                unknown.add(shown(word));
            }
        }
        List<String> problems = new ArrayList<>();
        if (!unknown.isEmpty()) {
            problems.add("unknown " + String.join(", ", unknown) + " (expected always-on, grace=<number>s|m|h|d, roaming)");
        }
        if (grace != null && !alwaysOn) {
            problems.add("a grace without always-on is ignored");
        }
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        return new Parsed(new Expectation(alwaysOn, alwaysOn ? grace : Duration.ZERO, roaming), problem);
    }

    /** A word as a WARN may show it: never a key (a private key pasted in the wrong place), never long. */
    private static String shown(String word) {
        if (KEY_LIKE.matcher(word).find()) {
            return "<a key>";
        }
        return "'" + (word.length() > 24 ? word.substring(0, 24) + "…" : word) + "'";
    }

    private static Duration duration(long amount, String unit) {
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
