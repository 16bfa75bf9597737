package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.wireguard.AllowedIpFormatter;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/**
 * Decodes one {FAMILY, IPADDR, CIDR_MASK} allowed-IP nest of a kernel reply, with a reused
 * {@link AttributeDecoder} and address buffer. One decoder serves one parser, on one thread.
 */
final class AllowedIpDecoder {
    private final AttributeDecoder allowedIpAttributes = new AttributeDecoder();
    private final byte[] address = new byte[16];
    private final AllowedIpFormatter allowedIpText = new AllowedIpFormatter();

    /**
     * The nest as {@code wg show} prints it, e.g. "fd00::/64"; null (and an error recorded) when
     * it is malformed.
     */
    String allowedIp(AttributeDecoder nest) {
        int family = -1;
        int addressLength = -1;
        int mask = -1;
        allowedIpAttributes.enter(nest);
        while (allowedIpAttributes.next()) {
            switch (allowedIpAttributes.type()) {
                case ALLOWEDIP_A_FAMILY -> {
                    if (allowedIpAttributes.requireLength(2, "allowed IP FAMILY")) {
                        family = allowedIpAttributes.uint16();
                    }
                }
                case ALLOWEDIP_A_IPADDR -> {
                    addressLength = allowedIpAttributes.length();
                    if (addressLength == 4 || addressLength == 16) {
                        allowedIpAttributes.copy(0, address, addressLength);
                    }
                }
                case ALLOWEDIP_A_CIDR_MASK -> {
                    if (allowedIpAttributes.requireLength(1, "allowed IP CIDR_MASK")) {
                        mask = allowedIpAttributes.uint8();
                    }
                }
                default -> {
                }
            }
        }
        if (allowedIpAttributes.error() != null) {
            return null;
        }
        if (family == AF_INET && addressLength == 4 && mask >= 0 && mask <= 32
                || family == AF_INET6 && addressLength == 16 && mask >= 0 && mask <= 128) {
            return allowedIpText.format(address, addressLength, mask);
        }
        nest.fail("allowed IP has family " + family + ", a " + addressLength
                + "-byte address and mask " + mask + ", expected AF_INET with 4 bytes and mask 0-32"
                + " or AF_INET6 with 16 bytes and mask 0-128");
        return null;
    }
}
