package io.wgmon.capture.nflog;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nf_tables netlink for wgmon's uses of the rules' sets: a set's default timeout (NFT_MSG_GETSET, its NEWSET
 * reply), flushing a set's elements (a batch with NFT_MSG_DELSETELEM naming no element), adding endpoints
 * with a timeout each (a batch with NFT_MSG_NEWSETELEM) and reading elements' timeouts and expirations
 * (NFT_MSG_GETSETELEM for one element or the whole set, its NEWSETELEM replies).
 */
final class NftSetMessages {
    static final int GET_SET_TYPE = (10 << 8) | 10;
    static final int NEW_SET_TYPE = (10 << 8) | 9;
    static final int DEL_SET_ELEM_TYPE = (10 << 8) | 14;
    static final int NEW_SET_ELEM_TYPE = (10 << 8) | 12;
    static final int GET_SET_ELEM_TYPE = (10 << 8) | 13;
    static final int BATCH_BEGIN_TYPE = 0x10;
    static final int BATCH_END_TYPE = 0x11;

    private static final int NLM_F_CREATE = 0x400;
    private static final int NFPROTO_UNSPEC = 0;
    private static final int NFPROTO_INET = 1;
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int NFGENMSG_LENGTH = 4;
    private static final int ATTR_TABLE = 1;
    private static final int ATTR_NAME = 2;
    private static final int ATTR_TIMEOUT = 11;
    private static final int ATTR_ELEM_LIST_ELEMENTS = 3;
    private static final int ATTR_LIST_ELEM = 1;
    private static final int ATTR_ELEM_KEY = 1;
    private static final int ATTR_ELEM_TIMEOUT = 4;
    private static final int ATTR_ELEM_EXPIRATION = 5;
    private static final int ATTR_DATA_VALUE = 1;
    private static final int IPV4_KEY_LENGTH = 4 + 4;
    private static final int IPV6_KEY_LENGTH = 16 + 4;

    private NftSetMessages() {
    }

    /** The body of a GETSET request for set {@code set} of table inet {@code table}. */
    static byte[] getSet(String table, String set) {
        return naming(table, set).toByteArray();
    }

    /** A body for set {@code set} of table inet {@code table}: nfgenmsg of family inet, then the table and the set. */
    private static AttributeWriter naming(String table, String set) {
        return new AttributeWriter().header(new byte[] {NFPROTO_INET, 0, 0, 0}).putString(ATTR_TABLE, table)
                .putString(ATTR_NAME, set);
    }

    /**
     * One datagram that flushes set {@code set} of table inet {@code table}: BATCH_BEGIN (res_id the nf_tables
     * subsystem, big-endian), DELSETELEM with the table and set and no NFTA_SET_ELEM_LIST_ELEMENTS (all elements),
     * BATCH_END. All three carry {@code sequence}, and only DELSETELEM asks for an acknowledgement: the kernel's
     * one answer, an acknowledgement or the errno of whichever message it refused (EPERM at BATCH_BEGIN, ENOENT
     * at DELSETELEM for a missing table or set), carries that sequence.
     */
    static byte[] flushSet(String table, String set, int sequence) {
        return batch(DEL_SET_ELEM_TYPE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, naming(table, set).toByteArray(),
                sequence);
    }

    /** An endpoint to add to a set, kept there for {@code timeout} (at least a millisecond). */
    record TimedEndpoint(InetSocketAddress endpoint, Duration timeout) {
    }

    /**
     * One datagram that adds {@code elements} to set {@code set} (type ipv4_addr . inet_service or ipv6_addr .
     * inet_service, by the endpoints' family) of table inet {@code table}, each with its own timeout: as
     * {@link #flushSet} but NEWSETELEM (NLM_F_CREATE, no NLM_F_EXCL: an element already there is no error; kernel 6.18
     * takes its new timeout) with
     * NFTA_SET_ELEM_LIST_ELEMENTS, each element its NFTA_SET_ELEM_TIMEOUT (milliseconds, big-endian) and its key
     * (the address, then the port big-endian padded to four bytes), as nft lays them out.
     */
    static byte[] addElements(String table, String set, List<TimedEndpoint> elements, int sequence) {
        AttributeWriter body = naming(table, set).beginNested(ATTR_ELEM_LIST_ELEMENTS);
        for (TimedEndpoint element : elements) {
            body.beginNested(ATTR_LIST_ELEM).putBe64(ATTR_ELEM_TIMEOUT, Math.max(1, element.timeout().toMillis()))
                    .beginNested(ATTR_ELEM_KEY).put(ATTR_DATA_VALUE, key(element.endpoint())).endNested().endNested();
        }
        return batch(NEW_SET_ELEM_TYPE, Netlink.NLM_F_REQUEST | NLM_F_CREATE | Netlink.NLM_F_ACK,
                body.endNested().toByteArray(), sequence);
    }

