package io.wgmon.netlink;

/**
 * One rtnetlink link notification: a link appeared or changed ({@code RTM_NEWLINK}) or went away
 * ({@code RTM_DELLINK}).
 *
 * @param name {@code IFLA_IFNAME}, null when the message has none
 * @param kind {@code IFLA_INFO_KIND} ("wireguard", "tun", "veth", ...), null when the link has none
 */
public record LinkChange(boolean deleted, int index, String name, String kind) {
}
