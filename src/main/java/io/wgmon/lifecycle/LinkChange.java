package io.wgmon.lifecycle;

/**
 * One rtnetlink link notification: a link appeared or changed ({@code RTM_NEWLINK}) or went away
 * ({@code RTM_DELLINK}).
 *
 * @param kind {@code IFLA_INFO_KIND} ("wireguard", "tun", "veth", ...), null when the link has none
 */
public record LinkChange(boolean deleted, int index, String name, String kind) {
}
