package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.ReplyBudget;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/**
 * Parses the reply to a {@code WG_CMD_GET_DEVICE} dump: the payloads (genlmsghdr and attributes)
 * of its messages, in order, into one {@link Device}.
 *
 * <p>A large device spans several messages: the device attributes come in the first, and a peer
 * whose allowed IPs did not fit continues in the next message with only its public key and more
 * allowed IPs. Peers are merged by public key and keep the order of their first appearance.
 *
 * <p>Attributes are walked on the payload bytes with reused {@link AttributeDecoder}s; the first
 * malformed attribute ends the walk and fails the message. The private and preshared
 * keys are never read: their bytes are overwritten with zeros in the payload (when it is writable)
 * and nothing else is done with them. Unknown attributes and pad attributes (type 0) are skipped.
 * No message ever quotes a value. Peers and allowed IPs are counted against a {@link ReplyBudget}:
 * past it the walk stops and the message fails with TOO_LARGE (docs/architecture.md#wireguard). One
 * parser reads one reply, on one thread.
 */
public final class WireGuardGenlParser {
    private final String deviceName;
    private final AttributeDecoder deviceAttributes = new AttributeDecoder();
    private final AttributeDecoder peerList = new AttributeDecoder();
    private final AttributeDecoder peerAttributes = new AttributeDecoder();
    private final PeerAttributeDecoder peerAttributeDecoder;
    private final byte[] key = new byte[KEY_LENGTH];
    private final byte[] keyBase64 = new byte[44];

    private int messages;
    private String publicKey;
    private int listenPort;
    private int fwmark;
    private final PeersByKey<PeerDraft> peers = new PeersByKey<>();

    private final ReplyBudget budget;

    /** @param budget counts this reply's peers and allowed IPs (its bytes are the reader's to count) */
    public WireGuardGenlParser(String deviceName, ReplyBudget budget) {
        this.deviceName = deviceName;
        this.budget = budget;
        this.peerAttributeDecoder = new PeerAttributeDecoder(budget);
    }

    /** Parses a whole reply, given as the payloads of its messages in order, with the limits of this JVM's heap. */
    public static Device parse(String deviceName, List<ByteBuffer> payloads) throws WireGuardException {
        WireGuardGenlParser parser = new WireGuardGenlParser(deviceName,
                ReplyLimits.forThisHeap().budget(deviceName + ": WireGuard netlink reply"));
        for (ByteBuffer payload : payloads) {
            parser.feed(payload);
        }
        return parser.device();
    }

    /**
     * Takes the next message's payload, from its position to its limit. The secret key values
     * in it are zeroed (the position and limit are left as they were).
     *
     * @throws WireGuardException MALFORMED_REPLY when the payload is malformed; the message names
     *                            the interface, the message number and the problem, never a value
     */
    public void feed(ByteBuffer payload) throws WireGuardException {
        messages++;
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        if (in.remaining() < GENL_HEADER_LENGTH) {
            throw malformed("payload of " + in.remaining() + " bytes has no generic netlink header");
        }
        deviceAttributes.reset(in, in.position() + GENL_HEADER_LENGTH, in.limit());
        while (deviceAttributes.next()) {
            deviceAttribute(deviceAttributes);
        }
        if (budget.exceeded() != null) {
            throw budget.exceeded();
        }
        if (deviceAttributes.error() != null) {
            throw malformed(deviceAttributes.error());
        }
    }

    /** The device the messages fed so far describe. */
    public Device device() throws WireGuardException {
        if (messages == 0) {
            throw malformed("the reply has no device message");
        }
        List<Peer> built = new ArrayList<>(peers.size());
        for (PeerDraft peer : peers.inOrder()) {
            built.add(peer.build());
        }
        return new Device(deviceName, publicKey, listenPort, fwmark, built);
    }

    private void deviceAttribute(AttributeDecoder attribute) {
        switch (attribute.type()) {
            case DEVICE_A_IFINDEX -> attribute.requireLength(4, "device IFINDEX");
            case DEVICE_A_PRIVATE_KEY -> attribute.zeroValue();
            case DEVICE_A_PUBLIC_KEY -> publicKey = base64Key(attribute, "device PUBLIC_KEY");
            case DEVICE_A_FLAGS -> attribute.requireLength(4, "device FLAGS");
            case DEVICE_A_LISTEN_PORT -> {
                if (attribute.requireLength(2, "device LISTEN_PORT")) {
                    listenPort = attribute.uint16();
                }
            }
            case DEVICE_A_FWMARK -> {
                if (attribute.requireLength(4, "device FWMARK")) {
                    fwmark = attribute.uint32();
                }
            }
            case DEVICE_A_PEERS -> {
                peerList.enter(attribute);
                while (peerList.next()) {
                    peer(peerList);
                }
            }
            default -> {
                // IFNAME (the request named the device), pad (type 0) and attributes newer than this code
            }
        }
    }

    private void peer(AttributeDecoder nest) {
        boolean keyed = false;
        peerAttributes.enter(nest);
        while (!keyed && peerAttributes.next()) {
            if (peerAttributes.type() == PEER_A_PUBLIC_KEY) {
                keyed = readKey(peerAttributes, "peer PUBLIC_KEY");
            }
        }
        if (!keyed) {
            // a malformed attribute met on the way is the first problem, and stays it
            nest.fail("peer " + (peers.size() + 1) + " has no PUBLIC_KEY");
            return;
        }
        PeerDraft peer = draftOfKey();
        if (peer == null) {
            nest.fail("too many peers");
            return;
        }
        peerAttributes.enter(nest);
        while (peerAttributes.next()) {
            peerAttributeDecoder.peerAttribute(peerAttributes, peer);
        }
    }

    /**
     * The draft of the peer whose key {@link #readKey} read, new unless the key was met before
     * (a peer continued from the message before); null when a new one is over the budget.
     */
    private PeerDraft draftOfKey() {
        PeerDraft known = peers.find(key);
        if (known != null) {
            return known;
        }
        if (!budget.admitPeer()) {
            return null;
        }
        PeerDraft draft = new PeerDraft(base64Key(), key);
        peers.add(draft);
        return draft;
    }

    /** The key in base64, null (and an error recorded) when it is not 32 bytes. */
    private String base64Key(AttributeDecoder attribute, String name) {
        return readKey(attribute, name) ? base64Key() : null;
    }

    /** Copies the key into {@link #key}; false (and an error recorded) when it is not 32 bytes. */
    private boolean readKey(AttributeDecoder attribute, String name) {
        if (!attribute.requireLength(KEY_LENGTH, name)) {
            return false;
        }
        attribute.copy(0, key, KEY_LENGTH);
        return true;
    }

    /** {@link #key} in base64. */
    private String base64Key() {
        Base64.getEncoder().encode(key, keyBase64);
        return new String(keyBase64, StandardCharsets.ISO_8859_1);
    }

    private WireGuardException malformed(String problem) {
        return new WireGuardException(Reason.MALFORMED_REPLY, deviceName + ": malformed WireGuard netlink reply (message " + messages + "): "
                + problem);
    }
}
