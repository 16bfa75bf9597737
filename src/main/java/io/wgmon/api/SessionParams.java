package io.wgmon.api;

/** The list endpoints' query parameters as sent, each null when absent; {@link SessionHistory} checks them. */
record SessionParams(String peer, String name, String interfaceName, String from, String to, String open,
                     String limit, String cursor) {
}
