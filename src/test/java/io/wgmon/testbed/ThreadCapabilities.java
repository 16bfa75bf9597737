package io.wgmon.testbed;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Drops a capability from the calling thread only (capset(2) is per thread on Linux). */
public final class ThreadCapabilities {
    private static final int VERSION_3 = 0x20080522;

    public interface Caps {
        int capget(@In byte[] header, @Out byte[] data);

        int capset(@In byte[] header, @In byte[] data);
    }

    private ThreadCapabilities() {
    }

    public static void dropEffective(int capability) {
        Caps caps = LibraryLoader.create(Caps.class).load("c");
        byte[] header = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(VERSION_3).putInt(0).array();
        byte[] data = new byte[24];
        if (caps.capget(header, data) != 0) {
            throw new IllegalStateException("capget failed");
        }
        ByteBuffer sets = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int word = capability / 32 * 12;
        sets.putInt(word, sets.getInt(word) & ~(1 << (capability % 32)));
        if (caps.capset(header, data) != 0) {
            throw new IllegalStateException("capset failed");
        }
    }
}