    /**
     * The body of a GETSETELEM request for {@code endpoint}'s element of set {@code set} of table inet {@code table}:
     * the table and the set, then NFTA_SET_ELEM_LIST_ELEMENTS with one element, its key as {@link #addElements} lays
     * it out, as nft 1.0.6 sends for {@code nft get element} (NLM_F_ACK; nft names the set before the table, the
     * kernel takes them by type). The kernel answers with a NEWSETELEM of the element, or ENOENT when the table, the
     * set or the element is missing.
     */
    static byte[] getElement(String table, String set, InetSocketAddress endpoint) {
        return naming(table, set).beginNested(ATTR_ELEM_LIST_ELEMENTS).beginNested(ATTR_LIST_ELEM)
                .beginNested(ATTR_ELEM_KEY).put(ATTR_DATA_VALUE, key(endpoint)).endNested().endNested().endNested()
                .toByteArray();
    }

    /**
     * The body of a GETSETELEM dump (NLM_F_DUMP) of every element of set {@code set} of table inet {@code table}, as
     * nft 1.0.6 sends for {@code nft list set}: the table and the set. The kernel answers with NEWSETELEM messages of
     * some elements each, or ENOENT when the table or the set is missing.
     */
    static byte[] dumpElements(String table, String set) {
        return naming(table, set).toByteArray();
    }

    /**
     * An element of a set of type ipv4_addr . inet_service or ipv6_addr . inet_service, as a NEWSETELEM reply
     * carries it.
     *
     * @param timeout    the element's own timeout; null when it has the set's default (the kernel leaves out
     *                   NFTA_SET_ELEM_TIMEOUT then, as for every element a rule's {@code update} adds)
     * @param expiration the time left before the element expires
     */
    record SetElement(InetSocketAddress endpoint, Duration timeout, Duration expiration) {

        /**
         * When the element was last added or refreshed: {@code now} minus its timeout ({@code setTimeout} when it has
         * none of its own) minus its expiration; never later than {@code now}.
         */
        Instant lastRefresh(Duration setTimeout, Instant now) {
            Duration since = (timeout == null ? setTimeout : timeout).minus(expiration);
            return since.isNegative() ? now : now.minus(since);
        }
    }

    /**
     * The elements of a NEWSETELEM reply (to a GETSETELEM or its dump) that have an expiration; none for another
     * message. Each NFTA_SET_ELEM_LIST_ELEMENTS entry: NFTA_SET_ELEM_KEY (NFTA_DATA_VALUE: the address, then the
     * port big-endian padded to four bytes), NFTA_SET_ELEM_TIMEOUT and NFTA_SET_ELEM_EXPIRATION (milliseconds,
     * big-endian). The walk stays within the message.
     *
     * @throws NetlinkException MALFORMED for a malformed attribute, an element without a key, a key of another
     *                          length or a negative time
     */
    static List<SetElement> elements(NetlinkMessage reply) {
        List<SetElement> elements = new ArrayList<>();
        if (reply.type() != NEW_SET_ELEM_TYPE) {
            return elements;
        }
        if (reply.payloadLength() < NFGENMSG_LENGTH) {
            throw NetlinkException.malformed("NEWSETELEM of " + reply.payloadLength() + " bytes, without its nfgenmsg");
        }
        AttributeDecoder attributes = AttributeDecoder.of(reply.payload().position(NFGENMSG_LENGTH));
        AttributeDecoder list = new AttributeDecoder();
        AttributeDecoder element = new AttributeDecoder();
        AttributeDecoder key = new AttributeDecoder();
        while (attributes.next()) {
            if (attributes.type() != ATTR_ELEM_LIST_ELEMENTS) {
                continue;
            }
            list.enter(attributes);
            while (list.next()) {
                if (list.type() == ATTR_LIST_ELEM) {
                    SetElement parsed = element(element.enter(list), key);
                    if (parsed != null) {
                        elements.add(parsed);
                    }
                }
            }
        }
        attributes.check();
        return elements;
    }

