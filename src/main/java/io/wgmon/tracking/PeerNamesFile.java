package io.wgmon.tracking;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * {@code # friendly_name = alice} or {@code # friendly_json = {"name": "alice", ...}} comment stands
 * above or inside a {@code [Peer]} section (the convention of prometheus_wireguard_exporter), or lines
 * of {@code <public key> = <name>}. Of a friendly_json object the name is its {@code friendly_name},
 * {@code name} or {@code username} field, in that order; JSON that is not such an object is skipped.
 * Any private or preshared key in the file is read past, never kept.
 */
public final class PeerNamesFile {
    private static final Pattern FRIENDLY = Pattern.compile("#\\s*friendly_name\\s*=\\s*(.+?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FRIENDLY_JSON = Pattern.compile("#\\s*friendly_json\\s*=\\s*(.+?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PUBLIC_KEY = Pattern.compile("PublicKey\\s*=\\s*([A-Za-z0-9+/]{43}=)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_NAME = Pattern.compile("([A-Za-z0-9+/]{43}=)\\s*=\\s*(.+?)\\s*");
    private static final List<String> JSON_NAME_FIELDS = List.of("friendly_name", "name", "username");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PeerNamesFile() {
    }

    public static PeerNames load(Path file) throws IOException {
        Map<String, String> names = read(List.of(file));
        return key -> names.get(key.publicKey());
    }

    /** The names of all files; a key named in two files gets the later file's name. */
    public static Map<String, String> read(List<Path> files) throws IOException {
        Map<String, String> names = new HashMap<>();
        for (Path file : files) {
            names.putAll(parse(Files.readAllLines(file)));
        }
        return Map.copyOf(names);
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
            String friendly = null;
            if (line.startsWith("[")) {
                inPeer = line.equalsIgnoreCase("[Peer]");
                sectionKey = null;
                sectionName = inPeer ? pending : null;
                pending = null;
                continue;
            } else if ((m = FRIENDLY.matcher(line)).matches()) {
                friendly = m.group(1);
            } else if ((m = FRIENDLY_JSON.matcher(line)).matches()) {
                friendly = nameInJson(m.group(1));
            } else if (inPeer && (m = PUBLIC_KEY.matcher(line)).matches()) {
                sectionKey = m.group(1);
                if (sectionName != null) {
                    names.put(sectionKey, sectionName);
                }
            } else if ((m = KEY_NAME.matcher(line)).matches()) {
                names.put(m.group(1), m.group(2));
            }
            if (friendly != null) {
                // inside a [Peer] before its key: that peer; otherwise: the next [Peer]
                if (inPeer && sectionKey == null) {
                    sectionName = friendly;
                } else {
                    pending = friendly;
                }
            }
        }
        return Map.copyOf(names);
    }

    private static String nameInJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                return null;
            }
            for (String field : JSON_NAME_FIELDS) {
                JsonNode value = node.get(field);
                if (value != null && value.isValueNode() && !value.asText().isBlank()) {
                    return value.asText().strip();
                }
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
