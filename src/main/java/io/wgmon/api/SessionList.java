package io.wgmon.api;

import java.util.List;

/** A page of sessions, newest start first; {@code next} is the cursor of the following page, null after the last. */
public record SessionList(List<SessionView> sessions, String next) {
}