    /** The element {@code element} walks, null when it has no expiration or is malformed (recorded on the walk). */
    private static SetElement element(AttributeDecoder element, AttributeDecoder key) {
        InetSocketAddress endpoint = null;
        long timeout = -1;
        long expiration = -1;
        while (element.next()) {
            switch (element.type()) {
                case ATTR_ELEM_KEY -> {
                    key.enter(element);
                    while (key.next()) {
                        if (key.type() == ATTR_DATA_VALUE) {
                            endpoint = endpoint(key);
                        }
                    }
                }
                case ATTR_ELEM_TIMEOUT -> timeout = milliseconds(element, "NFTA_SET_ELEM_TIMEOUT");
                case ATTR_ELEM_EXPIRATION -> expiration = milliseconds(element, "NFTA_SET_ELEM_EXPIRATION");
                default -> {
                }
            }
        }
        if (element.error() != null) {
            return null;
        }
        if (endpoint == null) {
            element.fail("a set element without NFTA_SET_ELEM_KEY");
            return null;
        }
        if (expiration < 0) {
            return null;
        }
        return new SetElement(endpoint, timeout < 0 ? null : Duration.ofMillis(timeout), Duration.ofMillis(expiration));
    }

    /** The be64 milliseconds of the attribute {@code decoder} stands on; -1 (and an error) when malformed. */
    private static long milliseconds(AttributeDecoder decoder, String name) {
        if (!decoder.requireLength(8, name)) {
            return -1;
        }
        long milliseconds = decoder.be64();
        if (milliseconds < 0) {
            decoder.fail(name + " out of range: " + Long.toUnsignedString(milliseconds) + " ms");
        }
        return milliseconds;
    }

    /** The endpoint of the key NFTA_DATA_VALUE {@code value} stands on; null (and an error) for another length. */
    private static InetSocketAddress endpoint(AttributeDecoder value) {
        int length = value.length();
        if (length != IPV4_KEY_LENGTH && length != IPV6_KEY_LENGTH) {
            value.fail("a set element's key has " + length + " bytes, not an ipv4_addr . inet_service ("
                    + IPV4_KEY_LENGTH + ") or ipv6_addr . inet_service (" + IPV6_KEY_LENGTH + ") key");
            return null;
        }
        byte[] address = new byte[length - 4];
        value.copy(0, address, address.length);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), value.be16At(address.length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }

    /** One message of {@code type} between BATCH_BEGIN and BATCH_END, all three with {@code sequence}, in one datagram. */
    private static byte[] batch(int type, int flags, byte[] body, int sequence) {
        byte[] begin = NetlinkMessageCodec.encode(BATCH_BEGIN_TYPE, Netlink.NLM_F_REQUEST, sequence, 0,
                batchHeader());
        byte[] message = NetlinkMessageCodec.encode(type, flags, sequence, 0, body);
        byte[] end = NetlinkMessageCodec.encode(BATCH_END_TYPE, Netlink.NLM_F_REQUEST, sequence, 0, batchHeader());
        return ByteBuffer.allocate(begin.length + message.length + end.length).put(begin).put(message).put(end)
                .array();
    }

    private static byte[] key(InetSocketAddress endpoint) {
        byte[] address = endpoint.getAddress().getAddress();
        return ByteBuffer.allocate(address.length + 4).put(address).putShort((short) endpoint.getPort()).array();
    }

    /** nfgenmsg of a batch's BEGIN and END: family unspecified, version 0, res_id NFNL_SUBSYS_NFTABLES big-endian. */
    private static byte[] batchHeader() {
        return new byte[] {NFPROTO_UNSPEC, 0, 0, NFNL_SUBSYS_NFTABLES};
    }

    /** The set's default timeout from a NEWSET reply (milliseconds, big-endian); empty for a set without one. */
    static Optional<Duration> timeout(NetlinkMessage reply) {
        if (reply.type() != NEW_SET_TYPE || reply.payloadLength() < NFGENMSG_LENGTH) {
            return Optional.empty();
        }
        ByteBuffer payload = reply.payload();
        AttributeDecoder attributes = AttributeDecoder.of(payload.position(NFGENMSG_LENGTH));
        Optional<Duration> timeout = Optional.empty();
        while (attributes.next()) {
            if (attributes.type() == ATTR_TIMEOUT && attributes.requireLength(8, "NFTA_SET_TIMEOUT")) {
                timeout = Optional.of(Duration.ofMillis(attributes.be64()));
            }
        }
        return attributes.error() == null ? timeout : Optional.empty();
    }
}
