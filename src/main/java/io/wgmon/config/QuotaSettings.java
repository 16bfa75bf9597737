package io.wgmon.config;

import io.wgmon.tracking.QuotaPeriod;
import io.wgmon.tracking.QuotaRule;
import io.wgmon.tracking.QuotaRules;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code wgmon.quota.<peer>.*} as {@link QuotaRules}; a bad value is one line naming its key. */
public final class QuotaSettings {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*([kmgtp]?)(i?)b?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "kmgtp";

    private QuotaSettings() {
    }

    /** @throws IllegalArgumentException one line: the key, its value, what is wrong */
    public static QuotaRules of(Map<String, WgmonConfig.Quota> quota) {
        Map<String, QuotaRule> rules = new HashMap<>();
        quota.forEach((peer, settings) -> {
            String prefix = "wgmon.quota." + (peer.contains(".") ? "\"" + peer + "\"" : peer) + ".";
            long limit = bytes(prefix + "limit", settings.limit());
            QuotaPeriod period;
            try {
                period = QuotaPeriod.valueOf(settings.period().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "period=" + settings.period()
                        + " is not day, week or month");
            }
            try {
                rules.put(peer, new QuotaRule(limit, period, settings.thresholds()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "thresholds=" + settings.thresholds() + ": " + e.getMessage());
            }
        });
        return new QuotaRules(rules);
    }

    /** {@code 100GB} (powers of 1000), {@code 100GiB} (powers of 1024), or plain bytes. */
    static long bytes(String key, String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + "=" + value + " is not a size (e.g. 100GB, 500MiB, 1TB)");
        }
        BigInteger unit = BigInteger.valueOf(m.group(3).isEmpty() ? 1000 : 1024)
                .pow(UNITS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1);
        BigInteger bytes = new BigInteger(m.group(1)).multiply(m.group(2).isEmpty() ? BigInteger.ONE : unit);
        if (bytes.signum() <= 0 || bytes.compareTo(BigInteger.valueOf(QuotaRule.MAX_LIMIT)) > 0) {
            throw new IllegalArgumentException(key + "=" + value + " is not between 1 byte and "
                    + QuotaRule.MAX_LIMIT + " bytes");
        }
        return bytes.longValue();
    }
}
