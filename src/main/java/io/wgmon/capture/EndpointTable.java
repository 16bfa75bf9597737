package io.wgmon.capture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The endpoints (address and port) a packet parser has read, each made once: a packet from an endpoint seen
 * before allocates none, so a connected peer's handshakes and the interface's own address cost no objects
 * (docs/architecture.md#capture). Open addressing over the raw address bytes and the port, looked up without
 * allocating. Bounded: once {@link #CAPACITY} endpoints are held it starts afresh, so a flood of forged sources
 * costs what it cost before (an address and an endpoint per packet) and no memory. One thread only.
 */
public final class EndpointTable {
    static final int CAPACITY = 4096;
    private static final int SLOTS = CAPACITY * 2;

    /** Per slot: the address bytes followed by the port's two bytes; null when free. */
    private final byte[][] keys = new byte[SLOTS][];
    private final InetSocketAddress[] endpoints = new InetSocketAddress[SLOTS];
    private int size;

    /**
     * The endpoint of the {@code length}-byte address at {@code offset} of {@code packet} (absolute) and
     * {@code port}: the one made before for the same bytes and port, else a new one.
     */
    public InetSocketAddress at(ByteBuffer packet, int offset, int length, int port) {
        int slot = hash(packet, offset, length, port) & (SLOTS - 1);
        while (keys[slot] != null) {
            if (matches(keys[slot], packet, offset, length, port)) {
                return endpoints[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        if (size >= CAPACITY) {
            Arrays.fill(keys, null);
            Arrays.fill(endpoints, null);
            size = 0;
            slot = hash(packet, offset, length, port) & (SLOTS - 1);
        }
        byte[] key = new byte[length + 2];
        packet.get(offset, key, 0, length);
        key[length] = (byte) (port >>> 8);
        key[length + 1] = (byte) port;
        InetSocketAddress endpoint = new InetSocketAddress(address(Arrays.copyOf(key, length)), port);
        keys[slot] = key;
        endpoints[slot] = endpoint;
        size++;
        return endpoint;
    }

    int size() {
        return size;
    }

    private static int hash(ByteBuffer packet, int offset, int length, int port) {
        int hash = port;
        for (int i = 0; i < length; i++) {
            hash = hash * 31 + packet.get(offset + i);
        }
        return hash ^ (hash >>> 16);
    }

    private static boolean matches(byte[] key, ByteBuffer packet, int offset, int length, int port) {
        if (key.length != length + 2 || key[length] != (byte) (port >>> 8) || key[length + 1] != (byte) port) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != packet.get(offset + i)) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("address of length " + bytes.length, impossible);
        }
    }
}
