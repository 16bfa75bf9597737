package io.wgmon.capture.pcap;

import io.wgmon.capture.PacketSourceException;
import jnr.ffi.LibraryLoader;

import java.util.List;

/**
 * Finds libpcap by the names distributions ship it under. Debian's {@code libpcap0.8} has only
 * the full soname {@code libpcap.so.0.8} (the bare {@code libpcap.so} comes with the -dev
 * package), so that is tried first; jnr-ffi's own lookup of {@code pcap} finds versioned
 * files too; Alpine and Fedora ship {@code libpcap.so.1}.
 */
final class LibpcapLoader {
    static final List<String> DEFAULT_NAMES = List.of("libpcap.so.0.8", "pcap", "libpcap.so.1");

    private LibpcapLoader() {
    }

    /** @throws PacketSourceException naming the packages to install when no name loads */
    static Libpcap load(List<String> names) {
        for (String name : names) {
            try {
                return LibraryLoader.create(Libpcap.class).failImmediately().load(name);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // try the next name; the message below lists them all
            }
        }
        throw new PacketSourceException(PcapStartErrors.libraryMissing(names));
    }
}
