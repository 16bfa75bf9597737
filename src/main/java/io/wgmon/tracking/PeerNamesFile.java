package io.wgmon.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Friendly names read from a file: either a wg-quick configuration where a
 * {@code # friendly_name = alice} comment stands above or inside a {@code [Peer]} section (the
 * convention of prometheus_wireguard_exporter), or lines of {@code <public key>=<name>}. Any
 * private or preshared key in the file is read past, never kept.
 */
public final class PeerNamesFile {
    private static final Pattern FRIENDLY = Pattern.compile("#\\s*friendly_name\\s*=\\s*(.+?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PUBLIC_KEY = Pattern.compile("PublicKey\\s*=\\s*([A-Za-z0-9+/]{43}=)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_NAME = Pattern.compile("([A-Za-z0-9+/]{43}=)\\s*=\\s*(.+?)\\s*");

    private PeerNamesFile() {
    }

    public static PeerNames load(Path file) throws IOException {
        Map<String, String> names = parse(Files.readAllLines(file));
        return key -> names.get(key.publicKey());
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> names = new HashMap<>();
        String pending = null;
        boolean inPeer = false;
        String sectionKey = null;
        String sectionName = null;
        for (String raw : lines) {
            String line = raw.strip();
            Matcher m;
            if (line.startsWith("[")) {
                inPeer = line.equalsIgnoreCase("[Peer]");
                sectionKey = null;
                sectionName = inPeer ? pending : null;
                pending = null;
            } else if ((m = FRIENDLY.matcher(line)).matches()) {
                // inside a [Peer] before its key: that peer; otherwise: the next [Peer]
                if (inPeer && sectionKey == null) {
                    sectionName = m.group(1);
                } else {
                    pending = m.group(1);
                }
            } else if (inPeer && (m = PUBLIC_KEY.matcher(line)).matches()) {
                sectionKey = m.group(1);
                if (sectionName != null) {
                    names.put(sectionKey, sectionName);
                }
            } else if ((m = KEY_NAME.matcher(line)).matches()) {
                names.put(m.group(1), m.group(2));
            }
        }
        return Map.copyOf(names);
    }
}
