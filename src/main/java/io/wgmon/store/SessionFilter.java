package io.wgmon.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which sessions a page holds: every present filter must match; {@code from}/{@code to} select sessions
 * overlapping [from, to) (an open session reaches to now and on); newest start first, {@code limit} rows
 * after {@code after}.
 */
public record SessionFilter(Optional<String> publicKey, Optional<String> name, Optional<String> interfaceName,
                            Optional<Instant> from, Optional<Instant> to, boolean openOnly, int limit,
                            Optional<SessionCursor> after) {
}
